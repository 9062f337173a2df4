// Bundles the dashboard's live script (client/dashboard/main.ts) into one minified ES
// module, dist/client/dashboard.js, served at GET /dashboard/live.js. Prints its size.
//
//   node scripts/build-dashboard.mjs [--outfile PATH]
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** Largest script allowed, in bytes of min+gzip: the page works without it, so it stays small. */
const BUDGET_BYTES = 4096;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const flag = process.argv.indexOf('--outfile');
const outfile = flag > 0 ? process.argv[flag + 1] : join(root, 'dist/client/dashboard.js');

await build({
  absWorkingDir: root,
  entryPoints: ['client/dashboard/main.ts'],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
});

const code = readFileSync(outfile);
const gzipped = gzipSync(code, { level: 9 }).length;
const name = relative(process.cwd(), outfile) || outfile;
console.log(`${name}: ${code.length} B min, ${gzipped} B min+gzip (budget ${BUDGET_BYTES} B)`);
if (gzipped > BUDGET_BYTES) {
  console.error(`${name} is ${gzipped - BUDGET_BYTES} B over the ${BUDGET_BYTES} B min+gzip budget.`);
  process.exit(1);
}
