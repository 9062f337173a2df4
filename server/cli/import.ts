import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { SiteError, normalizeSite } from '../../shared/site.js';
import { ExportFormatError } from '../format-error.js';
import { IMPORT_FORMATS, isImportFormat, type ImportFormat } from '../import/formats.js';
import { Tally } from '../import/tally.js';
import type { CliContext } from './context.js';
import { CliError, UsageError } from './errors.js';
import { openCliStore, openCliStoreIfPresent } from './cli-store.js';
import { importSummary, plannedMerge, type MergeResult } from './import-summary.js';

/** Options of `readcounter import`. */
export interface ImportOptions {
  /** @default 'readcounter' */
  from: string;
  /** `--site`: the site of a file that names none; of a file that names hosts, the only one kept. */
  site: string | undefined;
  /** Print the summary, write nothing. @default false */
  dryRun: boolean;
}

/**
 * `readcounter import [--from FORMAT] <file>`: reads our own export or another tool's
 * (GoatCounter, Plausible, Umami, Shynet, Google Analytics 4), streamed, into per-(site,
 * article, UTC day) figures, then max-merges them in one transaction: importing a file twice
 * changes nothing, and a bad file changes nothing. May run while the server runs: LMDB takes
 * one writer at a time, and the server is then told to send open pages their new counts. With
 * a Redis set, the same into Redis (one script), and running nodes need no telling.
 */
export async function importCounts(ctx: CliContext, file: string, { from, site, dryRun }: ImportOptions): Promise<void> {
  if (!isImportFormat(from)) throw new UsageError(`--from must be one of ${Object.keys(IMPORT_FORMATS).join(', ')}; got ${JSON.stringify(from)}`);
  const format: ImportFormat = IMPORT_FORMATS[from];
  const onlySite = siteOption(site);
  if (format.needsSite && onlySite === undefined) {
    throw new UsageError(`a ${format.tool} file does not name the site: add --site HOST (the blog's host, as pages count for it, e.g. blog.example.com)`);
  }
  const source = resolve(file);
  if (!existsSync(source) || !statSync(source).isFile()) throw new CliError(`${source} does not exist or is not a file`);
  const tally = new Tally(onlySite);
  try {
    await format.read(source, tally);
  } catch (error) {
    if (!(error instanceof ExportFormatError)) throw error;
    throw new CliError(`${source} is not ${format.what}: ${error.message}. Nothing was imported.`);
  }
  const rows = tally.rows();
  let result: MergeResult;
  let after: string | undefined;
  if (dryRun) {
    const opened = await openCliStoreIfPresent(ctx);
    try {
      result = await plannedMerge(opened?.store, rows);
    } finally {
      await opened?.store.close();
    }
  } else {
    const { store, where, afterImport } = await openCliStore(ctx, { create: true });
    try {
      result = await store.mergeCounts(rows, []);
    } catch (error) {
      throw new CliError(`could not import ${source} into ${where}: ${(error as Error).message}. Nothing was imported.`);
    } finally {
      await store.close();
    }
    if (result.readsAdded > 0) after = await afterImport();
  }
  for (const line of importSummary({ source, format, onlySite, summary: tally.summary(), result, dryRun, after })) ctx.stderr(line);
}

function siteOption(site: string | undefined): string | undefined {
  try {
    return site === undefined ? undefined : normalizeSite(site);
  } catch (error) {
    if (error instanceof SiteError) throw new UsageError(`--site: ${error.message}`);
    throw error;
  }
}
