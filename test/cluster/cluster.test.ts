import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerMessage } from '../../shared/protocol.js';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import type { ServerProcess } from '../helpers/process.js';
import { BROWSER_UA, connect, type TestSocket } from '../helpers/ws.js';

const SITE = 'blog.example.com';
const ADMIN_TOKEN = 'cluster-test-admin-token-0123456789';
// Generous: three nodes and Redis on two shared cores; every wait ends as soon as its state shows.
const WAIT = { timeout: 15_000, interval: 50 };

const wsUrl = (node: ServerProcess): string => `${node.url.replace(/^http/, 'ws')}/ws`;

/** A reader: its own user agent, so each counts once per article per day (DEDUPE=daily). Avoid bot words ("feed", "bot") in names. */
const reader = (name: string) => ({ userAgent: `${BROWSER_UA} reader/${name}` });

type Shown = { reads: number; live: number };
const isCountOf = (article: string) => (m: ServerMessage): boolean => (m.type === 'count' || m.type === 'counted') && m.article === article;
// What each test page shows now, per article: the latest count frame it was sent.
const showing = new WeakMap<TestSocket, Map<string, Shown>>();

async function page(node: ServerProcess, article: string, mode: 'reading' | 'watching', who = 'watcher'): Promise<TestSocket> {
  const socket = await connect(wsUrl(node), reader(who));
  socket.send({ type: 'subscribe', article, mode });
  showing.set(socket, new Map([[article, (await socket.next('count', WAIT.timeout)) as Shown]]));
  return socket;
}

/** One read by `who` on `node`: the page reads, is answered, and stays open. */
async function read(node: ServerProcess, article: string, who: string): Promise<ServerMessage> {
  const socket = await page(node, article, 'reading', who);
  socket.send({ type: 'read', article });
  const answer = await socket.nextWhere((m) => m.type === 'counted' || m.type === 'error', WAIT.timeout);
  await socket.close();
  return answer;
}

async function count(node: ServerProcess, article: string): Promise<{ status: number; reads?: number; live?: number; error?: { code: string } }> {
  const response = await fetch(`${node.url}/api/count?site=${SITE}&article=${encodeURIComponent(article)}`);
  return { status: response.status, ...((await response.json()) as object) };
}

/** The dashboard's frames (`site`, `feed`) are not page frames: matched by type and fields. */
type DashboardFrame = { type: string; reads: number; live: number } & Record<string, unknown>;
const dashboardFrame = (socket: TestSocket, type: string, match: (f: DashboardFrame) => boolean = () => true): Promise<DashboardFrame> =>
  socket.nextWhere((m) => {
    const frame = m as unknown as DashboardFrame;
    return frame.type === type && match(frame);
  }, WAIT.timeout) as unknown as Promise<DashboardFrame>;

const health = async (node: ServerProcess): Promise<number> => (await fetch(`${node.url}/healthz`)).status;

/** Resolves once what the page shows for `article` (its latest count frame, the first one included) matches. */
async function shows(socket: TestSocket, article: string, match: (m: Shown) => boolean): Promise<Shown> {
  const seen = showing.get(socket) ?? new Map<string, Shown>();
  showing.set(socket, seen);
  const deadline = Date.now() + WAIT.timeout;
  for (;;) {
    for (let i = socket.received.findIndex(isCountOf(article)); i >= 0; i = socket.received.findIndex(isCountOf(article))) {
      seen.set(article, socket.received.splice(i, 1)[0] as unknown as Shown);
    }
    const now = seen.get(article);
    if (now !== undefined && match(now)) return now;
    seen.set(article, (await socket.nextWhere(isCountOf(article), deadline - Date.now())) as unknown as Shown);
  }
}

