// Bundles the dashboard's live script (client/dashboard/main.ts) into one minified ES
// module, dist/client/dashboard.js, served at GET /dashboard/live.js. Prints its size.
//
//   node scripts/build-dashboard.mjs [--outfile PATH]
import { bundle, outfileArg } from './bundle.mjs';

await bundle({
  entry: 'client/dashboard/main.ts',
  outfile: outfileArg('dist/client/dashboard.js'),
  // The page works without it, so it stays small.
  budgetBytes: 4096,
  overBudget: 'trim client/dashboard/ before shipping.',
});
