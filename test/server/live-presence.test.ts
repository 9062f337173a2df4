import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connect, type TestSocket } from '../helpers/ws.js';

const SITE = 'blog.example.com';
const TOKEN = 'presence-test-token-0123456789';

/** `live` of an article as GET /api/count and the dashboard's stats API report it. */
async function liveFigures(server: TestServer, article: string): Promise<{ count: number; stats: number }> {
  const query = `site=${SITE}&article=${encodeURIComponent(article)}`;
  const count = (await (await fetch(`${server.url}/api/count?${query}`)).json()) as { live: number };
  const stats = (await (await fetch(`${server.url}/api/stats?${query}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { live: number };
  return { count: count.live, stats: stats.live };
}

/** Resolves once the page's latest count for `article` shows `live`. */
const shows = (page: TestSocket, article: string, live: number) => page.nextWhere((m) => m.type === 'count' && m.article === article && m.live === live);

async function openReaders(server: TestServer, article: string, n: number): Promise<TestSocket[]> {
  const pages = await Promise.all(Array.from({ length: n }, () => connect(server.wsUrl)));
  for (const page of pages) page.send({ type: 'subscribe', article, mode: 'reading' });
  await Promise.all(pages.map((page) => page.next('count')));
  return pages;
}

describe('live on a busy article', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ ADMIN_TOKEN: TOKEN });
  });
  afterEach(async () => {
    await server.close();
  });

  it('settles every page on the exact live once pages stop coming and going, as /api/count and the dashboard say', async () => {
    const watcher = await connect(server.wsUrl);
    watcher.send({ type: 'subscribe', article: '/busy', mode: 'watching' });
    expect(await watcher.next('count')).toMatchObject({ live: 0 });
    const readers = await openReaders(server, '/busy', 30);
    const leaving = readers.splice(0, 12);
    await Promise.all(leaving.map((page) => page.close()));
    // Every page still open ends on 18, whatever it saw while the crowd moved.
    await Promise.all([watcher, ...readers].map((page) => shows(page, '/busy', 18)));
    expect(await liveFigures(server, '/busy')).toEqual({ count: 18, stats: 18 });
    expect(await server.store.reads(SITE, '/busy')).toBe(0);
    await Promise.all([watcher, ...readers].map((page) => page.close()));
  });

  it('shows live 0 on an article nobody is reading any more', async () => {
    const watcher = await connect(server.wsUrl);
    watcher.send({ type: 'subscribe', article: '/quiet', mode: 'watching' });
    await watcher.next('count');
    const readers = await openReaders(server, '/quiet', 5);
    await shows(watcher, '/quiet', 5);
    await Promise.all(readers.map((page) => page.close()));
    await shows(watcher, '/quiet', 0);
    expect(await liveFigures(server, '/quiet')).toEqual({ count: 0, stats: 0 });
    await watcher.close();
    expect(await liveFigures(server, '/quiet')).toEqual({ count: 0, stats: 0 });
  });
});
