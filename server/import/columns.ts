import { ExportFormatError } from '../format-error.js';
import { csvRecords, type CsvRecord } from './csv.js';

/** Where each wanted column sits in a header row; undefined for an optional one that is missing. */
export type ColumnIndex<K extends string> = Record<K, number | undefined> & { width: number };

/**
 * Finds columns by name in a header row (case and spaces around names ignored), never by
 * position: tools reorder and add columns between versions. `wanted` maps each key to the
 * names it may have; keys in `required` must be there.
 */
export function readColumns<K extends string>(header: CsvRecord, wanted: Record<K, readonly string[]>, required: readonly NoInfer<K>[]): ColumnIndex<K> {
  const names = header.cells.map((cell) => cell.trim().toLowerCase());
  const index = { width: names.length } as ColumnIndex<K>;
  for (const key of Object.keys(wanted) as K[]) {
    const at = names.findIndex((name) => wanted[key].some((alias) => alias.toLowerCase() === name));
    if (at === -1 && required.includes(key)) {
      throw new ExportFormatError(`line ${header.line}: no "${wanted[key][0]}" column (the header has: ${header.cells.join(', ').slice(0, 200)})`);
    }
    (index as Record<K, number | undefined>)[key] = at === -1 ? undefined : at;
  }
  return index;
}

/** The cells of a row, checked to be as many as the header's. */
export function cellsOf(record: CsvRecord, width: number): string[] {
  if (record.cells.length !== width) {
    throw new ExportFormatError(`line ${record.line}: expected ${width} cells as in the header, got ${record.cells.length} (is the row cut off?)`);
  }
  return record.cells;
}

/** The cell of an optional column, or undefined when the file has no such column. */
export function optionalCell(cells: readonly string[], at: number | undefined): string | undefined {
  return at === undefined ? undefined : cells[at];
}

/**
 * A page-view count: digits, or digits grouped with commas as spreadsheets and Google
 * Analytics write them (`1,234`). Throws ExportFormatError naming the line and column.
 */
export function viewsOf(text: string, line: number, column: string): number {
  const value = text.trim();
  const digits = /^\d{1,3}(,\d{3})+$/.test(value) ? value.replaceAll(',', '') : value;
  const views = /^\d+$/.test(digits) ? Number(digits) : NaN;
  if (!Number.isSafeInteger(views)) throw new ExportFormatError(`line ${line}: ${column} must be a whole number, got ${preview(text)}`);
  return views;
}

/** A value shown in an error, cut to a readable length. */
export function preview(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

/** Header, then rows: runs `onRow` for each record after the first; an empty file is an error. */
export async function eachRow(
  batches: AsyncIterable<CsvRecord[]>,
  onHeader: (header: CsvRecord) => void,
  onRow: (record: CsvRecord) => void,
  skip?: (record: CsvRecord) => boolean,
): Promise<void> {
  let seenHeader = false;
  for await (const batch of batches) {
    for (const record of batch) {
      if (skip?.(record) === true) continue;
      if (seenHeader) onRow(record);
      else {
        onHeader(record);
        seenHeader = true;
      }
    }
  }
  if (!seenHeader) throw new ExportFormatError('line 1: the file is empty (expected a header row)');
}

/** How to read one tool's CSV table: its columns by key, which are required, and what to skip. */
export interface TableSpec<K extends string> {
  columns: Record<K, readonly string[]>;
  required: readonly NoInfer<K>[];
  /** Rewrites the header before columns are looked up (GoatCounter's glued version). */
  header?: (header: CsvRecord) => CsvRecord;
  /** Records to pass over, header included (GA4's `#` comments). */
  skip?: (record: CsvRecord) => boolean;
}

/**
 * Streams a CSV table: finds the spec's columns in its header by name, then hands each row's
 * cells by key (undefined for a missing optional column) and its physical line to `onRow`.
 */
export async function eachTableRow<K extends string>(
  text: AsyncIterable<string>,
  spec: TableSpec<K>,
  onRow: (cells: Record<K, string | undefined>, line: number) => void,
): Promise<void> {
  let index: ColumnIndex<K> | undefined;
  const keys = Object.keys(spec.columns) as K[];
  await eachRow(
    csvRecords(text),
    (header) => void (index = readColumns(spec.header?.(header) ?? header, spec.columns, spec.required)),
    (record) => {
      const cells = cellsOf(record, index!.width);
      const row = {} as Record<K, string | undefined>;
      for (const key of keys) row[key] = optionalCell(cells, index![key]);
      onRow(row, record.line);
    },
    spec.skip,
  );
}
