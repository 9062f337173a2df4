import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { publicReads, startTestServer, type TestServer } from '../../helpers/server.js';
import { connect } from '../../helpers/ws.js';

const SITE = 'blog.example.com';

describe('shutdown', () => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  it('answers a read that arrives while stopping with shutting_down, then closes with 1001, counting nothing', async () => {
    server = await startTestServer();
    const page = await connect(server.wsUrl);
    page.send({ type: 'subscribe', article: '/a', mode: 'reading' });
    await page.next('count');
    server.clock.advance(10_000);
    page.send({ type: 'read', article: '/a' });
    const stopping = server.server.close();
    expect(await page.next('error')).toMatchObject({ type: 'error', code: 'shutting_down', article: '/a' });
    expect((await page.closed).code).toBe(1001);
    await stopping;
    await server.restart();
    expect(await publicReads(server.url, SITE, '/a')).toBe(0);
  });

  it('finishes within the close grace when a page never answers the close frame', async () => {
    server = await startTestServer();
    const page = await connect(server.wsUrl);
    page.send({ type: 'subscribe', article: '/a', mode: 'watching' });
    await page.next('count');
    // The page stops reading: it never sees the close frame, so it never answers it.
    (page.ws as unknown as { _socket: Socket })._socket.pause();
    const started = performance.now();
    await server.server.close();
    // ws would wait 30 s; CLOSE_GRACE_MS cuts the socket after 2 s.
    expect(performance.now() - started).toBeLessThan(5_000);
    await expect.poll(() => server.server.connections.size).toBe(0);
    (page.ws as unknown as { _socket: Socket })._socket.resume();
    expect((await page.closed).code).toBe(1001);
    await server.restart();
  });
});
