// One browser bundle: esbuild into a minified ES module, its size printed, the build failed
// when min+gzip (level 9) is over budget. Used by build-client.mjs and build-dashboard.mjs.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The project root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `--outfile PATH` from the command line, else `fallback` (relative to the root). */
export function outfileArg(fallback) {
  const flag = process.argv.indexOf('--outfile');
  return flag > 0 ? process.argv[flag + 1] : join(root, fallback);
}

/**
 * Bundles `entry` into `outfile` and checks it against `budgetBytes`.
 * @param {{ entry: string, outfile: string, budgetBytes: number, overBudget: string, options?: import('esbuild').BuildOptions }} bundle
 */
export async function bundle({ entry, outfile, budgetBytes, overBudget, options = {} }) {
  await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Custom elements, shadow parts and #private fields: every browser that has the first
    // two has ES2022 too, and leaving private fields native saves a WeakMap per field.
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
    ...options,
  });
  const code = readFileSync(outfile);
  const gzipped = gzipSync(code, { level: 9 }).length;
  const name = relative(process.cwd(), outfile) || outfile;
  console.log(`${name}: ${code.length} B min, ${gzipped} B min+gzip (budget ${budgetBytes} B)`);
  if (gzipped > budgetBytes) {
    console.error(`${name} is ${gzipped - budgetBytes} B over the ${budgetBytes} B min+gzip budget: ${overBudget}`);
    process.exit(1);
  }
}
