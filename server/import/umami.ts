import { ExportFormatError } from '../format-error.js';
import { cellsOf, eachRow, optionalCell, preview, readColumns, type ColumnIndex } from './columns.js';
import { csvRecords } from './csv.js';
import { utcDayOf } from './dates.js';
import { textOf } from './input.js';
import type { Tally } from './tally.js';

/** Umami's `event_type` of a page view (2 is a custom event). */
export const UMAMI_PAGE_VIEW = '1';

const COLUMNS = { createdAt: ['created_at'], path: ['url_path'], type: ['event_type'], hostname: ['hostname'] } as const;
type Key = keyof typeof COLUMNS;

/**
 * `--from umami`: Umami's `website_event` table as CSV (psql `\copy`, or Umami Cloud's
 * CSV), gzipped or not. Rows with `event_type` 1 count by `url_path` and the UTC day of
 * `created_at` (UTC unless it carries an offset); `hostname`, when there, names the site.
 */
export async function readUmami(path: string, tally: Tally): Promise<void> {
  let columns: ColumnIndex<Key> | undefined;
  await eachRow(
    csvRecords(await textOf(path)),
    (header) => void (columns = readColumns(header, COLUMNS, ['createdAt', 'path', 'type'])),
    (record) => {
      const cells = cellsOf(record, columns!.width);
      const createdAt = cells[columns!.createdAt!]!;
      const day = utcDayOf(createdAt);
      if (day === undefined) throw new ExportFormatError(`line ${record.line}: created_at must be a time such as 2024-03-05 19:00:00, got ${preview(createdAt)}`);
      const type = cells[columns!.type!]!.trim();
      if (!/^\d+$/.test(type)) throw new ExportFormatError(`line ${record.line}: event_type must be a number, got ${preview(type)}`);
      if (type !== UMAMI_PAGE_VIEW) return tally.skip('event');
      tally.add(record.line, optionalCell(cells, columns!.hostname), cells[columns!.path!]!, day, 1);
    },
  );
}
