import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connect } from '../../helpers/ws.js';

const SITE = 'blog.example.com';

describe('GET /api/counts', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    const at = server.clock.now();
    await Promise.all([
      server.store.increment(SITE, '/posts/a', at),
      server.store.increment(SITE, '/posts/a', at),
      server.store.increment(SITE, '/posts/b', at),
      server.store.increment('other.example', '/posts/a', at),
    ]);
  });
  afterAll(async () => {
    await server.close();
  });

  const get = (query: string, init?: RequestInit) => fetch(`${server.url}/api/counts${query}`, init);

  it('answers every article in the order asked, unknown ones with 0, with open CORS', async () => {
    const response = await get(`?site=WWW.${SITE}&article=/posts/b&article=/nope&article=/posts/a`, { headers: { origin: 'https://anywhere.example' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.json()).toEqual({
      site: SITE,
      counts: [
        { article: '/posts/b', reads: 1, live: 0 },
        { article: '/nope', reads: 0, live: 0 },
        { article: '/posts/a', reads: 2, live: 0 },
      ],
    });
  });

  it('lists an article once when it is asked for twice, under its normalized key', async () => {
    const body = await (await get(`?site=${SITE}&article=/posts/a&article=/posts/b&article=/posts/a/?utm=x`)).json();
    expect(body.counts.map((c: { article: string }) => c.article)).toEqual(['/posts/a', '/posts/b']);
  });

  it('includes the pages reading an article now', async () => {
    const page = await connect(server.wsUrl);
    page.send({ type: 'subscribe', article: '/posts/b', mode: 'reading' });
    await page.next('count');
    const body = await (await get(`?site=${SITE}&article=/posts/a&article=/posts/b`)).json();
    expect(body.counts).toEqual([
      { article: '/posts/a', reads: 2, live: 0 },
      { article: '/posts/b', reads: 1, live: 1 },
    ]);
    await page.close();
  });

  it('accepts 100 articles', async () => {
    const query = Array.from({ length: 100 }, (_, i) => `&article=/p/${i}`).join('');
    const body = await (await get(`?site=${SITE}${query}`)).json();
    expect(body.counts).toHaveLength(100);
    expect(body.counts[99]).toEqual({ article: '/p/99', reads: 0, live: 0 });
  });

  it.each([
    ['', 'bad_site'],
    ['?article=/posts/a', 'bad_site'],
    ['?site=exa%00mple.com&article=/posts/a', 'bad_site'],
    [`?site=${SITE}`, 'bad_article'],
    [`?site=${SITE}&article=`, 'bad_article'],
    [`?site=${SITE}&article=/posts/a&article=nope`, 'bad_article'],
    [`?site=${SITE}&article=/posts/a&article=%`, 'bad_article'],
    [`?site=${SITE}${Array.from({ length: 101 }, (_, i) => `&article=/p/${i}`).join('')}`, 'too_many_articles'],
  ])('GET /api/counts%s is a 400 %s and changes no count', async (query, code) => {
    const response = await get(query);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).not.toBe('');
    expect(await server.store.reads(SITE, '/posts/a')).toBe(2);
    expect(await server.store.reads(SITE, '/posts/b')).toBe(1);
    expect(await server.store.reads(SITE, '/p/0')).toBe(0);
  });
});
