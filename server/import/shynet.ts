import { ExportFormatError } from '../format-error.js';
import { cellsOf, eachRow, preview, readColumns, viewsOf, type ColumnIndex } from './columns.js';
import { csvRecords } from './csv.js';
import { calendarDayOf } from './dates.js';
import { textOf } from './input.js';
import type { Tally } from './tally.js';

const COLUMNS = { day: ['day', 'date'], location: ['location', 'path'], views: ['views', 'hits', 'count'] } as const;
type Key = keyof typeof COLUMNS;

/**
 * `--from shynet`: Shynet has no export, so docs/import.md gives the SQL over `analytics_hit`
 * that writes `day,location,views`. A `location` is the page's full URL (its host names the
 * site) or a bare path (then --site names it).
 */
export async function readShynet(path: string, tally: Tally): Promise<void> {
  let columns: ColumnIndex<Key> | undefined;
  await eachRow(
    csvRecords(await textOf(path)),
    (header) => void (columns = readColumns(header, COLUMNS, ['day', 'location', 'views'])),
    (record) => {
      const cells = cellsOf(record, columns!.width);
      const date = cells[columns!.day!]!;
      const day = calendarDayOf(date);
      if (day === undefined) throw new ExportFormatError(`line ${record.line}: day must be YYYY-MM-DD, got ${preview(date)}`);
      const views = viewsOf(cells[columns!.views!]!, record.line, 'views');
      const { host, page } = splitLocation(cells[columns!.location!]!);
      tally.add(record.line, host, page, day, views);
    },
  );
}

function splitLocation(location: string): { host: string | undefined; page: string } {
  if (!/^https?:\/\//i.test(location)) return { host: undefined, page: location };
  try {
    const url = new URL(location);
    return { host: url.host, page: `${url.pathname}${url.search}` };
  } catch {
    return { host: undefined, page: location };
  }
}
