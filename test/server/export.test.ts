import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { ExportFormatError, csvCell, parseCsv, parseExport, parseJson, toCsv, toJson, totalsFromRows } from '../../server/export.js';
import type { DailyRow } from '../../server/store/port.js';

const rows: DailyRow[] = [
  { site: 'blog.example.com', article: '/posts/a,b "quoted"', day: '2026-01-14', reads: 2 },
  { site: 'blog.example.com', article: '/posts/a,b "quoted"', day: '2026-01-15', reads: 3 },
  { site: 'blog.example.com', article: "/posts/l'été", day: '2026-01-15', reads: 1 },
  { site: 'example.org', article: '/', day: '2025-12-31', reads: 7 },
];

describe('export formats', () => {
  it('writes CSV with a header, CRLF line ends and RFC 4180 quoting', () => {
    const csv = toCsv(rows.slice(0, 1));
    expect(csv).toBe('site,article,day,reads\r\nblog.example.com,"/posts/a,b ""quoted""",2026-01-14,2\r\n');
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])('neutralises a cell starting with %j', (value) => {
    const cell = csvCell(value);
    expect(cell.replace(/^"/, '')).toMatch(/^'/);
  });

  it('leaves ordinary cells alone', () => {
    expect(csvCell('/posts/hello')).toBe('/posts/hello');
    expect(csvCell(42)).toBe('42');
  });

  it('reads its own CSV back, with totals as the sums', () => {
    const data = parseCsv(toCsv(rows));
    expect(data.rows).toEqual(rows);
    expect(data.totals).toEqual([
      { site: 'blog.example.com', article: '/posts/a,b "quoted"', reads: 5 },
      { site: 'blog.example.com', article: "/posts/l'été", reads: 1 },
      { site: 'example.org', article: '/', reads: 7 },
    ]);
  });

  it('reads its own JSON back', () => {
    const data = { rows, totals: totalsFromRows(rows) };
    const json = toJson(data, { exportedAt: new Date(0), site: undefined });
    expect(JSON.parse(json)).toMatchObject({ format: 'readcounter-export', version: 1, exportedAt: '1970-01-01T00:00:00.000Z', site: null });
    expect(parseJson(json)).toEqual(data);
    expect(parseExport(json)).toEqual(data);
    expect(parseExport(toCsv(rows))).toEqual(data);
  });

  it('agrees with csv-parse on any cell text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 5 }), (cells) => {
        const line = `${cells.map(csvCell).join(',')}\r\n`;
        const [parsed] = parse(line, { relax_column_count: true }) as string[][];
        expect(parsed!.map((c) => (/^'[=+\-@\t\r]/.test(c) ? c.slice(1) : c))).toEqual(cells);
      }),
    );
  });

  it.each([
    ['', /header/],
    ['site,article,reads\r\n', /header/],
    ['site,article,day,reads\r\nexample.com,/a,2026-02-30,1\r\n', /line 2: day/],
    // Regression: a month 13 used to escape as a RangeError and crash `readcounter import`.
    ['site,article,day,reads\r\nexample.com,/a,2026-13-01,1\r\n', /line 2: day/],
    ['site,article,day,reads\r\nexample.com,/a,2026-01-01,-1\r\n', /line 2: reads/],
    ['site,article,day,reads\r\nexample.com,/a,2026-01-01,1.5\r\n', /line 2: reads/],
    ['site,article,day,reads\r\nexample.com,/a,2026-01-01\r\n', /line 2: expected 4 cells/],
    ['site,article,day,reads\r\nexample.com,nope,2026-01-01,1\r\n', /line 2: article/],
    ['site,article,day,reads\r\nWWW.example.com,/a,2026-01-01,1\r\n', /line 2: site .* not normalized/],
    ['site,article,day,reads\r\nexample.com,"/a,2026-01-01,1\r\n', /line 2: a quoted cell is never closed/],
    ['site,article,day,reads\r\nexample.com,"/a"x,2026-01-01,1\r\n', /line 2: text after a closing quote/],
    ['{}', /"format"/],
    ['{"format":"readcounter-export","version":2,"rows":[],"totals":[]}', /version/],
    ['{"format":"readcounter-export","version":1,"rows":[{}],"totals":[]}', /rows\[0\]/],
    ['{"format":"readcounter-export","version":1,"rows":[],"totals":[{"site":"a.b","article":"/x","reads":"1"}]}', /totals\[0\]: reads/],
  ])('refuses a bad export %j with a message naming the place', (text, message) => {
    expect(() => parseExport(text)).toThrow(ExportFormatError);
    expect(() => parseExport(text)).toThrow(message);
  });

  it('skips blank lines and a BOM', () => {
    const data = parseCsv(`\uFEFF${toCsv(rows.slice(3))}\r\n\r\n`);
    expect(data.rows).toEqual(rows.slice(3));
  });
});
