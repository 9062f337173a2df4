import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { publicReads, startTestServer, type TestServer } from '../helpers/server.js';
import { connect, settle, TEST_ORIGIN } from '../helpers/ws.js';
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

describe('GET /ws origin checks', () => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  async function upgradeStatus(origin: string | undefined, path = '/ws', host?: string): Promise<number> {
    return new Promise((resolve) => {
      const headers: Record<string, string> = host === undefined ? {} : { host };
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}${path}`, origin === undefined ? { headers } : { origin, headers });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('error', () => {});
    });
  }

  it('refuses an origin not in ALLOWED_ORIGINS with 403 before the socket opens', async () => {
    server = await startTestServer({ ALLOWED_ORIGINS: TEST_ORIGIN });
    expect(await upgradeStatus('https://evil.example')).toBe(403);
    expect(await upgradeStatus(undefined)).toBe(403);
    expect(await upgradeStatus('null')).toBe(403);
    expect(await upgradeStatus(TEST_ORIGIN)).toBe(101);
    expect(await upgradeStatus('https://www.blog.example.com')).toBe(101);
    expect(await upgradeStatus(TEST_ORIGIN, '/other')).toBe(404);
  });

  it('always lets the server’s own landing page connect: PUBLIC_URL, by default http://localhost:PORT', async () => {
    server = await startTestServer({ ALLOWED_ORIGINS: TEST_ORIGIN });
    expect(await upgradeStatus(`http://localhost:${server.port}`)).toBe(101);
    // Its own origin comes from its settings, never from the Host a request names.
    expect(await upgradeStatus(server.url)).toBe(403);
  });

  it('lets any origin connect when ALLOWED_ORIGINS is empty', async () => {
    server = await startTestServer();
    expect(await upgradeStatus('https://anything.example')).toBe(101);
    expect(await upgradeStatus('http://localhost:4000')).toBe(101);
  });
});

describe('broadcast coalescing', () => {
  it('delivers a burst of reads to a watcher in order, ending on the final count', async () => {
    const server = await startTestServer();
    const N = 40;
    const watcher = await connect(server.wsUrl);
    watcher.send({ type: 'subscribe', article: '/hot', mode: 'watching' });
    await watcher.next('count');
    const readers = await Promise.all(Array.from({ length: N }, () => connect(server.wsUrl)));
    for (const r of readers) r.send({ type: 'subscribe', article: '/hot' });
    await Promise.all(readers.map((r) => r.next('count')));
    await watcher.nextWhere((m) => m.type === 'count' && m.live === N);
    watcher.received.length = 0;
    server.clock.advance(DWELL_MS);
    for (const r of readers) r.send({ type: 'read', article: '/hot' });
    await watcher.nextWhere((m) => m.type === 'count' && m.reads === N);
    // How many broadcasts a burst folds into depends on timing (the hub's unit tests pin the
    // coalescing down); what a watcher may rely on is order and the final value.
    const seen = watcher.received.flatMap((m) => (m.type === 'count' ? [m.reads] : []));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(await server.store.reads(SITE, '/hot')).toBe(N);
    await Promise.all([watcher, ...readers].map((s) => s.close()));
    await server.close();
  });
});

describe('liveness', () => {
  it('terminates a peer that misses a pong, and keeps one that answers', async () => {
    const server = await startTestServer({}, { pingIntervalMs: 40 });
    const answering = await connect(server.wsUrl);
    answering.send({ type: 'subscribe', article: '/a' });
    await answering.next('count');
    const silent = new WebSocket(server.wsUrl, { origin: TEST_ORIGIN, autoPong: false });
    await new Promise((resolve) => silent.once('open', resolve));
    const silentClosed = new Promise<number>((resolve) => silent.once('close', resolve));
    expect(await silentClosed).toBe(1006);
    expect(answering.ws.readyState).toBe(WebSocket.OPEN);
    await expect.poll(() => server.server.connections.size).toBe(1);
    await answering.close();
    await server.close();
  });
});
