import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publicReads, startTestServer, type TestServer } from '../helpers/server.js';
import { connect, settle } from '../helpers/ws.js';
import { readAll } from '../../server/store/read-all.js';
import { lmdbRoot } from '../helpers/lmdb.js';

const SITE = 'blog.example.com';
const DWELL_MS = 10_000;

const reads = (server: TestServer, article: string, site = SITE): Promise<number> => publicReads(server.url, site, article);

describe('GET /ws', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('greets with the dwell time, then answers a subscribe with the count', async () => {
    const page = await connect(server.wsUrl);
    expect(page.received).toEqual([]);
    page.send({ type: 'subscribe', article: '/posts/hello', mode: 'reading' });
    expect(await page.next('count')).toEqual({ type: 'count', article: '/posts/hello', reads: 0, live: 1 });
    await page.close();
  });

  it('refuses an early read and changes nothing', async () => {
    const page = await connect(server.wsUrl);
    page.send({ type: 'subscribe', article: '/a', mode: 'reading' });
    await page.next('count');
    server.clock.advance(DWELL_MS - 1);
    page.send({ type: 'read', article: '/a' });
    const error = await page.next('error');
    expect(error).toMatchObject({ code: 'too_early', article: '/a', retryAfterMs: 1 });
    expect(await reads(server, '/a')).toBe(0);
    await page.close();
  });

  it('counts a read after the dwell time once, and refuses a second on the same connection', async () => {
    const page = await connect(server.wsUrl);
    page.send({ type: 'subscribe', article: '/a', mode: 'reading' });
    await page.next('count');
    server.clock.advance(DWELL_MS);
    page.send({ type: 'read', article: '/a' });
    page.send({ type: 'read', article: '/a' });
    expect(await page.next('error')).toMatchObject({ code: 'already_counted', article: '/a' });
    expect(await page.next('counted')).toEqual({ type: 'counted', article: '/a', reads: 1, live: 1 });
    server.clock.advance(DWELL_MS);
    page.send({ type: 'read', article: '/a' });
    expect(await page.next('error')).toMatchObject({ code: 'already_counted' });
    expect(await reads(server, '/a')).toBe(1);
    await page.close();
  });

  it('sends the reader its own read once, as counted, and the broadcast only to the others', async () => {
    const reader = await connect(server.wsUrl);
    const watcher = await connect(server.wsUrl);
    watcher.send({ type: 'subscribe', article: '/a', mode: 'watching' });
    await watcher.next('count');
    reader.send({ type: 'subscribe', article: '/a', mode: 'reading' });
    await reader.next('count');
    await watcher.nextWhere((m) => m.type === 'count' && m.live === 1);
    server.clock.advance(DWELL_MS);
    reader.send({ type: 'read', article: '/a' });
    expect(await reader.next('counted')).toEqual({ type: 'counted', article: '/a', reads: 1, live: 1 });
    expect(await watcher.nextWhere((m) => m.type === 'count' && m.reads === 1)).toMatchObject({ live: 1 });
    await settle(reader);
    expect(reader.received.filter((m) => m.type === 'count' && m.reads === 1)).toEqual([]);
    await Promise.all([reader.close(), watcher.close()]);
  });

  it('refuses reads for articles not subscribed, or only watched', async () => {
    const page = await connect(server.wsUrl);
    page.send({ type: 'read', article: '/a' });
    expect(await page.next('error')).toMatchObject({ code: 'not_subscribed' });
    page.send({ type: 'subscribe', article: '/b', mode: 'watching' });
    await page.next('count');
    server.clock.advance(DWELL_MS);
    page.send({ type: 'read', article: '/b' });
    expect(await page.next('error')).toMatchObject({ code: 'not_reading' });
    expect(await reads(server, '/a')).toBe(0);
    expect(await reads(server, '/b')).toBe(0);
    await page.close();
  });

  it('sends a new count to every watcher of the article', async () => {
    const reader = await connect(server.wsUrl);
    const watcherA = await connect(server.wsUrl);
    const watcherB = await connect(server.wsUrl);
    for (const w of [watcherA, watcherB]) {
      w.send({ type: 'subscribe', article: '/a', mode: 'watching' });
      await w.next('count');
    }
    reader.send({ type: 'subscribe', article: '/a', mode: 'reading' });
    await reader.next('count');
    server.clock.advance(DWELL_MS);
    reader.send({ type: 'read', article: '/a' });
    for (const w of [watcherA, watcherB]) {
      expect(await w.nextWhere((m) => m.type === 'count' && m.reads === 1)).toEqual({ type: 'count', article: '/a', reads: 1, live: 1 });
    }
    await Promise.all([reader, watcherA, watcherB].map((s) => s.close()));
  });

  it('sends nothing to a watcher of another article or another site', async () => {
    const reader = await connect(server.wsUrl);
    const otherArticle = await connect(server.wsUrl);
    const otherSite = await connect(server.wsUrl, { origin: 'https://other.example' });
    otherArticle.send({ type: 'subscribe', article: '/b', mode: 'watching' });
    otherSite.send({ type: 'subscribe', article: '/a', mode: 'watching' });
    await otherArticle.next('count');
    await otherSite.next('count');
    reader.send({ type: 'subscribe', article: '/a', mode: 'reading' });
    await reader.next('count');
    server.clock.advance(DWELL_MS);
    reader.send({ type: 'read', article: '/a' });
    await reader.next('counted');
    await settle(otherArticle, otherSite);
    // One more event-loop turn for any broadcast to go out, then a round trip to receive it.
    await new Promise((resolve) => setImmediate(resolve));
    await settle(otherArticle, otherSite);
    expect(otherArticle.received).toEqual([]);
    expect(otherSite.received).toEqual([]);
    expect(await reads(server, '/a', 'other.example')).toBe(0);
    await Promise.all([reader, otherArticle, otherSite].map((s) => s.close()));
  });

  it('counts live pages up and down as they open and close', async () => {
    const watcher = await connect(server.wsUrl);
    watcher.send({ type: 'subscribe', article: '/a', mode: 'watching' });
    expect(await watcher.next('count')).toMatchObject({ live: 0 });
    const first = await connect(server.wsUrl);
    first.send({ type: 'subscribe', article: '/a', mode: 'reading' });
    expect(await watcher.nextWhere((m) => m.type === 'count' && m.live === 1)).toMatchObject({ live: 1 });
    const second = await connect(server.wsUrl);
    second.send({ type: 'subscribe', article: '/a' });
    expect(await watcher.nextWhere((m) => m.type === 'count' && m.live === 2)).toMatchObject({ live: 2 });
    await first.close();
    expect(await watcher.nextWhere((m) => m.type === 'count' && m.live === 1)).toMatchObject({ live: 1 });
    second.send({ type: 'unsubscribe', article: '/a' });
    expect(await watcher.nextWhere((m) => m.type === 'count' && m.live === 0)).toMatchObject({ live: 0 });
    const body = await (await fetch(`${server.url}/api/count?site=${SITE}&article=/a`)).json();
    expect(body).toEqual({ site: SITE, article: '/a', reads: 0, live: 0 });
    await Promise.all([watcher, second].map((s) => s.close()));
  });

  it('answers bad frames with an error frame and keeps the connection', async () => {
    const page = await connect(server.wsUrl);
    page.sendRaw('not json');
    expect(await page.next('error')).toMatchObject({ code: 'bad_json' });
    page.sendRaw(Buffer.from('{"type":"read","article":"/a"}'));
    expect(await page.next('error')).toMatchObject({ code: 'bad_message' });
    page.send({ type: 'subscribe', article: 'no-slash' });
    expect(await page.next('error')).toMatchObject({ code: 'bad_article' });
    page.send({ type: 'subscribe', article: '/ok' });
    expect(await page.next('count')).toMatchObject({ article: '/ok' });
    expect(await reads(server, '/a')).toBe(0);
    await page.close();
  });

  it('closes an oversized frame with 1009 and a flood with 1008, and the flood counts nothing more', async () => {
    const big = await connect(server.wsUrl);
    big.sendRaw(JSON.stringify({ type: 'read', article: `/${'a'.repeat(5000)}` }));
    expect((await big.closed).code).toBe(1009);
    expect((await readAll(server.store.totals()))).toEqual([]);

    const flood = await connect(server.wsUrl);
    flood.send({ type: 'subscribe', article: '/a' });
    await flood.next('count');
    server.clock.advance(DWELL_MS);
    for (let i = 0; i < 100; i++) flood.send({ type: 'read', article: '/a' });
    expect((await flood.closed).code).toBe(1008);
    expect(flood.received.some((m) => m.type === 'error' && m.code === 'rate_limited')).toBe(true);
    // The first read, inside the limit, is a real read and counts; the other 99 add nothing.
    await expect.poll(() => reads(server, '/a')).toBe(1);
    await lmdbRoot(server.server.store).flushed;
    expect(await reads(server, '/a')).toBe(1);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('limits subscriptions per connection', async () => {
    await server.close();
    server = await startTestServer({ MAX_SUBSCRIPTIONS: '2' });
    const page = await connect(server.wsUrl);
    for (const article of ['/1', '/2']) {
      page.send({ type: 'subscribe', article });
      await page.next('count');
    }
    page.send({ type: 'subscribe', article: '/3' });
    expect(await page.next('error')).toMatchObject({ code: 'too_many_subscriptions', article: '/3' });
    expect(server.hub.live(SITE, '/3')).toBe(0);
    await page.close();
  });

  it('keeps the counts across a restart on the same DATA_DIR', async () => {
    const page = await connect(server.wsUrl);
    page.send({ type: 'subscribe', article: '/a' });
    await page.next('count');
    server.clock.advance(DWELL_MS);
    page.send({ type: 'read', article: '/a' });
    await page.next('counted');
    await server.restart();
    expect((await page.closed).code).toBe(1001);
    const again = await connect(server.wsUrl);
    again.send({ type: 'subscribe', article: '/a', mode: 'watching' });
    expect(await again.next('count')).toMatchObject({ reads: 1 });
    await again.close();
  });
});
