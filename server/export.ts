import { ArticleError, normalizeArticle } from '../shared/article.js';
import { SiteError, normalizeSite } from '../shared/site.js';
import { ExportFormatError } from './format-error.js';
import { csvRecordsOf, type CsvRecord } from './import/csv.js';
import { isCalendarDay } from './utc-day.js';
import type { DailyRow } from './store/port.js';

/**
 * The export formats, as pure functions: `GET /api/export` writes them and the CLI's
 * `export`/`import` write and read them. Nothing here touches the store or HTTP.
 */

/** Version of the JSON export below; a later release reads older versions. */
export const EXPORT_VERSION = 1;

/** The `format` field of a JSON export, so an importer can tell it from any other JSON. */
export const EXPORT_FORMAT = 'readcounter-export';

/** The CSV header row, in column order. */
export const CSV_COLUMNS = ['site', 'article', 'day', 'reads'] as const;

/** One article's total reads. */
export interface TotalRow {
  site: string;
  article: string;
  reads: number;
}

/** Everything an export holds: daily rows and per-article totals, ordered by site, article, day. */
export interface ExportData {
  rows: DailyRow[];
  totals: TotalRow[];
}

export { ExportFormatError } from './format-error.js';

// A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A CSV cell: formula starts neutralised with a leading `'`, then quoted per RFC 4180 when needed. */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows from an array, a generator, or a store read across event turns. */
export type Rows<T> = Iterable<T> | AsyncIterable<T>;

const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;
const csvLine = (row: DailyRow): string => `${csvCell(row.site)},${csvCell(row.article)},${row.day},${row.reads}\r\n`;

/** Daily rows as RFC 4180 CSV: a header, CRLF line ends, ISO `YYYY-MM-DD` days, no BOM. */
export function toCsv(rows: readonly DailyRow[]): string {
  return CSV_HEADER + rows.map(csvLine).join('');
}

/** toCsv() line by line, for a download that streams: the header, then one line per row. */
export async function* csvLines(rows: Rows<DailyRow>): AsyncGenerator<string> {
  yield CSV_HEADER;
  for await (const row of rows) yield csvLine(row);
}

/** An export as JSON: `{format, version, exportedAt, site, totals, rows}`; `site` is null for every site. */
export function toJson(data: ExportData, meta: ExportMeta): string {
  return `${jsonHead(meta)}${data.totals.map((t) => JSON.stringify(t)).join(',')}],"rows":[${data.rows.map((r) => JSON.stringify(r)).join(',')}]}`;
}

/** toJson() piece by piece (one per total and per row), for a download that streams. */
export async function* jsonPieces(totals: Rows<TotalRow>, rows: Rows<DailyRow>, meta: ExportMeta): AsyncGenerator<string> {
  yield jsonHead(meta);
  yield* jsonList(totals);
  yield '],"rows":[';
  yield* jsonList(rows);
  yield ']}';
}

/** When an export was made, and of which site (undefined: every site). */
export interface ExportMeta {
  exportedAt: Date;
  site?: string | undefined;
}

// The document up to the opening bracket of `totals`.
function jsonHead({ exportedAt, site }: ExportMeta): string {
  const head = JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: exportedAt.toISOString(), site: site ?? null });
  return `${head.slice(0, -1)},"totals":[`;
}

async function* jsonList(items: Rows<object>): AsyncGenerator<string> {
  let first = true;
  for await (const item of items) {
    yield first ? JSON.stringify(item) : `,${JSON.stringify(item)}`;
    first = false;
  }
}

/** Per-article totals as the sums of daily rows (the store keeps them equal). */
export function totalsFromRows(rows: readonly DailyRow[]): TotalRow[] {
  const totals = new Map<string, TotalRow>();
  for (const row of rows) {
    const key = `${row.site}\n${row.article}`;
    const total = totals.get(key);
    if (total === undefined) totals.set(key, { site: row.site, article: row.article, reads: row.reads });
    else total.reads += row.reads;
  }
  return [...totals.values()];
}

