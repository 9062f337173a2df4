import { ExportFormatError } from '../format-error.js';
import { readColumns, cellsOf, eachRow, preview, type ColumnIndex } from './columns.js';
import { csvRecords, type CsvRecord } from './csv.js';
import { utcDayOf } from './dates.js';
import { readGoatCounterJson } from './goatcounter-json.js';
import { packingOf, textOf } from './input.js';
import type { Tally } from './tally.js';

/** GoatCounter CSV export versions this release reads (the number glued to the first header cell). */
export const GOATCOUNTER_CSV_VERSIONS = ['1', '2'];

const COLUMNS = { path: ['Path'], event: ['Event'], bot: ['Bot'], date: ['Date'] } as const;
type Key = keyof typeof COLUMNS;

/**
 * `--from goatcounter`: the CSV export (`goatcounter-export-*.csv`, gzipped or not; one row
 * per pageview) or the JSON export (a zip). Rows with `Event` set or `Bot` other than 0 are
 * skipped; the rest count by `Path` and the UTC day of `Date`.
 */
export async function readGoatCounter(path: string, tally: Tally): Promise<void> {
  if ((await packingOf(path)) === 'zip') return readGoatCounterJson(path, tally);
  let columns: ColumnIndex<Key> | undefined;
  await eachRow(
    csvRecords(await textOf(path)),
    (header) => void (columns = headerOf(header)),
    (record) => addRow(record, columns!, tally),
  );
}

// `2Path,Title,…`: the version is glued to the first column name, with no separator.
function headerOf(header: CsvRecord): ColumnIndex<Key> {
  const first = header.cells[0] ?? '';
  const match = /^(\d+)(\D.*)$/s.exec(first);
  if (match === null) {
    throw new ExportFormatError(`line 1: the header must start with the export version glued to "Path", as "2Path", got ${preview(first)}`);
  }
  const [, version, name] = match as unknown as [string, string, string];
  if (!GOATCOUNTER_CSV_VERSIONS.includes(version)) {
    throw new ExportFormatError(`line 1: GoatCounter CSV export version ${version} is not supported; this release reads versions ${GOATCOUNTER_CSV_VERSIONS.join(' and ')}`);
  }
  return readColumns({ line: header.line, cells: [name, ...header.cells.slice(1)] }, COLUMNS, ['path', 'event', 'bot', 'date']);
}

function addRow(record: CsvRecord, columns: ColumnIndex<Key>, tally: Tally): void {
  const cells = cellsOf(record, columns.width);
  const date = cells[columns.date!]!;
  const day = utcDayOf(date);
  if (day === undefined) throw new ExportFormatError(`line ${record.line}: Date must be an RFC 3339 time such as 2024-03-05T19:00:00Z, got ${preview(date)}`);
  const event = cells[columns.event!]!.toLowerCase();
  if (!['0', '1', 'false', 'true'].includes(event)) throw new ExportFormatError(`line ${record.line}: Event must be 0 or 1, got ${preview(event)}`);
  if (event === '1' || event === 'true') return tally.skip('event');
  const bot = cells[columns.bot!]!;
  if (bot !== '0' && bot !== '') return tally.skip('bot');
  tally.add(record.line, undefined, cells[columns.path!]!, day, 1);
}
