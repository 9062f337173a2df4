import { ExportFormatError } from '../format-error.js';
import { eachTableRow, preview, viewsOf } from './columns.js';
import { calendarDayOf } from './dates.js';
import { openZip, packingOf, textOf } from './input.js';
import type { Tally } from './tally.js';

// `imported_pages_20230101_20231231.csv`; exports before the `imported_` prefix wrote `pages_…`.
const PAGES_FILE = /(?:^|\/)(?:imported_)?pages_\d{8}_\d{8}\.csv$/;

const TABLE = {
  columns: { date: ['date'], page: ['page'], pageviews: ['pageviews'], hostname: ['hostname'] },
  required: ['date', 'page', 'pageviews'],
} as const;

/**
 * `--from plausible`: Plausible's CSV export, a zip of several CSVs of which only the pages
 * table matters (or that one CSV on its own): `pageviews` by `date` (a day in the site's
 * time zone), `hostname` and `page`, read by column name.
 */
export async function readPlausible(path: string, tally: Tally): Promise<void> {
  if ((await packingOf(path)) !== 'zip') return readPages(await textOf(path), tally);
  const zip = await openZip(path);
  try {
    const pages = zip.names.filter((name) => PAGES_FILE.test(name));
    if (pages.length === 0) {
      throw new ExportFormatError(`the zip holds no imported_pages_YYYYMMDD_YYYYMMDD.csv: is it a Plausible CSV export? (it has: ${zip.names.join(', ').slice(0, 200)})`);
    }
    for (const name of pages) {
      try {
        await readPages(zip.text(name), tally);
      } catch (error) {
        if (error instanceof ExportFormatError) throw new ExportFormatError(`${name} ${error.message}`);
        throw error;
      }
    }
  } finally {
    zip.close();
  }
}

async function readPages(text: AsyncIterable<string>, tally: Tally): Promise<void> {
  await eachTableRow(text, TABLE, ({ date, hostname, page, pageviews }, line) => {
    const day = calendarDayOf(date!);
    if (day === undefined) throw new ExportFormatError(`line ${line}: date must be YYYY-MM-DD, got ${preview(date!)}`);
    tally.add(line, hostname, page!, day, viewsOf(pageviews!, line, 'pageviews'));
  });
}
