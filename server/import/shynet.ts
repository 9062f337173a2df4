import { ExportFormatError } from '../format-error.js';
import { eachTableRow, preview, viewsOf } from './columns.js';
import { calendarDayOf } from './dates.js';
import { textOf } from './input.js';
import type { Tally } from './tally.js';

const TABLE = {
  columns: { day: ['day', 'date'], location: ['location', 'path'], views: ['views', 'hits', 'count'] },
  required: ['day', 'location', 'views'],
} as const;

/**
 * `--from shynet`: Shynet has no export, so docs/import.md gives the SQL over `analytics_hit`
 * that writes `day,location,views`. A `location` is the page's full URL (its host names the
 * site) or a bare path (then --site names it).
 */
export async function readShynet(path: string, tally: Tally): Promise<void> {
  await eachTableRow(await textOf(path), TABLE, ({ day: date, location, views }, line) => {
    const day = calendarDayOf(date!);
    if (day === undefined) throw new ExportFormatError(`line ${line}: day must be YYYY-MM-DD, got ${preview(date!)}`);
    const { host, page } = splitLocation(location!);
    tally.add(line, host, page, day, viewsOf(views!, line, 'views'));
  });
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
