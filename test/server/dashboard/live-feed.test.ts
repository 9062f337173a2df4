import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connect, type TestSocket } from '../../helpers/ws.js';
import type { AdminServerMessage, ServerMessage } from '../../../shared/protocol.js';
import { ADMIN_TOKEN } from '../../helpers/admin-browser.js';
import { countRead } from '../../helpers/count-read.js';
import { createLiveFeed, type LiveFeed } from '../../../server/dashboard/live-feed.js';
import { createHub, type Hub } from '../../../server/live/hub.js';
import { fakePeer, nextTurn } from '../../helpers/fake-peer.js';

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

  it('sends a logged-in dashboard the site figures, a page arriving, then each counted read and the new figures', async () => {
    const dashboard = await adminSocket();
    dashboard.send({ type: 'watch-site', site: 'WWW.blog.example.com' });
    expect(await next(dashboard, 'site')).toEqual({ type: 'site', site: SITE, reads: 1, today: 1, live: 0, reading: [] });

    const reader = await open({ origin: 'https://blog.example.com' });
    reader.send({ type: 'subscribe', article: '/posts/hello', mode: 'reading' });
    // No read yet: "reading now" follows the hub's presence, not a poll.
    expect(await next(dashboard, 'site')).toEqual({ type: 'site', site: SITE, reads: 1, today: 1, live: 1, reading: [{ article: '/posts/hello', live: 1 }] });
    await reader.next('count');
    server.clock.advance(10_000);
    reader.send({ type: 'read', article: '/posts/hello' });
    await reader.next('counted');
    const feed = await next(dashboard, 'feed');
    // The article and the time: nothing about the reader.
    expect(feed).toEqual({ type: 'feed', site: SITE, article: '/posts/hello', reads: 2, at: new Date(server.clock.now()).toISOString() });
    expect(await next(dashboard, 'site')).toEqual({ type: 'site', site: SITE, reads: 2, today: 2, live: 1, reading: [{ article: '/posts/hello', live: 1 }] });

    await reader.close();
    expect(await next(dashboard, 'site')).toEqual({ type: 'site', site: SITE, reads: 2, today: 2, live: 0, reading: [] });
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
  const day = '2026-01-15';
  let time = Date.parse(`${day}T12:00:00Z`);
  let hub: Hub;
  let feed: LiveFeed;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    time = Date.parse(`${day}T12:00:00Z`);
    hub = createHub({ loadReads: () => 0 });
    feed = createLiveFeed({
      store: { siteTotal: async () => ({ reads: 5, articles: 1 }), daily: async (_site, from) => (from === day ? [{ site: SITE, article: '/a', day, reads: 5 }] : []) },
      hub,
      now: () => time,
    });
  });
  afterEach(() => {
    feed.close();
    hub.close();
    vi.useRealTimers();
  });

  it('sends every read as a feed frame, but the site figures once per event-loop turn (latest wins)', async () => {
    const admin = fakePeer();
    feed.watch(admin, SITE);
    await nextTurn();
    for (let reads = 6; reads <= 105; reads++) feed.events.readCounted(SITE, '/a', reads, time);
    await nextTurn();
    expect(admin.frames.filter((f) => f.type === 'feed')).toHaveLength(100);
    expect(admin.frames.filter((f) => f.type === 'site').map((f) => [f.reads, f.today])).toEqual([[5, 5], [105, 105]]);
  });

  it('skips a dashboard socket over the hub\'s back-pressure limit (64 KiB) for feed frames, and brings it up to date once it drains', async () => {
    const slow = fakePeer();
    feed.watch(slow, SITE);
    await nextTurn();
    slow.buffered = 100 * 1024;
    feed.events.readCounted(SITE, '/a', 6, time);
    await nextTurn();
    expect(slow.frames.map((f) => f.type)).toEqual(['site']);
    slow.buffered = 0;
    vi.advanceTimersByTime(50);
    await nextTurn();
    expect(slow.frames.at(-1)).toMatchObject({ type: 'site', reads: 6, today: 6 });
  });

  it('follows "reading now" through the hub\'s presence, with no read and no poll', async () => {
    const admin = fakePeer();
    feed.watch(admin, SITE);
    await nextTurn();
    const page = fakePeer();
    const topic = hub.subscribe(page, SITE, '/a', 'reading');
    vi.advanceTimersByTime(1000);
    await nextTurn();
    expect(admin.frames.map((f) => [f.type, f.live])).toEqual([['site', 0], ['site', 1]]);
    hub.unsubscribe(page, topic, 'reading');
    vi.advanceTimersByTime(1000);
    await nextTurn();
    expect(admin.frames.map((f) => [f.type, f.live])).toEqual([['site', 0], ['site', 1], ['site', 0]]);
  });

  it('starts "today" over at 00:00 UTC with nothing else happening', async () => {
    const admin = fakePeer();
    feed.watch(admin, SITE);
    await nextTurn();
    time = Date.parse('2026-01-16T00:00:00Z');
    vi.advanceTimersByTime(12 * 3_600_000);
    await nextTurn();
    expect(admin.frames.map((f) => [f.reads, f.today])).toEqual([[5, 5], [5, 0]]);
  });

  it('keeps a socket quiet when the store cannot be read, and reads it again on the next watch (an async store)', async () => {
    let down = true;
    const store = {
      siteTotal: async () => {
        if (down) throw new Error('store down');
        return { reads: 7, articles: 1 };
      },
      daily: async () => [],
    };
    const flaky = createLiveFeed({ store, hub, now: () => time });
    const admin = fakePeer();
    flaky.watch(admin, SITE);
    await nextTurn();
    expect(admin.frames).toEqual([]);
    expect([...hub.watchedSites()]).toEqual([]);
    down = false;
    flaky.watch(admin, SITE);
    await nextTurn();
    expect(admin.frames).toMatchObject([{ type: 'site', reads: 7, today: 0 }]);
    flaky.close();
  });

  it('never puts a socket that closed while its site\'s figures were read on the channel', async () => {
    const admin = fakePeer();
    feed.watch(admin, SITE);
    feed.unwatch(admin);
    await nextTurn();
    expect(admin.frames).toEqual([]);
    expect([...hub.watchedSites()]).toEqual([]);
  });
});
