import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TEST_EPOCH, publicReads, type TestServer } from '../helpers/server.js';
import type { TestBlog } from './blog.js';
import { startE2E, type E2E } from './fixture.js';
import { newContext, recordSockets, waitForCount, type SocketLog } from './browser.js';

// A counter without `article` in a layout that stays while a client-side router changes
// the page: it must follow, with no help from the router.
let e2e: E2E;
let server: TestServer;
let blog: TestBlog;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  e2e = await startE2E();
  ({ server, blog, browser } = e2e);
}, 30_000);

afterAll(() => e2e?.close());

afterEach(async () => {
  await context?.close();
  context = undefined;
});

/** A reader on a clock that moves only when the test says (see counting.test.ts). */
async function open(path: string): Promise<{ page: Page; sockets: SocketLog }> {
  context = await newContext(browser);
  await context.clock.install({ time: TEST_EPOCH });
  await context.clock.pauseAt(TEST_EPOCH + 1000);
  const page = await context.newPage();
  const sockets = recordSockets(page);
  await page.goto(`${blog.url}${path}`);
  return { page, sockets };
}

async function dwell(page: Page, ms: number): Promise<void> {
  server.clock.advance(ms);
  await page.clock.runFor(ms);
}

const stored = (article: string): Promise<number> => publicReads(server.url, blog.site, article);
const subscribed = (sockets: SocketLog): string[] => sockets.sent.flatMap((m) => (m.type === 'subscribe' ? [m.article] : []));
/** Counts the server sent for `article`: each answers a subscribe, so its dwell clock runs from before. */
const answers = (sockets: SocketLog, article: string): number => sockets.received.filter((m) => m.type === 'count' && m.article === article).length;
const until = (check: () => boolean | Promise<boolean>): Promise<void> => expect.poll(check, { timeout: 5000, interval: 20 }).toBe(true);

describe('client-side navigation', { timeout: 30_000 }, () => {
  it('follows pushState and history.back(), counting each article under the dwell rule', async () => {
    const { page, sockets } = await open('/spa/a');
    await waitForCount(page, 0);
    await dwell(page, 4_000);

    // Left mid-dwell: /spa/a must not count, /spa/b starts from zero.
    await page.evaluate(() => history.pushState({}, '', '/spa/b'));
    await until(() => answers(sockets, '/spa/b') === 1);
    await dwell(page, 6_500);
    expect(sockets.reads('/spa/a')).toBe(0);
    expect(sockets.reads('/spa/b')).toBe(0);
    await dwell(page, 4_000);
    await waitForCount(page, 1);
    expect(await stored('/spa/b')).toBe(1);

    // Back to /spa/a: its 4 s from before do not carry over.
    await page.evaluate(() => history.back());
    await until(() => answers(sockets, '/spa/a') === 2);
    await waitForCount(page, 0);
    await dwell(page, 6_500);
    expect(sockets.reads('/spa/a')).toBe(0);
    await dwell(page, 4_000);
    await waitForCount(page, 1);
    expect([await stored('/spa/a'), await stored('/spa/b')]).toEqual([1, 1]);
    expect(sockets.sent.filter((m) => m.type === 'unsubscribe').map((m) => m.type === 'unsubscribe' && m.article)).toEqual(['/spa/a', '/spa/b']);
    expect(sockets.opened).toBe(1);
  });

  it('follows replaceState, and a canonical link the router swaps in after the URL changed', async () => {
    const { page, sockets } = await open('/spa/c');
    await waitForCount(page, 0);
    await page.evaluate(() => history.replaceState({}, '', '/spa/d'));
    await until(() => subscribed(sockets).includes('/spa/d'));
    // The router changes the URL, and only later (after fetching the page) the canonical link.
    await page.evaluate(() => history.pushState({}, '', '/spa/e'));
    await until(() => subscribed(sockets).includes('/spa/e'));
    await page.evaluate(() => document.head.append(Object.assign(document.createElement('link'), { rel: 'canonical', href: '/posts/e-canonical' })));
    await until(() => subscribed(sockets).includes('/posts/e-canonical'));
    // The canonical link goes again: the path is the article.
    await page.evaluate(() => document.querySelector('link[rel=canonical]')!.remove());
    await until(() => subscribed(sockets).filter((a) => a === '/spa/e').length === 2);
    expect(subscribed(sockets)).toEqual(['/spa/c', '/spa/d', '/spa/e', '/posts/e-canonical', '/spa/e']);
  });

  it('follows a hash router through its canonical links, and ignores an in-page anchor', async () => {
    const { page, sockets } = await open('/hash-app');
    await waitForCount(page, 0);
    expect(subscribed(sockets)).toEqual(['/hash-app']);
    await page.evaluate(() => (location.hash = '#/posts/one'));
    await until(() => answers(sockets, '/posts/one') === 1);
    await dwell(page, 10_500);
    await waitForCount(page, 1);
    expect(await stored('/posts/one')).toBe(1);
    await page.evaluate(() => (location.hash = '#/posts/two'));
    await until(() => subscribed(sockets).includes('/posts/two'));
    expect(sockets.reads('/posts/two')).toBe(0);
  });

  it('keeps an article, and its dwell time, across an in-page anchor', async () => {
    const { page, sockets } = await open('/posts/anchored');
    await waitForCount(page, 0);
    await dwell(page, 6_000);
    await page.evaluate(() => (location.hash = '#comments'));
    await page.evaluate(() => history.pushState({}, '', '/posts/anchored?utm_source=x#top'));
    await dwell(page, 4_500);
    await waitForCount(page, 1);
    expect(subscribed(sockets)).toEqual(['/posts/anchored']);
    expect(await stored('/posts/anchored')).toBe(1);
  });

  it('leaves a counter with an article attribute where it is', async () => {
    const { page, sockets } = await open('/index?articles=/posts/fixed');
    await waitForCount(page, 0, '#c1');
    await page.evaluate(() => history.pushState({}, '', '/elsewhere'));
    await page.evaluate(() => document.head.append(Object.assign(document.createElement('link'), { rel: 'canonical', href: '/posts/other' })));
    await page.evaluate(() => new Promise((resolve) => queueMicrotask(() => resolve(null))));
    expect(subscribed(sockets)).toEqual(['/posts/fixed']);
  });
});