/** Reads a CSV export back (totals are the sums of its rows). Throws ExportFormatError. */
export function parseCsv(text: string): ExportData {
  const records = csvRecordsOf(text);
  const header = records.shift();
  checkCsvHeader(header ?? { line: 1, cells: [] });
  const rows = records.map(csvRow);
  return { rows, totals: totalsFromRows(rows) };
}

/** Checks the header row of a CSV export. Throws ExportFormatError. */
export function checkCsvHeader(header: CsvRecord): void {
  const text = header.cells.join(',');
  if (text !== CSV_COLUMNS.join(',')) {
    throw new ExportFormatError(`line ${header.line}: the header must be "${CSV_COLUMNS.join(',')}", got ${preview(text)}`);
  }
}

/** One row of a CSV export, checked (site and article normalized, a calendar day, reads ≥ 0). */
export function csvRow({ line, cells }: CsvRecord): DailyRow {
  if (cells.length !== CSV_COLUMNS.length) throw new ExportFormatError(`line ${line}: expected ${CSV_COLUMNS.length} cells, got ${cells.length}`);
  const [site, article, day, reads] = cells.map(unneutralise) as [string, string, string, string];
  return checkRow({ site, article, day, reads: /^\d+$/.test(reads) ? Number(reads) : NaN }, `line ${line}`);
}

/** Reads a JSON export back. Throws ExportFormatError naming the bad field. */
export function parseJson(text: string): ExportData {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ExportFormatError(`not JSON: ${(error as Error).message}`);
  }
  const doc = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (doc.format !== EXPORT_FORMAT) throw new ExportFormatError(`"format" must be "${EXPORT_FORMAT}": this is not a readcounter JSON export`);
  if (doc.version !== EXPORT_VERSION) throw new ExportFormatError(`"version" ${JSON.stringify(doc.version)} is not supported; this release reads version ${EXPORT_VERSION}`);
  if (!Array.isArray(doc.rows) || !Array.isArray(doc.totals)) throw new ExportFormatError('"rows" and "totals" must be arrays');
  const rows = doc.rows.map((row: unknown, i) => checkRow(asRecord(row) as unknown as DailyRow, `rows[${i}]`));
  const totals = doc.totals.map((row: unknown, i) => checkTotal(asRecord(row) as unknown as TotalRow, `totals[${i}]`));
  return { rows, totals };
}

/** Reads either export format, told apart by its first character. Throws ExportFormatError. */
export function parseExport(text: string): ExportData {
  return text.trimStart().startsWith('{') ? parseJson(text) : parseCsv(text);
}

// Reverses csvCell()'s neutralisation. Unambiguous: article keys start with "/" and sites
// never contain "'", so a real value never starts with "'" followed by a formula character.
function unneutralise(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

function checkRow(row: DailyRow, where: string): DailyRow {
  const { site, article, reads } = checkTotal(row, where);
  const day = row.day;
  if (!isCalendarDay(day)) {
    throw new ExportFormatError(`${where}: day must be a date as YYYY-MM-DD, got ${preview(String(day))}`);
  }
  return { site, article, day, reads };
}

function checkTotal(row: TotalRow, where: string): TotalRow {
  const { site, article, reads } = row;
  try {
    if (normalizeSite(site) !== site) throw new SiteError(`site ${preview(String(site))} is not normalized (expected ${preview(normalizeSite(site))})`);
    if (normalizeArticle(article) !== article) throw new ArticleError(`article ${preview(String(article))} is not normalized`);
  } catch (error) {
    if (error instanceof SiteError || error instanceof ArticleError) throw new ExportFormatError(`${where}: ${error.message}`);
    throw error;
  }
  if (typeof reads !== 'number' || !Number.isSafeInteger(reads) || reads < 0) {
    throw new ExportFormatError(`${where}: reads must be a whole number ≥ 0, got ${preview(String(reads))}`);
  }
  return { site, article, reads };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function preview(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}
