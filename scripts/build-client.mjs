// Bundles the <read-counter> element (client/read-counter.ts, with the shared/ code it
// imports) into one minified ES module, dist/client/counter.js, served at GET /counter.js.
// Prints its size and fails when it is over budget.
//
//   node scripts/build-client.mjs [--outfile PATH]
import { bundle, outfileArg } from './bundle.mjs';

await bundle({
  entry: 'client/read-counter.ts',
  outfile: outfileArg('dist/client/counter.js'),
  // GoatCounter ships 3.3 KB, Umami 2.4 KB.
  budgetBytes: 3072,
  overBudget: 'trim client/ before shipping.',
  options: {
    // Property names that live only inside client/ (per-article bookkeeping and the Watcher
    // interface in subscriptions.ts) are renamed too, for about 40 B of gzip. Never list a
    // name that crosses the wire (type, article, mode, reads, live, …) or the element's API.
    mangleProps: /^(watchers|since|activeAt|retried|timer|counts|counted|update|read|active|elapsed)$/,
  },
});
