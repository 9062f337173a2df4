import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { BROWSER_UA, TEST_ORIGIN, connect, readOnce } from '../../helpers/ws.js';
import { readAll } from '../../../server/store/read-all.js';

const SITE = 'blog.example.com';

async function healthy(server: TestServer): Promise<void> {
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
}

/** No article of any site has a read: what every refusal below must leave behind. */
async function expectNothingCounted(server: TestServer): Promise<void> {
  expect(await readAll(server.store.totals())).toEqual([]);
}

describe('limits', () => {
  let server: TestServer;
  afterEach(async () => {
    await healthy(server);
    await server.close();
  });

  it('closes a frame over MAX_FRAME_BYTES with 1009 and counts nothing', async () => {
    server = await startTestServer({ MAX_FRAME_BYTES: '512' });
    const page = await connect(server.wsUrl);
    page.send({ type: 'subscribe', article: '/a' });
    await page.next('count');
    server.clock.advance(10_000);
    page.send({ type: 'read', article: '/a', padding: 'x'.repeat(600) });
    expect((await page.closed).code).toBe(1009);
    expect(await server.store.reads(SITE, '/a')).toBe(0);
  });

  it('closes a connection over MAX_FRAMES_PER_SECOND with 1008 and rate_limited', async () => {
    server = await startTestServer({ MAX_FRAMES_PER_SECOND: '5' });
    const page = await connect(server.wsUrl);
    for (let i = 0; i < 6; i++) page.send({ type: 'subscribe', article: `/a${i}`, mode: 'watching' });
    expect((await page.closed).code).toBe(1008);
    expect(page.received.at(-1)).toMatchObject({ type: 'error', code: 'rate_limited' });
    expect(page.received.filter((m) => m.type === 'count')).toHaveLength(5);
    await expect.poll(() => [...server.hub.topics()].length).toBe(0);
    await expectNothingCounted(server);
  });

  it('lets a connection that stays under MAX_FRAMES_PER_SECOND keep going', async () => {
    server = await startTestServer({ MAX_FRAMES_PER_SECOND: '5' });
    const page = await connect(server.wsUrl);
    for (let second = 0; second < 3; second++) {
      for (let i = 0; i < 5; i++) page.send({ type: 'subscribe', article: `/s${second}-${i}`, mode: 'watching' });
      for (let i = 0; i < 5; i++) await page.next('count');
      server.clock.advance(1000);
    }
    expect(page.ws.readyState).toBe(WebSocket.OPEN);
    await page.close();
  });

  it('refuses a subscription over MAX_SUBSCRIPTIONS and keeps the connection', async () => {
    server = await startTestServer({ MAX_SUBSCRIPTIONS: '3' });
    const page = await connect(server.wsUrl);
    for (const a of ['/1', '/2', '/3']) {
      page.send({ type: 'subscribe', article: a });
      await page.next('count');
    }
    page.send({ type: 'subscribe', article: '/4' });
    expect(await page.next('error')).toMatchObject({ code: 'too_many_subscriptions', article: '/4' });
    page.send({ type: 'subscribe', article: '/1', mode: 'watching' });
    expect(await page.nextWhere((m) => m.type === 'count' && m.article === '/1' && m.live === 0)).toMatchObject({ article: '/1' });
    expect(server.hub.live(SITE, '/4')).toBe(0);
    await expectNothingCounted(server);
    await page.close();
  });

  it('refuses an upgrade over MAX_CONNECTIONS_PER_IP with 429, and frees the slot on close', async () => {
    server = await startTestServer({ MAX_CONNECTIONS_PER_IP: '2', TRUST_PROXY: 'xff' });
    const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
    const first = await connect(server.wsUrl, from('198.51.100.1'));
    const second = await connect(server.wsUrl, from('198.51.100.1'));
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(server.wsUrl, { origin: TEST_ORIGIN, headers: { 'user-agent': BROWSER_UA, 'x-forwarded-for': '198.51.100.1' } });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    expect(status).toBe(429);
    await expectNothingCounted(server);
    const otherIp = await connect(server.wsUrl, from('198.51.100.2'));
    await first.close();
    // The server frees the slot when it sees the close, a moment after the page does.
    await vi.waitFor(() => expect(server.server.connections.size).toBe(2));
    const third = await connect(server.wsUrl, from('198.51.100.1'));
    await Promise.all([second, otherIp, third].map((s) => s.close()));
  });

  it('refuses reads over MAX_READS_PER_IP_PER_MINUTE with too_many_reads, changing nothing', async () => {
    server = await startTestServer({ MAX_READS_PER_IP_PER_MINUTE: '2', TRUST_PROXY: 'xff' });
    const from = { headers: { 'x-forwarded-for': '198.51.100.1' } };
    expect(await readOnce(server.wsUrl, server.clock.advance, '/1', from)).toMatchObject({ type: 'counted' });
    expect(await readOnce(server.wsUrl, server.clock.advance, '/2', from)).toMatchObject({ type: 'counted' });
    expect(await readOnce(server.wsUrl, server.clock.advance, '/3', from)).toMatchObject({ type: 'error', code: 'too_many_reads' });
    expect(await server.store.reads(SITE, '/3')).toBe(0);
    expect(await readOnce(server.wsUrl, server.clock.advance, '/3', { headers: { 'x-forwarded-for': '198.51.100.2' } })).toMatchObject({ type: 'counted' });
    server.clock.advance(60_000);
    expect(await readOnce(server.wsUrl, server.clock.advance, '/4', from)).toMatchObject({ type: 'counted' });
  });

  it('refuses an article key over MAX_ARTICLE_BYTES with bad_article', async () => {
    server = await startTestServer({ MAX_ARTICLE_BYTES: '32' });
    const page = await connect(server.wsUrl);
    page.send({ type: 'subscribe', article: `/${'a'.repeat(40)}` });
    expect(await page.next('error')).toMatchObject({ code: 'bad_article', message: 'article must be at most 32 bytes' });
    expect([...server.hub.topics()]).toHaveLength(0);
    await page.close();
    await expectNothingCounted(server);
  });

  it('refuses request bodies over 16 KiB with 413', async () => {
    server = await startTestServer();
    const response = await fetch(`${server.url}/api/count`, { method: 'POST', body: 'x'.repeat(20_000) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'body_too_large' } });
    await expectNothingCounted(server);
  });
});
