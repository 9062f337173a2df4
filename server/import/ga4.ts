import { ExportFormatError } from '../format-error.js';
import { eachTableRow, preview, viewsOf } from './columns.js';
import { calendarDayOf } from './dates.js';
import { textOf } from './input.js';
import type { Tally } from './tally.js';

const TABLE = {
  // The Data API's names first; the web interface's Explore download names them as shown.
  columns: {
    date: ['date'],
    path: ['pagePath', 'Page path and screen class', 'Page path'],
    views: ['screenPageViews', 'Views'],
    host: ['hostName', 'Hostname'],
  },
  required: ['date', 'path', 'views'],
  skip: (record: { cells: string[] }) => record.cells[0]!.startsWith('#'),
} as const;

/**
 * `--from ga4`: a Google Analytics 4 CSV with the Data API's column names `date`
 * (YYYYMMDD), `pagePath` and `screenPageViews` (and `hostName`, when there), or the web
 * interface's names for them. Its `#` comment lines are skipped; `"1,234"` reads as 1234.
 */
export async function readGa4(path: string, tally: Tally): Promise<void> {
  await eachTableRow(await textOf(path), TABLE, ({ date, path: page, views, host }, line) => {
    const day = calendarDayOf(date!);
    if (day === undefined) throw new ExportFormatError(`line ${line}: date must be YYYYMMDD, got ${preview(date!)}`);
    tally.add(line, host, page!, day, viewsOf(views!, line, 'screenPageViews'));
  });
}
