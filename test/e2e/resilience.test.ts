import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicReads, type TestServer } from '../helpers/server.js';
import type { TestBlog } from './blog.js';
import { startE2E, type E2E } from './fixture.js';
import { newContext, recordSockets, settle, waitForCount } from './browser.js';

let server: TestServer;
let blog: TestBlog;
let browser: Browser;

let e2e: E2E | undefined;

beforeAll(async () => {
  // Playwright turns the back/forward cache off by default; these tests need it.
  e2e = await startE2E({ ignoreDefaultArgs: ['--disable-back-forward-cache'] });
  ({ server, browser, blog } = e2e);
}, 30_000);

afterAll(() => e2e?.close());

const stored = (article: string): Promise<number> => publicReads(server.url, blog.site, article);

async function until(check: () => boolean): Promise<void> {
  await expect.poll(check, { timeout: 5000, interval: 20 }).toBe(true);
}

describe('a bad network', { timeout: 20_000 }, () => {
  it('reconnects after a server restart and delivers a read earned meanwhile exactly once', async () => {
    const article = '/posts/restart';
    const context = await newContext(browser);
    await context.clock.install();
    const page = await context.newPage();
    const sockets = recordSockets(page);
    await page.goto(`${blog.url}${article}`);
    await waitForCount(page, 0);
    // From here the page's time only moves when the test moves it, so its reconnect waits.
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000);

    await server.restart();
    await until(() => sockets.closed === 1);
    // Changed while the page was away: it must show this, not what it had.
    await server.store.increment(blog.site, article, server.clock.now());
    await server.store.increment(blog.site, article, server.clock.now());

    // 10 s of reading while disconnected; the backoff timer (at most 1 s) fires on the way.
    server.clock.advance(10_500);
    await page.clock.runFor(10_500);
    await until(() => sockets.opened === 2 && sockets.subscribes(article).length === 2);
    await waitForCount(page, 2);
    // The restarted server's dwell clock began at the resubscribe: nothing may be sent yet.
    expect(sockets.reads(article)).toBe(0);

    server.clock.advance(10_500);
    await page.clock.runFor(10_500);
    await waitForCount(page, 3);
    server.clock.advance(60_000);
    await page.clock.runFor(60_000);
    await settle(page, sockets);
    expect(sockets.reads(article)).toBe(1);
    expect(await stored(article)).toBe(3);
    await context.close();
  });

  it('shows a current count after coming back from the back/forward cache', async () => {
    const article = '/posts/bfcache';
    const context = await newContext(browser);
    await context.addInitScript(() => {
      addEventListener('pageshow', (event) => {
        (window as unknown as { restored: boolean }).restored = event.persisted;
      });
    });
    const page = await context.newPage();
    await page.goto(`${blog.url}${article}`);
    await waitForCount(page, 0);

    await page.goto(`${blog.url}/away`);
    // Someone else reads the post while this page sits in the cache.
    const other = await newContext(browser);
    await other.clock.install();
    const otherPage = await other.newPage();
    await otherPage.goto(`${blog.url}${article}`);
    await waitForCount(otherPage, 0);
    server.clock.advance(10_500);
    await otherPage.clock.runFor(10_500);
    await waitForCount(otherPage, 1);
    // The cached page let go of its socket on pagehide: only the other reader is connected.
    expect(server.server.connections.size).toBe(1);

    await page.goBack({ waitUntil: 'commit' });
    await page.waitForFunction(() => (window as unknown as { restored?: boolean }).restored === true);
    await waitForCount(page, 1);
    // DevTools loses sight of a restored page's sockets, so count them on the server.
    await until(() => server.server.connections.size === 2);
    expect(await stored(article)).toBe(1);
    await other.close();
    await context.close();
  });
});
