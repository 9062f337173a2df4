import { describe, expect, it } from 'vitest';
import { setHidden } from './browser.js';
import { reads, settled, socketsOpened, until, useFakeServer } from './fake-server.js';

const { open: openWithFakeServer } = useFakeServer();

describe('reconnecting', { timeout: 20_000 }, () => {
  it('retries a lost connection with backoff, and resubscribes', async () => {
    const { page, fake } = await openWithFakeServer('/posts/lost');
    await until(() => fake.frames.length === 1);
    await fake.sockets[0]!.close({ code: 1001, reason: 'restart' });
    // The first retry comes within one second: full jitter below the 1 s base.
    await page.clock.runFor(1_000);
    await until(() => fake.sockets.length === 2 && fake.frames.length === 2);
    expect(fake.frames[1]).toEqual({ type: 'subscribe', article: '/posts/lost', mode: 'reading' });
  });

  it('after a stable connection ends with 1001, retries from a 2 s window while the server restarts, then backs off as usual', async () => {
    const { page, fake } = await openWithFakeServer('/posts/restart');
    await until(() => fake.frames.length === 1);
    // Every draw at the top of its window, so each retry comes as late as the rule allows.
    await page.evaluate(() => (Math.random = () => 0.999));
    await page.clock.runFor(10_000);
    // The server restarts: each new socket is dropped at once (a connection that was not stable).
    await page.routeWebSocket(/\/ws$/, (ws) => {
      fake.sockets.push(ws);
      void ws.close({ code: 4000 });
    });
    await fake.sockets[0]!.close({ code: 1001 });
    // Ten restart retries, each within 2 s (1998 ms), where the usual backoff would wait 4 s by the third.
    for (let retry = 1; retry <= 10; retry++) {
      await page.clock.runFor(1_998);
      await until(() => fake.sockets.length === retry + 1);
    }
    // Then the usual backoff from its start: 999 ms, then 1998 ms.
    await page.clock.runFor(999);
    await until(() => fake.sockets.length === 12);
    await page.clock.runFor(1_000);
    expect(await socketsOpened(page)).toBe(12);
    await page.clock.runFor(998);
    await until(() => fake.sockets.length === 13);
  });

  it('does not resend a read that was in flight when the connection dropped', async () => {
    const article = '/posts/in-flight';
    const { page, fake } = await openWithFakeServer(article);
    await until(() => fake.frames.length === 1);
    await page.clock.runFor(10_500);
    await until(() => reads(fake) === 1);
    // Lost before any answer: it may have been counted, so it must not be counted twice.
    await fake.sockets[0]!.close({ code: 1001 });
    await page.clock.runFor(1_000);
    await until(() => fake.sockets.length === 2 && fake.frames.length === 3);
    await page.clock.runFor(60_000);
    expect((await settled(page, fake)).map((m) => m.type)).toEqual(['subscribe', 'read', 'subscribe']);
  });

  it('makes no attempt while hidden, and reconnects at once when visible again', async () => {
    const { page, fake } = await openWithFakeServer('/posts/hidden-retry');
    await until(() => fake.frames.length === 1);
    await setHidden(page, true);
    await fake.sockets[0]!.close({ code: 1001 });
    await page.clock.runFor(120_000);
    // Every retry timer due in those two minutes has run inside runFor: none made a socket.
    expect(await socketsOpened(page)).toBe(1);
    expect(fake.sockets).toHaveLength(1);
    await setHidden(page, false);
    await until(() => fake.sockets.length === 2);
  });

  it('makes no attempt while offline, and reconnects at once when back online', async () => {
    const { page, fake } = await openWithFakeServer('/posts/offline');
    await until(() => fake.frames.length === 1);
    await page.context().setOffline(true);
    await fake.sockets[0]!.close({ code: 1001 });
    await page.clock.runFor(120_000);
    // Every retry timer due in those two minutes has run inside runFor: none made a socket.
    expect(await socketsOpened(page)).toBe(1);
    expect(fake.sockets).toHaveLength(1);
    await page.context().setOffline(false);
    await until(() => fake.sockets.length === 2);
  });
});
