import { checkCsvHeader, csvRow, parseJson } from '../export.js';
import { ExportFormatError } from '../format-error.js';
import { eachRow } from './columns.js';
import { csvRecords } from './csv.js';
import { textOf } from './input.js';
import type { Tally } from './tally.js';

/**
 * `--from readcounter` (the default): a file written by `readcounter export` or
 * `GET /api/export`. CSV is streamed row by row; JSON (told by its first character) is read
 * whole. Every row is checked as strictly as the export writes it.
 */
export async function readReadcounter(path: string, tally: Tally): Promise<void> {
  const chunks = (await textOf(path))[Symbol.asyncIterator]();
  const first = await chunks.next();
  const head = first.done === true ? '' : first.value;
  if (head.includes('\u0000')) throw new ExportFormatError('line 1: this is a binary file, not an export (a backup? that goes back with `readcounter restore`)');
  if (head.trimStart().startsWith('{')) {
    let text = head;
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) text += next.value;
    for (const row of parseJson(text).rows) tally.add(1, row.site, row.article, row.day, row.reads);
    return;
  }
  await eachRow(
    csvRecords(resumed(head, chunks)),
    checkCsvHeader,
    (record) => {
      const row = csvRow(record);
      tally.add(record.line, row.site, row.article, row.day, row.reads);
    },
  );
}

// The chunk already read, then the rest of the same stream.
async function* resumed(head: string, rest: AsyncIterator<string>): AsyncGenerator<string> {
  yield head;
  for (let next = await rest.next(); next.done !== true; next = await rest.next()) yield next.value;
}
