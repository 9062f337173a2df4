import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { publicReads, startTestServer, type TestServer } from '../../helpers/server.js';
import { BROWSER_UA, TEST_ORIGIN, connect } from '../../helpers/ws.js';

const SITE = 'blog.example.com';
const MAX_BACKLOG = 16_384;
// A long key makes each `count` reply about 450 bytes, so the kernel's buffers fill sooner.
const ARTICLE = `/${'a'.repeat(400)}`;

/** Bytes every open socket of the server has queued and not yet handed to the kernel. */
const buffered = (server: TestServer): number => [...server.server.connections].reduce((sum, c) => sum + c.bufferedAmount, 0);

describe('a page that never reads', () => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  it('is closed with 1013 once its send backlog passes MAX_SEND_BACKLOG_BYTES, with memory bounded and no count changed', async () => {
    server = await startTestServer({ MAX_SEND_BACKLOG_BYTES: String(MAX_BACKLOG), MAX_FRAMES_PER_SECOND: '10000' });
    const watcher = await connect(server.wsUrl);
    watcher.send({ type: 'subscribe', article: ARTICLE, mode: 'watching' });
    await watcher.next('count');
    const page = await connect(server.wsUrl);
    const onServer = [...server.server.connections].at(-1)!;
    let received = 0;
    onServer.ws.on('message', () => void received++);
    (page.ws as unknown as { _socket: Socket })._socket.pause();

    // Subscribing again to the same article is valid and answered with its count every time.
    let sent = 0;
    let highest = 0;
    for (let batch = 0; batch < 100 && onServer.ws.readyState === WebSocket.OPEN; batch++) {
      for (let i = 0; i < 1000; i++) page.send({ type: 'subscribe', article: ARTICLE, mode: 'reading' });
      sent += 1000;
      await expect.poll(() => received, { timeout: 10_000 }).toBe(sent);
      highest = Math.max(highest, buffered(server));
      server.clock.advance(1000);
    }
    expect(onServer.ws.readyState).toBe(WebSocket.CLOSING);
    // One reply past the bound at most, for every socket together.
    expect(highest).toBeLessThanOrEqual(MAX_BACKLOG + 1024);
    expect(buffered(server)).toBeLessThanOrEqual(MAX_BACKLOG + 1024);

    (page.ws as unknown as { _socket: Socket })._socket.resume();
    expect(await page.closed).toEqual({ code: 1013, reason: `send backlog over ${MAX_BACKLOG} bytes` });
    expect(page.received.filter((m) => m.type === 'error')).toEqual([]);
    await expect.poll(() => server.hub.live(SITE, ARTICLE)).toBe(0);
    expect(await publicReads(server.url, SITE, ARTICLE)).toBe(0);
    // The watcher on the same article is untouched and still served.
    expect(watcher.ws.readyState).toBe(WebSocket.OPEN);
    await watcher.close();
  });
});

describe('the ping check', () => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  it('terminates a socket whose pongs do not answer its pings', async () => {
    server = await startTestServer({}, { pingIntervalMs: 50 });
    const ws = new WebSocket(server.wsUrl, { origin: TEST_ORIGIN, headers: { 'user-agent': BROWSER_UA }, autoPong: false });
    ws.on('ping', () => ws.pong(Buffer.from('unsolicited')));
    const closed = new Promise<number>((resolve) => ws.on('close', resolve));
    const code = await closed;
    // Terminated without a close frame: the page side sees 1006.
    expect(code).toBe(1006);
    await expect.poll(() => server.server.connections.size).toBe(0);
  });

  it('keeps a socket that answers every ping', async () => {
    server = await startTestServer({}, { pingIntervalMs: 50 });
    const page = await connect(server.wsUrl);
    let pings = 0;
    page.ws.on('ping', () => void pings++);
    await expect.poll(() => pings, { timeout: 5000 }).toBeGreaterThanOrEqual(4);
    expect(page.ws.readyState).toBe(WebSocket.OPEN);
    page.send({ type: 'subscribe', article: '/a' });
    expect(await page.next('count')).toMatchObject({ reads: 0 });
    await page.close();
  });
});
