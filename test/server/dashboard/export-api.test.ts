import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { parseExport } from '../../../server/export.js';
import { ADMIN_TOKEN } from '../../helpers/admin-browser.js';
import { seed } from '../../helpers/seed.js';
import { readAll } from '../../../server/store/read-all.js';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const ARTICLES = ['/posts/plain', '/posts/a,comma', '/posts/"quoted"', "/posts/l'été", '/posts/=1+1', '/posts/multi word'];

describe('GET /api/export', () => {
  let server: TestServer;
  const get = (query: string) => fetch(`${server.url}/api/export?${query}`, { headers: auth });

  /** Every stored daily row, straight from the store. */
  async function storeRows(site?: string) {
    const sites = [...new Set((await readAll(server.store.totals(site))).map((t) => t.site))];
    return (await Promise.all(sites.map((s) => server.store.daily(s, '0000-01-01', '9999-12-31')))).flat();
  }

  beforeAll(async () => {
    server = await startTestServer({ ADMIN_TOKEN });
    await seed(
      server.store,
      server.clock.now(),
      ARTICLES.map((article, i) => ({ site: 'blog.example.com', article, reads: [i + 1, 0, 2, i] })),
    );
    // A site whose name starts with "-": a spreadsheet would read the cell as a formula.
    await seed(server.store, server.clock.now(), [{ site: '-cmd.example', article: '/x', reads: [1] }]);
  });
  afterAll(async () => {
    await server.close();
  });

  it('writes CSV that a real CSV parser reads back into exactly the stored rows', async () => {
    const response = await get('format=csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="readcounter-all-sites-2026-01-15.csv"');
    const text = await response.text();
    expect(text.startsWith('site,article,day,reads\r\n')).toBe(true);
    const records = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    const parsed = records.map((r) => ({
      site: r.site!.replace(/^'(?=[=+\-@])/, ''),
      article: r.article!,
      day: r.day!,
      reads: Number(r.reads),
    }));
    expect(parsed).toEqual(await storeRows());
    for (const r of records) expect(r.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(parseExport(text).rows).toEqual(await storeRows());
  });

  it('neutralises cells a spreadsheet would run as a formula', async () => {
    const text = await (await get('format=csv')).text();
    const cells = (parse(text, { from_line: 2 }) as string[][]).flat();
    expect(cells.filter((c) => /^[=+\-@]/.test(c))).toEqual([]);
    expect(cells).toContain("'-cmd.example");
  });

  it('writes JSON with every row and the totals', async () => {
    const response = await get('format=json&site=blog.example.com');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('content-disposition')).toContain('readcounter-blog.example.com-2026-01-15.json');
    const body = (await response.json()) as { format: string; version: number; site: string; rows: unknown[]; totals: unknown[] };
    expect(body).toMatchObject({ format: 'readcounter-export', version: 1, site: 'blog.example.com' });
    expect(body.rows).toEqual(await storeRows('blog.example.com'));
    expect(body.totals).toEqual((await readAll(server.store.totals('blog.example.com'))));
  });

  it('limits CSV to one site', async () => {
    const records = parse(await (await get('format=csv&site=-cmd.example')).text(), { columns: true }) as Record<string, string>[];
    expect(records).toEqual([{ site: "'-cmd.example", article: '/x', day: '2026-01-15', reads: '1' }]);
  });

  it.each([
    ['format=xml', 'bad_format'],
    ['format=csv&site=exa%20mple', 'bad_site'],
  ])('answers %s with a 400 %s', async (query, code) => {
    const response = await get(query);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it('needs the token', async () => {
    expect((await fetch(`${server.url}/api/export`)).status).toBe(401);
  });
});
