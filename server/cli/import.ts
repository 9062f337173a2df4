import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExportFormatError, parseExport } from '../export.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import { openAnyStore } from './data-dir.js';

/**
 * `readcounter import <file>`: reads back a file written by `readcounter export` or
 * `GET /api/export` (CSV or JSON). The whole file is checked before anything is written, then
 * merged in one transaction, so a bad or failed import changes nothing, and importing the same
 * file twice changes nothing the second time.
 */
export async function importCounts(ctx: CliContext, file: string): Promise<void> {
  const source = resolve(file);
  if (!existsSync(source)) throw new CliError(`${source} does not exist`);
  const bytes = readFileSync(source);
  if (bytes.includes(0)) {
    throw new CliError(`${source} is not an export (it is binary; a backup?). Import reads CSV or JSON from \`readcounter export\`; a backup goes back with \`readcounter restore\`.`);
  }
  let data;
  try {
    data = parseExport(bytes.toString('utf8'));
  } catch (error) {
    if (error instanceof ExportFormatError) {
      throw new CliError(`${source} is not a readcounter export: ${error.message}. Import reads only files written by \`readcounter export\` or GET /api/export. Nothing was imported.`);
    }
    throw error;
  }
  const store = openAnyStore(ctx.dataDir);
  let result;
  try {
    result = store.mergeCounts(data.rows, data.totals);
  } catch (error) {
    throw new CliError(`could not import ${source} into DATA_DIR ${JSON.stringify(ctx.dataDir)}: ${(error as Error).message}. Nothing was imported.`);
  } finally {
    await store.close();
  }
  const unchanged = result.readsAdded === 0 ? ' (already up to date)' : '';
  ctx.stderr(`import: ${source}: ${data.rows.length} daily rows, ${data.totals.length} articles; ${result.daysChanged} days raised, ${result.readsAdded} reads added${unchanged}`);
}
