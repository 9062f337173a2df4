import { ExportFormatError } from '../format-error.js';
import { eachTableRow, preview } from './columns.js';
import type { CsvRecord } from './csv.js';
import { utcDayOf } from './dates.js';
import { readGoatCounterJson } from './goatcounter-json.js';
import { packingOf, textOf } from './input.js';
import type { Tally } from './tally.js';

/** GoatCounter CSV export versions this release reads (the number glued to the first header cell). */
export const GOATCOUNTER_CSV_VERSIONS = ['1', '2'];

const TABLE = {
  columns: { path: ['Path'], event: ['Event'], bot: ['Bot'], date: ['Date'] },
  required: ['path', 'event', 'bot', 'date'],
  header: versionless,
} as const;

/**
 * `--from goatcounter`: the CSV export (`goatcounter-export-*.csv`, gzipped or not; one row
 * per pageview) or the JSON export (a zip). Rows with `Event` set or `Bot` other than 0 are
 * skipped; the rest count by `Path` and the UTC day of `Date`.
 */
export async function readGoatCounter(path: string, tally: Tally): Promise<void> {
  if ((await packingOf(path)) === 'zip') return readGoatCounterJson(path, tally);
  await eachTableRow(await textOf(path), TABLE, (row, line) => addRow(row, line, tally));
}

// `2Path,Title,…`: the version is glued to the first column name, with no separator.
function versionless(header: CsvRecord): CsvRecord {
  const first = header.cells[0] ?? '';
  const match = /^(\d+)(\D.*)$/s.exec(first);
  if (match === null) {
    throw new ExportFormatError(`line 1: the header must start with the export version glued to "Path", as "2Path", got ${preview(first)}`);
  }
  const [, version, name] = match as unknown as [string, string, string];
  if (!GOATCOUNTER_CSV_VERSIONS.includes(version)) {
    throw new ExportFormatError(`line 1: GoatCounter CSV export version ${version} is not supported; this release reads versions ${GOATCOUNTER_CSV_VERSIONS.join(' and ')}`);
  }
  return { line: header.line, cells: [name, ...header.cells.slice(1)] };
}

function addRow({ path, event, bot, date }: Record<'path' | 'event' | 'bot' | 'date', string | undefined>, line: number, tally: Tally): void {
  const day = utcDayOf(date!);
  if (day === undefined) throw new ExportFormatError(`line ${line}: Date must be an RFC 3339 time such as 2024-03-05T19:00:00Z, got ${preview(date!)}`);
  const kind = event!.toLowerCase();
  if (!['0', '1', 'false', 'true'].includes(kind)) throw new ExportFormatError(`line ${line}: Event must be 0 or 1, got ${preview(kind)}`);
  if (kind === '1' || kind === 'true') return tally.skip('event');
  if (bot !== '0' && bot !== '') return tally.skip('bot');
  tally.add(line, undefined, path!, day, 1);
}
