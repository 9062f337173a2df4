import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer } from '../../helpers/server.js';
import { connect, TEST_ORIGIN } from '../../helpers/ws.js';

const SITE = 'blog.example.com';
const DWELL_MS = 10_000;

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
