// Bundles the <read-counter> element (client/read-counter.ts, with the shared/ code it
// imports) into one minified ES module, dist/client/counter.js, served at GET /counter.js.
// Prints its size and fails when it is over budget.
//
//   node scripts/build-client.mjs [--outfile PATH]
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Largest bundle allowed, in bytes of min+gzip (level 9): GoatCounter ships 3.3 KB, Umami 2.4 KB. */
const BUDGET_BYTES = 3072;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const flag = process.argv.indexOf('--outfile');
const outfile = flag > 0 ? process.argv[flag + 1] : join(root, 'dist/client/counter.js');

await build({
  absWorkingDir: root,
  entryPoints: ['client/read-counter.ts'],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  // Custom elements, shadow parts and #private fields: every browser that has the first
  // two has ES2022 too, and leaving private fields native saves a WeakMap per field.
  target: 'es2022',
  minify: true,
  // Property names that live only inside client/ (per-article bookkeeping and the Watcher
  // interface in subscriptions.ts) are renamed too, for about 40 B of gzip. Never list a
  // name that crosses the wire (type, article, mode, reads, live, …) or the element's API.
  mangleProps: /^(watchers|since|activeAt|retried|timer|counts|counted|update|read)$/,
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
});

const code = readFileSync(outfile);
const gzipped = gzipSync(code, { level: 9 }).length;
const name = relative(process.cwd(), outfile) || outfile;
console.log(`${name}: ${code.length} B min, ${gzipped} B min+gzip (budget ${BUDGET_BYTES} B)`);
if (gzipped > BUDGET_BYTES) {
  console.error(`${name} is ${gzipped - BUDGET_BYTES} B over the ${BUDGET_BYTES} B min+gzip budget: trim client/ before shipping.`);
  process.exit(1);
}
