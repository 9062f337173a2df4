import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connect, type TestSocket } from '../../helpers/ws.js';
import type { AdminServerMessage, ServerMessage } from '../../../shared/protocol.js';
import { ADMIN_TOKEN } from '../../helpers/admin-browser.js';
import { countRead } from '../../helpers/count-read.js';
import { createLiveFeed } from '../../../server/dashboard/live-feed.js';

const SITE = 'blog.example.com';

describe('the dashboard channel on /ws', () => {
  let server: TestServer;
  let cookie: string;
  const sockets: TestSocket[] = [];
  const open = async (options: Parameters<typeof connect>[1]) => {
    const socket = await connect(server.wsUrl, options);
    sockets.push(socket);
    return socket;
  };
  const adminSocket = () => open({ origin: server.url, headers: { cookie } });
  const next = (socket: TestSocket, type: AdminServerMessage['type']) =>
    socket.nextWhere((m) => (m as { type: string }).type === type) as unknown as Promise<AdminServerMessage>;

  beforeAll(async () => {
    server = await startTestServer({ ADMIN_TOKEN });
    await server.store.increment(SITE, '/posts/hello', server.clock.now());
    const login = await fetch(`${server.url}/dashboard/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: new URLSearchParams({ token: ADMIN_TOKEN }),
    });
    cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await server.close();
  });

  it('sends a logged-in dashboard the site figures, then each counted read and the new figures', async () => {
    const dashboard = await adminSocket();
    dashboard.send({ type: 'watch-site', site: 'WWW.blog.example.com' });
    expect(await next(dashboard, 'site')).toEqual({ type: 'site', site: SITE, reads: 1, today: 1, live: 0, reading: [] });

    const reader = await countRead(server, '/posts/hello');
    const feed = await next(dashboard, 'feed');
    // The article and the time: nothing about the reader.
    expect(feed).toEqual({ type: 'feed', site: SITE, article: '/posts/hello', reads: 2, at: new Date(server.clock.now()).toISOString() });
    expect(await next(dashboard, 'site')).toEqual({ type: 'site', site: SITE, reads: 2, today: 2, live: 1, reading: [{ article: '/posts/hello', live: 1 }] });
    await reader.close();
  });

  it('sends nothing about other sites', async () => {
    const dashboard = await adminSocket();
    dashboard.send({ type: 'watch-site', site: 'other.example' });
    await next(dashboard, 'site');
    const reader = await countRead(server, '/posts/hello');
    await reader.close();
    // A read on the watched site afterwards: frames arrive in order, so the first feed frame
    // would be the other site's if it had been sent.
    const own = await countRead(server, '/posts/own', 'https://other.example');
    expect(await next(dashboard, 'feed')).toMatchObject({ site: 'other.example', article: '/posts/own' });
    await own.close();
  });

  it.each([
    ['a page without the session cookie', () => open({ origin: 'https://blog.example.com' })],
    ['the session cookie sent from another origin', () => open({ origin: 'https://evil.example', headers: { cookie } })],
    ['a forged cookie from the dashboard origin', () => open({ origin: server.url, headers: { cookie: `readcounter_admin=${'A'.repeat(43)}` } })],
  ])('refuses watch-site from %s with not_admin', async (_, opener) => {
    const socket = await opener();
    socket.send({ type: 'watch-site', site: SITE });
    const error = (await socket.next('error')) as Extract<ServerMessage, { type: 'error' }>;
    expect(error.code).toBe('not_admin');
    const reader = await countRead(server, '/posts/hello');
    await reader.close();
    expect(socket.received.filter((m) => (m as { type: string }).type === 'feed')).toEqual([]);
  });

  it('answers a bad site with bad_site and keeps the socket open', async () => {
    const dashboard = await adminSocket();
    dashboard.send({ type: 'watch-site', site: 'not a host' });
    expect((await dashboard.next('error')).code).toBe('bad_site');
    dashboard.send({ type: 'watch-site', site: SITE });
    expect(await next(dashboard, 'site')).toMatchObject({ type: 'site', site: SITE });
  });
});

describe('createLiveFeed', () => {
  it('sends every read as a feed frame, but rebuilds the site figures once per event-loop turn', async () => {
    const day = '2026-01-15';
    const at = Date.parse(`${day}T12:00:00Z`);
    const feed = createLiveFeed({
      store: { totals: () => [{ site: SITE, article: '/a', reads: 5 }], daily: () => [{ site: SITE, article: '/a', day, reads: 5 }] },
      hub: () => ({ topicsOf: () => [] }),
      now: () => at,
    });
    const frames: Array<{ type: string; reads: number }> = [];
    feed.watch({ bufferedAmount: 0, send: (frame) => void frames.push(JSON.parse(frame.toString())) }, SITE);
    for (let reads = 6; reads <= 105; reads++) feed.events.readCounted(SITE, '/a', reads, at);
    await new Promise((resolve) => setImmediate(resolve));
    feed.close();
    expect(frames.filter((f) => f.type === 'feed')).toHaveLength(100);
    expect(frames.filter((f) => f.type === 'site').map((f) => f.reads)).toEqual([5, 105]);
  });
});
