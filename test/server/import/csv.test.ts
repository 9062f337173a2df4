import { describe, expect, it } from 'vitest';
import { CsvTokenizer, csvRecords, csvRecordsOf } from '../../../server/import/csv.js';
import { calendarDayOf, utcDayOf } from '../../../server/import/dates.js';

// BOM, CRLF, a quoted comma, `""`, a quoted CRLF and LF, a lone CR, a blank line, no final line end.
const AWKWARD = '\uFEFFa,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\r\nlines\nthree",z\r\n\r\n3,,\r4,last,"q"';
const EXPECTED = [
  { line: 1, cells: ['a', 'b', 'c'] },
  { line: 2, cells: ['1', 'x, y', 'say "hi"'] },
  { line: 3, cells: ['2', 'two\r\nlines\nthree', 'z'] },
  { line: 7, cells: ['3', '', ''] },
  { line: 8, cells: ['4', 'last', 'q'] },
];

function chunked(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}

describe('CsvTokenizer', () => {
  it('reads quoted commas, doubled quotes and line breaks, numbering physical lines', () => {
    expect(csvRecordsOf(AWKWARD)).toEqual(EXPECTED);
  });

  it.each([1, 2, 3, 5, 7])('gives the same records however the text is cut into chunks of %i', async (size) => {
    const records = [];
    for await (const batch of csvRecords(chunked(AWKWARD, size))) records.push(...batch);
    expect(records).toEqual(EXPECTED);
  });

  it('gives the same records for every cut into two chunks', () => {
    for (let cut = 0; cut <= AWKWARD.length; cut++) {
      const tokenizer = new CsvTokenizer();
      const records = [...tokenizer.push(AWKWARD.slice(0, cut)), ...tokenizer.push(AWKWARD.slice(cut)), ...tokenizer.end()];
      expect(records, `cut at ${cut}`).toEqual(EXPECTED);
    }
  });

  it.each([
    ['a,b\n1,"open\n2,3\n', /^line 2: a quoted cell is never closed/],
    ['a,b\n1,"x"y\n', /^line 2: text after a closing quote/],
  ])('names the line of %j', (text, message) => {
    expect(() => csvRecordsOf(text)).toThrow(message);
  });

  it('names the line a binary file was found on', async () => {
    const read = async () => {
      for await (const _ of csvRecords(['a,b\n1,2\n', '\u0000\u0001'])) void _;
    };
    await expect(read()).rejects.toThrow(/^line 3: this is a binary file/);
  });
});

describe('import dates', () => {
  it.each([
    ['2024-03-05T19:00:00Z', '2024-03-05'],
    ['2024-03-05 19:00:00.123456', '2024-03-05'],
    ['2024-03-05 19:00:00.123456+00', '2024-03-05'],
    ['2024-03-06 01:30:00+02', '2024-03-05'],
    ['2024-03-05T23:30:00-05:30', '2024-03-06'],
    ['2024-03-05', '2024-03-05'],
  ])('takes %s as the UTC day %s', (text, day) => {
    expect(utcDayOf(text)).toBe(day);
  });

  it.each(['yesterday', '2024-02-30T00:00:00Z', '2024-03-05T25:00:00Z', '05/03/2024'])('refuses %s', (text) => {
    expect(utcDayOf(text)).toBeUndefined();
  });

  it('reads GA4 and ISO days, refusing days that do not exist', () => {
    expect([calendarDayOf('20240305'), calendarDayOf('2024-03-05'), calendarDayOf('20240230'), calendarDayOf('2024')]).toEqual(['2024-03-05', '2024-03-05', undefined, undefined]);
  });
});
