import { ExportFormatError } from '../format-error.js';

/** One CSV record and the physical line it starts on (the header is line 1). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * An RFC 4180 reader fed text in chunks of any size (a chunk may end inside a cell, a quote
 * or between CR and LF): a leading BOM is dropped, CRLF, LF and lone CR end a record, quoted
 * cells may hold commas, `""` and line breaks. Blank lines are left out. Errors are
 * ExportFormatErrors that start with the physical line: `line 5: …`.
 */
export class CsvTokenizer {
  #cells: string[] = [];
  #cell = '';
  #state: 'start' | 'plain' | 'quoted' | 'quote-in-quoted' | 'closed' = 'start';
  #line = 1;
  #start = 1;
  #quoteLine = 1;
  #afterCr = false;
  #begun = false;

  /** The physical line the reader is on: where a damaged or cut-off file stopped making sense. */
  get line(): number {
    return this.#line;
  }

  /** Reads one chunk; returns the records it completed. */
  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let i = 0;
    if (!this.#begun) {
      this.#begun = text.length > 0;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    // Cell text is taken as slices from `segment` on, never a character at a time: at a
    // million rows, that is most of the difference.
    let segment = i;
    for (; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const afterCr = this.#afterCr;
      this.#afterCr = code === CR;
      if (this.#state === 'quoted') {
        if (code === QUOTE) {
          this.#cell += text.slice(segment, i);
          this.#state = 'quote-in-quoted';
        } else if (code === CR || (code === LF && !afterCr)) {
          this.#line++;
        }
        continue;
      }
      // LF right after CR is the second half of one line break.
      if (code === LF && afterCr) {
        segment = i + 1;
        continue;
      }
      segment = this.#outsideQuotes(text, i, code, segment, out);
    }
    if (this.#state === 'plain' || this.#state === 'quoted') this.#cell += text.slice(segment);
    return out;
  }

  /** Ends the input; returns the last record. Throws when a quoted cell is never closed. */
  end(): CsvRecord[] {
    if (this.#state === 'quoted') throw new ExportFormatError(`line ${this.#quoteLine}: a quoted cell is never closed (is the file cut off?)`);
    const out: CsvRecord[] = [];
    if (this.#state !== 'start' || this.#cells.length > 0) this.#finishRecord(out);
    return out;
  }

  // One character outside quotes; returns where the current cell's text now starts.
  #outsideQuotes(text: string, i: number, code: number, segment: number, out: CsvRecord[]): number {
    if (this.#state === 'quote-in-quoted') {
      // `""` inside quotes is one quote; anything else closed the cell.
      if (code === QUOTE) {
        this.#cell += '"';
        this.#state = 'quoted';
        return i + 1;
      }
      this.#state = 'closed';
    }
    if (code === COMMA || code === LF || code === CR) {
      if (this.#state === 'plain') this.#cell += text.slice(segment, i);
      if (code === COMMA) {
        this.#cells.push(this.#cell);
        this.#cell = '';
        this.#state = 'start';
      } else {
        this.#finishRecord(out);
        this.#start = ++this.#line;
      }
      return i + 1;
    }
    if (this.#state === 'closed') throw new ExportFormatError(`line ${this.#line}: text after a closing quote (a quote inside a cell must be doubled: "")`);
    if (this.#state !== 'start') return segment;
    if (code === QUOTE) {
      this.#state = 'quoted';
      this.#quoteLine = this.#line;
      return i + 1;
    }
    this.#state = 'plain';
    return i;
  }

  #finishRecord(out: CsvRecord[]): void {
    const cells = this.#cells;
    cells.push(this.#cell);
    if (cells.length > 1 || cells[0] !== '' || this.#state === 'closed') out.push({ line: this.#start, cells });
    this.#cells = [];
    this.#cell = '';
    this.#state = 'start';
  }
}

/** Every record of a whole CSV text. Throws ExportFormatError naming the line. */
export function csvRecordsOf(text: string): CsvRecord[] {
  const tokenizer = new CsvTokenizer();
  return [...tokenizer.push(text), ...tokenizer.end()];
}

/**
 * Records of a CSV read in chunks, a batch per chunk, so a file of any size is read in
 * bounded memory. A stream that fails (a cut-off gzip) or a NUL byte (a binary file) is an
 * ExportFormatError naming the line the reader had reached.
 */
export async function* csvRecords(chunks: AsyncIterable<string> | Iterable<string>): AsyncGenerator<CsvRecord[]> {
  const tokenizer = new CsvTokenizer();
  try {
    for await (const chunk of chunks) {
      if (chunk.includes('\u0000')) throw new ExportFormatError(`line ${tokenizer.line}: this is a binary file, not CSV text`);
      yield tokenizer.push(chunk);
    }
  } catch (error) {
    if (error instanceof ExportFormatError) throw error;
    throw new ExportFormatError(`line ${tokenizer.line}: the file cannot be read past here: ${(error as Error).message} (is it cut off?)`);
  }
  yield tokenizer.end();
}
