import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_EPOCH, publicReads, type TestServer } from '../helpers/server.js';
import type { TestBlog } from './blog.js';
import { startE2E, type E2E } from './fixture.js';
import {
  countOf,
  eventsOf,
  newContext,
  recordEvents,
  recordSockets,
  setHidden,
  settle,
  shownText,
  waitForCount,
  type SocketLog,
} from './browser.js';

let server: TestServer;
let blog: TestBlog;
let browser: Browser;
const contexts: BrowserContext[] = [];

let e2e: E2E | undefined;

beforeAll(async () => {
  e2e = await startE2E();
  ({ server, browser, blog } = e2e);
}, 30_000);

afterAll(() => e2e?.close());

/**
 * A reader: a fresh context with event recording and one page, on a fake clock that stands
 * still unless the test moves it, so a busy machine's real seconds never add dwell time.
 */
async function reader(init?: () => void): Promise<{ page: Page; sockets: SocketLog }> {
  const context = await newContext(browser);
  contexts.push(context);
  await recordEvents(context);
  if (init) await context.addInitScript(init);
  await context.clock.install({ time: TEST_EPOCH });
  await context.clock.pauseAt(TEST_EPOCH + 1000);
  const page = await context.newPage();
  return { page, sockets: recordSockets(page) };
}

/** The stored count, read through the public API as a blogger would. */
const stored = (article: string): Promise<number> => publicReads(server.url, blog.site, article);

/** Gives `article` some reads before the test, straight into the store. */
async function seed(article: string, reads: number): Promise<void> {
  for (let i = 0; i < reads; i++) await server.store.increment(blog.site, article, server.clock.now());
}

/** Passes time on both clocks, the server's first, so a `read` the page sends on its own clock is on time. */
async function dwell(page: Page, ms: number): Promise<void> {
  server.clock.advance(ms);
  await page.clock.runFor(ms);
}

describe('counting readers', { timeout: 20_000 }, () => {
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
  });

  it('ticks live on every open copy of the post when one reader is counted', async () => {
    const article = '/posts/live-tick';
    const a = await reader();
    const b = await reader();
    await a.page.goto(`${blog.url}${article}`);
    await b.page.goto(`${blog.url}${article}`);
    await waitForCount(a.page, 0);
    await waitForCount(b.page, 0);
    expect(await shownText(b.page)).toBe('0 reads');

    await dwell(a.page, 10_500);

    await waitForCount(a.page, 1);
    await waitForCount(b.page, 1);
    expect(await shownText(b.page)).toBe('1 read');
    const updates = (await eventsOf(b.page)).filter((e) => e.type === 'read-counter-update');
    expect(updates.map((e) => e.detail.reads)).toEqual([0, 1]);
    expect(await eventsOf(a.page)).toContainEqual({ type: 'read-counter-counted', id: 'c1', detail: { reads: 1 } });
    expect(b.sockets.reads(article)).toBe(0);
    expect(await stored(article)).toBe(1);
  });

  it('does not count a visit that leaves after 5 seconds', async () => {
    const article = '/posts/short-visit';
    const { page, sockets } = await reader();
    await page.goto(`${blog.url}${article}`);
    await waitForCount(page, 0);
    await dwell(page, 5_000);
    await page.goto(`${blog.url}/away`);
    server.clock.advance(30_000);
    await settle(page, sockets);

    expect(sockets.subscribes(article)).toEqual([{ type: 'subscribe', article, mode: 'reading' }]);
    expect(sockets.reads(article)).toBe(0);
    expect(await stored(article)).toBe(0);
  });

  it('does not count time while the page is hidden', async () => {
    const article = '/posts/hidden';
    const { page, sockets } = await reader();
    await page.goto(`${blog.url}${article}`);
    await waitForCount(page, 0);
    await dwell(page, 2_000);
    await setHidden(page, true);
    await dwell(page, 60_000);
    await setHidden(page, false);
    await dwell(page, 7_000);
    await settle(page, sockets);
    // 9 s visible so far: 60 s hidden in between must not have filled the 10 s.
    expect(sockets.reads(article)).toBe(0);
    expect(await stored(article)).toBe(0);

    await dwell(page, 1_500);
    await waitForCount(page, 1);
    expect(sockets.reads(article)).toBe(1);
    expect(await stored(article)).toBe(1);
  });

  it('counts once for two counters of the same article on one page', async () => {
    const article = '/posts/two-counters';
    const { page, sockets } = await reader();
    await page.goto(`${blog.url}${article}?counters=2`);
    await waitForCount(page, 0, '#c1');
    await waitForCount(page, 0, '#c2');
    await dwell(page, 10_500);
    await waitForCount(page, 1, '#c1');
    await waitForCount(page, 1, '#c2');
    await dwell(page, 30_000);
    await settle(page, sockets);

    expect(sockets.subscribes(article)).toHaveLength(1);
    expect(sockets.reads(article)).toBe(1);
    expect(await stored(article)).toBe(1);
    const counted = (await eventsOf(page)).filter((e) => e.type === 'read-counter-counted');
    expect(counted.map((e) => e.id).sort()).toEqual(['c1', 'c2']);
  });

  it('shows live values on a readonly index page over one socket, and never counts', async () => {
    const articles = ['/posts/index-a', '/posts/index-b', '/posts/index-c'];
    await seed(articles[0]!, 3);
    await seed(articles[2]!, 7);
    const index = await reader();
    await index.page.goto(`${blog.url}/index?articles=${articles.join(',')}`);
    await waitForCount(index.page, 3, '#c1');
    await waitForCount(index.page, 0, '#c2');
    await waitForCount(index.page, 7, '#c3');

    const post = await reader();
    await post.page.goto(`${blog.url}${articles[0]}`);
    await waitForCount(post.page, 3);
    await dwell(post.page, 10_500);
    await waitForCount(index.page, 4, '#c1');

    await dwell(index.page, 60_000);
    await settle(index.page, index.sockets);
    expect(index.sockets.opened).toBe(1);
    expect(index.sockets.sent.filter((m) => m.type === 'subscribe' && articles.includes(m.article)).map((m) => m.type === 'subscribe' && m.mode)).toEqual([
      'watching',
      'watching',
      'watching',
    ]);
    expect(index.sockets.sent.filter((m) => m.type === 'read')).toEqual([]);
    expect([await stored(articles[0]!), await stored(articles[1]!), await stored(articles[2]!)]).toEqual([4, 0, 7]);
  });
});

describe('privacy', { timeout: 20_000 }, () => {
  const cases: Array<[string, () => void]> = [
    ['Do Not Track', () => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' })],
    ['Global Privacy Control', () => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })],
    ['the readcounter_ignore opt-out', () => localStorage.setItem('readcounter_ignore', 'true')],
  ];

  it.each(cases)('shows the count but does not count a reader with %s', async (name, init) => {
    const article = `/posts/privacy-${name.replace(/\W+/g, '-')}`;
    await seed(article, 2);
    const { page, sockets } = await reader(init);
    await page.goto(`${blog.url}${article}`);
    await waitForCount(page, 2);
    expect(await shownText(page)).toBe('2 reads');
    await dwell(page, 60_000);
    await settle(page, sockets);

    expect(sockets.subscribes(article)).toEqual([{ type: 'subscribe', article, mode: 'watching' }]);
    expect(sockets.reads(article)).toBe(0);
    expect(await countOf(page)).toBe(2);
    expect(await stored(article)).toBe(2);
  });
});