describe('three nodes on one Redis', () => {
  let cluster: TestCluster;
  let a: ServerProcess;
  let b: ServerProcess;
  let c: ServerProcess;
  beforeAll(async () => {
    cluster = await startCluster(3, { ADMIN_TOKEN });
    [a, b, c] = cluster.nodes as [ServerProcess, ServerProcess, ServerProcess];
  }, 60_000);
  afterAll(async () => {
    await cluster?.cleanup();
  });

  it('ticks the watchers on B and C when a read counts on A', async () => {
    const onB = await page(b, '/tick', 'watching');
    const onC = await page(c, '/tick', 'watching');
    expect(await read(a, '/tick', 'r1')).toMatchObject({ type: 'counted', reads: 1 });
    await Promise.all([shows(onB, '/tick', (m) => m.reads === 1), shows(onC, '/tick', (m) => m.reads === 1)]);
    await Promise.all([onB.close(), onC.close()]);
  });

  it('sums live over the nodes: a reading page on each shows live 3, as /api/count says on every node', async () => {
    const pages = await Promise.all([a, b, c].map((node, i) => page(node, '/live', 'reading', `live${i}`)));
    await Promise.all(pages.map((socket) => shows(socket, '/live', (m) => m.live === 3)));
    for (const node of [a, b, c]) expect(await count(node, '/live')).toMatchObject({ status: 200, live: 3 });
    await pages[0]!.close();
    await Promise.all(pages.slice(1).map((socket) => shows(socket, '/live', (m) => m.live === 2)));
    await Promise.all(pages.slice(1).map((socket) => socket.close()));
    await expect.poll(async () => (await count(c, '/live')).live, WAIT).toBe(0);
  });

  it('counts a reader once per article per day across nodes', async () => {
    expect(await read(a, '/dedupe', 'same')).toMatchObject({ type: 'counted', reads: 1 });
    expect(await read(b, '/dedupe', 'same')).toMatchObject({ type: 'error', code: 'already_read_today' });
    expect(await read(c, '/dedupe', 'other')).toMatchObject({ type: 'counted', reads: 2 });
    for (const node of [a, b, c]) expect(await count(node, '/dedupe')).toMatchObject({ reads: 2 });
  });

  it('never shows a page that moves to another node a lower count', async () => {
    const before = await page(a, '/move', 'watching');
    for (let i = 0; i < 3; i++) await read(c, '/move', `move${i}`);
    const seen = await shows(before, '/move', (m) => m.reads === 3);
    await before.close();
    // Reconnected to another node (a deploy, a load balancer): its first count is the stored one.
    const after = await connect(wsUrl(b), reader('watcher'));
    after.send({ type: 'subscribe', article: '/move', mode: 'watching' });
    const first = (await after.next('count', WAIT.timeout)) as Shown;
    expect(first.reads).toBeGreaterThanOrEqual(seen.reads);
    await read(a, '/move', 'move3');
    await shows(after, '/move', (m) => m.reads === 4);
    await after.close();
  });

  it('shows a dashboard on B every node\'s reads and readers, with a session made on A', async () => {
    const login = await fetch(`${a.url}/dashboard/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: a.url },
      body: new URLSearchParams({ token: ADMIN_TOKEN }),
    });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    // A node's own origin is http://localhost:PORT when PUBLIC_URL is unset, and the dashboard is served from it.
    const own = new URL(b.url.replace('127.0.0.1', 'localhost'));
    const dashboard = await connect(wsUrl(b), { origin: own.origin, headers: { cookie, host: own.host } });
    dashboard.send({ type: 'watch-site', site: SITE });
    const first = await dashboardFrame(dashboard, 'site');
    const readerOnC = await page(c, '/feed', 'reading', 'dashboard-reader');
    await expect.poll(async () => (await count(b, '/feed')).live, WAIT).toBe(1);
    await dashboardFrame(dashboard, 'site', (f) => f.live === 1);
    expect(await read(a, '/feed', 'dashboard1')).toMatchObject({ type: 'counted', reads: 1 });
    expect(await dashboardFrame(dashboard, 'feed')).toMatchObject({ type: 'feed', site: SITE, article: '/feed', reads: 1 });
    await dashboardFrame(dashboard, 'site', (f) => f.reads === first.reads + 1);
    await Promise.all([readerOnC.close(), dashboard.close()]);
  });

  it('repairs counts published while the subscriptions were cut: every node re-reads what its pages show', async () => {
    const watchers = await Promise.all([a, b, c].map((node) => page(node, '/cut', 'watching')));
    const admin = createClient({ url: cluster.redis.url });
    await admin.connect();
    // Every node's subscriber connection is dropped, and kept out (no room for a new connection)
    // while two reads are counted: their messages reach nobody.
    const connected = Number(/connected_clients:(\d+)/.exec(await admin.info('clients'))![1]);
    await admin.configSet('maxclients', String(connected - 3));
    expect(await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub'])).toBe(3);
    const readers = ['cut1', 'cut2'];
    for (const who of readers) expect(await read(a, '/cut', who)).toMatchObject({ type: 'counted' });
    await admin.configSet('maxclients', '10000');
    await admin.close();
    await Promise.all(watchers.map((socket) => shows(socket, '/cut', (m) => m.reads === readers.length)));
    await Promise.all(watchers.map((socket) => socket.close()));
  });

  it('keeps pages ticking through a Redis restart', async () => {
    const watchers = await Promise.all([b, c].map((node) => page(node, '/restart', 'watching')));
    expect(await read(a, '/restart', 'before')).toMatchObject({ type: 'counted', reads: 1 });
    await Promise.all(watchers.map((socket) => shows(socket, '/restart', (m) => m.reads === 1)));
    await cluster.redis.restart();
    for (const node of [a, b, c]) await expect.poll(() => health(node), WAIT).toBe(200);
    await expect.poll(async () => (await read(a, '/restart', 'after')).type, WAIT).toBe('counted');
    await Promise.all(watchers.map((socket) => shows(socket, '/restart', (m) => m.reads === 2)));
    await Promise.all(watchers.map((socket) => socket.close()));
  });

  it('drops the readers of a node killed with kill -9 from live on the others', async () => {
    const victim = await cluster.start();
    const watcher = await page(a, '/kill', 'watching');
    const readers = await Promise.all([page(victim, '/kill', 'reading', 'k1'), page(victim, '/kill', 'reading', 'k2')]);
    await shows(watcher, '/kill', (m) => m.live === 2);
    await cluster.kill9(victim);
    await shows(watcher, '/kill', (m) => m.live === 0);
    expect(await count(b, '/kill')).toMatchObject({ live: 0 });
    await Promise.all([watcher.close(), ...readers.map((socket) => socket.close())]);
  });

  it('loses no acknowledged read when Redis is killed, refuses reads while it is away, and recovers by itself', async () => {
    const acknowledged: number[] = [];
    for (let i = 0; i < 5; i++) {
      const answer = (await read(a, '/redis', `redis${i}`)) as { type: string; reads: number };
      expect(answer.type).toBe('counted');
      acknowledged.push(answer.reads);
    }
    const watcher = await page(b, '/redis', 'watching');
    const open = await page(c, '/redis', 'reading', 'while-down');
    await cluster.redis.kill9();

    await expect.poll(() => health(a), WAIT).toBe(503);
    await expect.poll(() => health(b), WAIT).toBe(503);
    // A page that stayed open tries its read: refused, and never applied later.
    open.send({ type: 'read', article: '/redis' });
    expect(await open.nextWhere((m) => m.type === 'counted' || m.type === 'error', WAIT.timeout)).toMatchObject({ type: 'error', code: 'store_unavailable' });
    await open.close();
    expect(await count(a, '/redis')).toMatchObject({ status: 503, error: { code: 'store_unavailable' } });

    await cluster.redis.restart();
    for (const node of [a, b, c]) await expect.poll(() => health(node), WAIT).toBe(200);
    // AOF `always`: every read a page was told about is still there, and the refused one is not.
    expect(await count(c, '/redis')).toMatchObject({ status: 200, reads: Math.max(...acknowledged) });
    // The page on B stayed open through it all, and ticks again once the nodes resubscribed.
    expect(await read(c, '/redis', 'after')).toMatchObject({ type: 'counted', reads: 6 });
    await shows(watcher, '/redis', (m) => m.reads === 6);
    await watcher.close();
  });
});
