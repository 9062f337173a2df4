import { connect as tcpConnect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connect, readOnce } from '../../helpers/ws.js';
import { readAll } from '../../../server/store/read-all.js';

interface Flood {
  sockets: Socket[];
  /** Resolves once `n` of them were closed by the server. */
  closedAtLeast(n: number): Promise<void>;
  readonly open: number;
  end(): void;
}

/** Opens `count` idle TCP connections from `localAddress` that never send a byte. */
async function flood(server: TestServer, localAddress: string, count: number): Promise<Flood> {
  const sockets: Socket[] = [];
  let closed = 0;
  let waiters: { n: number; wake: () => void }[] = [];
  for (let i = 0; i < count; i++) {
    const socket = tcpConnect({ host: '127.0.0.1', port: server.port, localAddress });
    // Read, so the server's 503 and close reach us; the server frees its side either way.
    socket.on('error', () => {}).resume();
    socket.on('close', () => {
      closed++;
      waiters = waiters.filter((w) => (closed >= w.n ? void w.wake() : true));
    });
    await new Promise<void>((resolve) => socket.once('connect', resolve).once('close', resolve));
    sockets.push(socket);
  }
  return {
    sockets,
    closedAtLeast: (n) => (closed >= n ? Promise.resolve() : new Promise((wake) => waiters.push({ n, wake }))),
    get open() {
      return sockets.filter((s) => !s.destroyed && s.readyState === 'open').length;
    },
    end: () => sockets.forEach((s) => s.destroy()),
  };
}

/** /healthz, a page's WebSocket and a counted read from a network that is not flooding. */
async function othersStillServed(server: TestServer, localAddress: string): Promise<void> {
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  const page = await connect(server.wsUrl, { localAddress });
  page.send({ type: 'subscribe', article: '/a' });
  expect(await page.next('count')).toMatchObject({ reads: 0 });
  await page.close();
}

describe('TCP connection limits', () => {
  let server: TestServer;
  const floods: Flood[] = [];
  afterEach(async () => {
    for (const f of floods.splice(0)) f.end();
    await server.close();
  });

  it('holds at most MAX_TCP_CONNECTIONS_PER_IP idle connections from one address; others are still served', async () => {
    server = await startTestServer({ MAX_TCP_CONNECTIONS_PER_IP: '20' });
    const f = await flood(server, '127.0.0.2', 100);
    floods.push(f);
    await f.closedAtLeast(80);
    expect(f.open).toBe(20);
    await othersStillServed(server, '127.0.0.3');
    // The flood counted nothing, and a reader from elsewhere still counts.
    expect((await readAll(server.store.totals()))).toEqual([]);
    expect(await readOnce(server.wsUrl, server.clock.advance, '/a', { localAddress: '127.0.0.4' })).toMatchObject({ type: 'counted', reads: 1 });
    expect(f.open).toBe(20);
  });

  it('past MAX_TCP_CONNECTIONS keeps a reserve for /healthz and networks holding few connections', async () => {
    server = await startTestServer({ MAX_TCP_CONNECTIONS_PER_IP: '1000', MAX_TCP_CONNECTIONS: '60' });
    const many = await Promise.all(['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'].map((address) => flood(server, address, 20)));
    floods.push(...many);
    // 80 tried, 60 fit; the 20 past the soft limit came from networks already over the reserve.
    await expect.poll(() => many.reduce((sum, f) => sum + f.open, 0)).toBe(60);
    await othersStillServed(server, '127.0.0.6');
    expect((await readAll(server.store.totals()))).toEqual([]);
    // A socket of a flooding network past the soft limit is turned away with a 503.
    const refused = await new Promise<string>((resolve) => {
      const socket = tcpConnect({ host: '127.0.0.1', port: server.port, localAddress: '127.0.0.2' });
      let data = '';
      socket.on('data', (chunk) => (data += chunk)).on('close', () => resolve(data)).on('error', () => {});
    });
    expect(refused).toMatch(/^HTTP\/1\.1 503 /);
  });
});
