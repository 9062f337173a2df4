import { ExportFormatError } from '../format-error.js';
import { cellsOf, eachRow, optionalCell, preview, readColumns, viewsOf, type ColumnIndex } from './columns.js';
import { csvRecords } from './csv.js';
import { calendarDayOf } from './dates.js';
import { textOf } from './input.js';
import type { Tally } from './tally.js';

// The Data API's names first; the web interface's Explore download names them as shown.
const COLUMNS = {
  date: ['date'],
  path: ['pagePath', 'Page path and screen class', 'Page path'],
  views: ['screenPageViews', 'Views'],
  host: ['hostName', 'Hostname'],
} as const;
type Key = keyof typeof COLUMNS;

/**
 * `--from ga4`: a Google Analytics 4 CSV with the Data API's column names `date`
 * (YYYYMMDD), `pagePath` and `screenPageViews` (and `hostName`, when there), or the web
 * interface's names for them. Its `#` comment lines are skipped; `"1,234"` reads as 1234.
 */
export async function readGa4(path: string, tally: Tally): Promise<void> {
  let columns: ColumnIndex<Key> | undefined;
  await eachRow(
    csvRecords(await textOf(path)),
    (header) => void (columns = readColumns(header, COLUMNS, ['date', 'path', 'views'])),
    (record) => {
      const cells = cellsOf(record, columns!.width);
      const date = cells[columns!.date!]!;
      const day = calendarDayOf(date);
      if (day === undefined) throw new ExportFormatError(`line ${record.line}: date must be YYYYMMDD, got ${preview(date)}`);
      const views = viewsOf(cells[columns!.views!]!, record.line, 'screenPageViews');
      tally.add(record.line, optionalCell(cells, columns!.host), cells[columns!.path!]!, day, views);
    },
    (record) => record.cells[0]!.startsWith('#'),
  );
}
