import { ExportFormatError } from '../format-error.js';
import { preview } from './columns.js';
import { utcDayOf } from './dates.js';
import { linesOf, openZip, type ZipArchive } from './input.js';
import type { Tally } from './tally.js';

/** Major version of GoatCounter's JSON export (`info.json` `export_version`) this release reads. */
export const GOATCOUNTER_JSON_VERSION = '1';

/**
 * GoatCounter's JSON export, a zip: `paths.jsonl` names each path id (events are paths
 * without a leading slash), `hit_stats.jsonl` holds `{hour, path_id, count}`; counts are
 * summed by path and `hour`'s UTC day.
 */
export async function readGoatCounterJson(path: string, tally: Tally): Promise<void> {
  const zip = await openZip(path);
  try {
    const name = (file: string): string => {
      const found = zip.names.find((entry) => entry === file || entry.endsWith(`/${file}`));
      if (found === undefined) throw new ExportFormatError(`the zip has no ${file}: is it a GoatCounter JSON export? (it has: ${zip.names.join(', ').slice(0, 200)})`);
      return found;
    };
    await checkVersion(zip, name('info.json'));
    const paths = await readPaths(zip, name('paths.jsonl'));
    const hits = name('hit_stats.jsonl');
    for await (const { line, text } of linesOf(zip.text(hits))) {
      if (text.trim() === '') continue;
      const { hour, path_id: id, count } = jsonLine(text, hits, line);
      const day = typeof hour === 'string' ? utcDayOf(hour) : undefined;
      if (day === undefined) throw new ExportFormatError(`${hits} line ${line}: "hour" must be an RFC 3339 time, got ${preview(String(hour))}`);
      if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) throw new ExportFormatError(`${hits} line ${line}: "count" must be a whole number, got ${preview(String(count))}`);
      const page = paths.get(id);
      if (page === undefined) throw new ExportFormatError(`${hits} line ${line}: path_id ${preview(String(id))} is not in paths.jsonl`);
      if (page === false) tally.skip('event');
      else tally.add(line, undefined, page, day, count);
    }
  } finally {
    zip.close();
  }
}

async function checkVersion(zip: ZipArchive, name: string): Promise<void> {
  let text = '';
  for await (const chunk of zip.text(name)) text += chunk;
  let version: unknown;
  try {
    version = (JSON.parse(text) as { export_version?: unknown }).export_version;
  } catch (error) {
    throw new ExportFormatError(`${name}: not JSON: ${(error as Error).message}`);
  }
  if (typeof version !== 'string' || version.split('.')[0] !== GOATCOUNTER_JSON_VERSION) {
    throw new ExportFormatError(`${name}: GoatCounter JSON export version ${preview(String(version))} is not supported; this release reads version ${GOATCOUNTER_JSON_VERSION}.x`);
  }
}

// Path id → path, or false for an event.
async function readPaths(zip: ZipArchive, name: string): Promise<Map<unknown, string | false>> {
  const paths = new Map<unknown, string | false>();
  for await (const { line, text } of linesOf(zip.text(name))) {
    if (text.trim() === '') continue;
    const { id, path, event } = jsonLine(text, name, line);
    if (typeof path !== 'string') throw new ExportFormatError(`${name} line ${line}: "path" must be a string`);
    paths.set(id, event === true ? false : path);
  }
  return paths;
}

function jsonLine(text: string, name: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ExportFormatError(`${name} line ${line}: not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ExportFormatError(`${name} line ${line}: expected a JSON object`);
  return value as Record<string, unknown>;
}
