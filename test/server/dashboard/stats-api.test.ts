import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import type { SiteStats } from '../../../server/stats/site-stats.js';
import { ADMIN_TOKEN } from '../../helpers/admin-browser.js';
import { seed } from '../../helpers/seed.js';
import { readAll } from '../../../server/store/read-all.js';

const SITE = 'blog.example.com';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

describe('GET /api/stats', () => {
  let server: TestServer;
  const get = async (query: string) => {
    const response = await fetch(`${server.url}/api/stats?${query}`, { headers: auth });
    return { status: response.status, body: (await response.json()) as SiteStats & { error: { code: string; message: string } } };
  };

  beforeAll(async () => {
    server = await startTestServer({ ADMIN_TOKEN });
    // The test clock is 2026-01-15 12:00 UTC. Reads on Jan 9, 10, 12 and 15; none on 11, 13, 14.
    await seed(server.store, server.clock.now(), [
      { site: SITE, article: '/posts/a', reads: [2, 1, 0, 4, 0, 0, 3] },
      { site: SITE, article: '/posts/b', reads: [0, 5, 0, 0, 0, 0, 1] },
      { site: 'other.example', article: '/posts/a', reads: [9] },
    ]);
  });
  afterAll(async () => {
    await server.close();
  });

  it('gives every day of the range, zeros included, summing to the totals', async () => {
    const { status, body } = await get(`site=${SITE}&from=2026-01-09&to=2026-01-15`);
    expect(status).toBe(200);
    expect(body.daily).toEqual([
      { day: '2026-01-09', reads: 2 },
      { day: '2026-01-10', reads: 6 },
      { day: '2026-01-11', reads: 0 },
      { day: '2026-01-12', reads: 4 },
      { day: '2026-01-13', reads: 0 },
      { day: '2026-01-14', reads: 0 },
      { day: '2026-01-15', reads: 4 },
    ]);
    const sum = body.daily.reduce((s, d) => s + d.reads, 0);
    expect(body.reads).toBe(sum);
    expect(body.total).toBe(sum);
    const storeTotal = (await readAll(server.store.totals(SITE))).reduce((s, t) => s + t.reads, 0);
    expect(body.total).toBe(storeTotal);
    expect(body.articles.reduce((s, a) => s + a.reads, 0)).toBe(sum);
    expect(body.articles.map((a) => [a.article, a.reads, a.total])).toEqual([['/posts/a', 10, 10], ['/posts/b', 6, 6]]);
    expect(body).toMatchObject({ site: SITE, article: null, from: '2026-01-09', to: '2026-01-15', today: 4, yesterday: 0 });
  });

  it('treats from and to as inclusive UTC days', async () => {
    const { body } = await get(`site=${SITE}&from=2026-01-10&to=2026-01-10`);
    expect(body.daily).toEqual([{ day: '2026-01-10', reads: 6 }]);
    expect(body.reads).toBe(6);
    expect((await get(`site=${SITE}&from=2026-01-10&to=2026-01-12`)).body.reads).toBe(10);
  });

  it('defaults to the 30 days ending today', async () => {
    const { body } = await get(`site=${SITE}`);
    expect(body.daily).toHaveLength(30);
    expect(body.from).toBe('2025-12-17');
    expect(body.to).toBe('2026-01-15');
    expect(body.reads).toBe(16);
  });

  it('gives one article its own series', async () => {
    const { body } = await get(`site=${SITE}&article=/posts/b/&from=2026-01-10&to=2026-01-15`);
    expect(body.article).toBe('/posts/b');
    expect(body.daily.map((d) => d.reads)).toEqual([5, 0, 0, 0, 0, 1]);
    expect(body).toMatchObject({ reads: 6, total: 6, today: 1, articles: [] });
  });

  it('keeps sites apart', async () => {
    const { body } = await get('site=other.example&from=2026-01-15&to=2026-01-15');
    expect(body.total).toBe(9);
    expect(body.articles).toEqual([{ article: '/posts/a', reads: 9, total: 9, live: 0 }]);
  });

  it.each([
    ['from=2026-02-30', 'bad_date'],
    ['from=2026-1-5', 'bad_date'],
    ['to=yesterday', 'bad_date'],
    ['from=2026-01-15T00:00:00Z', 'bad_date'],
    ['from=2026-01-12&to=2026-01-10', 'bad_date'],
    ['from=2000-01-01&to=2026-01-10', 'bad_date'],
    ['from=', 'bad_date'],
  ])('answers %s with a 400 %s that says what is expected, changing nothing', async (query, code) => {
    const before = (await readAll(server.store.totals()));
    const { status, body } = await get(`site=${SITE}&${query}`);
    expect(status).toBe(400);
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(/YYYY-MM-DD|after|at most/);
    expect((await readAll(server.store.totals()))).toEqual(before);
  });

  it('answers a missing site with a 400 listing the known sites', async () => {
    const { status, body } = await get('');
    expect(status).toBe(400);
    expect(body.error.code).toBe('bad_site');
    expect(body.error.message).toContain('blog.example.com');
  });

  it('answers a bad article with a 400', async () => {
    const { status, body } = await get(`site=${SITE}&article=nope`);
    expect(status).toBe(400);
    expect(body.error.code).toBe('bad_article');
  });
});
