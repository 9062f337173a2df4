import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SiteError, normalizeSite } from '../../shared/site.js';
import { toCsv, toJson } from '../export.js';
import { exportRows } from '../stats/export-rows.js';
import type { CliContext } from './context.js';
import { CliError, UsageError } from './errors.js';
import { openCliStore } from './cli-store.js';

/** Options of `readcounter export`. */
export interface ExportOptions {
  /** @default 'csv' */
  format: string;
  /** Only this site; every site when undefined. */
  site: string | undefined;
  /** Write here instead of standard output. */
  output: string | undefined;
}

/**
 * `readcounter export`: every (site, article, day, reads) row, in the very bytes that
 * `GET /api/export` serves, to standard output or a file.
 */
export async function exportCounts(ctx: CliContext, { format, site, output }: ExportOptions): Promise<void> {
  if (format !== 'csv' && format !== 'json') throw new UsageError(`--format must be "csv" or "json", got ${JSON.stringify(format)}`);
  let onlySite: string | undefined;
  try {
    onlySite = site === undefined ? undefined : normalizeSite(site);
  } catch (error) {
    if (error instanceof SiteError) throw new UsageError(`--site: ${error.message}`);
    throw error;
  }
  const { store } = await openCliStore(ctx, { create: false });
  let text: string;
  let summary: string;
  try {
    const data = await exportRows(store, onlySite);
    text = format === 'json' ? toJson(data, { exportedAt: new Date(ctx.now()), site: onlySite }) : toCsv(data.rows);
    summary = `${data.totals.length} articles, ${data.rows.length} daily rows`;
  } finally {
    await store.close();
  }
  if (output === undefined) {
    ctx.stdout(text);
    return;
  }
  const target = resolve(output);
  try {
    // Whole or not at all: a reader of the file never sees half an export.
    writeFileSync(`${target}.partial`, text);
    renameSync(`${target}.partial`, target);
  } catch (error) {
    throw new CliError(`could not write the export to ${target}: ${(error as Error).message}`);
  }
  ctx.stderr(`export: wrote ${target} (${format}): ${summary}`);
}
