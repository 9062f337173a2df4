import { ExportFormatError } from '../format-error.js';
import { eachTableRow, preview } from './columns.js';
import { utcDayOf } from './dates.js';
import { textOf } from './input.js';
import type { Tally } from './tally.js';

/** Umami's `event_type` of a page view (2 is a custom event). */
export const UMAMI_PAGE_VIEW = '1';

const TABLE = {
  columns: { createdAt: ['created_at'], path: ['url_path'], type: ['event_type'], hostname: ['hostname'] },
  required: ['createdAt', 'path', 'type'],
} as const;

/**
 * `--from umami`: Umami's `website_event` table as CSV (psql `\copy`, or Umami Cloud's
 * CSV), gzipped or not. Rows with `event_type` 1 count by `url_path` and the UTC day of
 * `created_at` (UTC unless it carries an offset); `hostname`, when there, names the site.
 */
export async function readUmami(path: string, tally: Tally): Promise<void> {
  await eachTableRow(await textOf(path), TABLE, ({ createdAt, path: page, type, hostname }, line) => {
    const day = utcDayOf(createdAt!);
    if (day === undefined) throw new ExportFormatError(`line ${line}: created_at must be a time such as 2024-03-05 19:00:00, got ${preview(createdAt!)}`);
    if (!/^\d+$/.test(type!.trim())) throw new ExportFormatError(`line ${line}: event_type must be a number, got ${preview(type!)}`);
    if (type!.trim() !== UMAMI_PAGE_VIEW) return tally.skip('event');
    tally.add(line, hostname, page!, day, 1);
  });
}
