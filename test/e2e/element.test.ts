import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClientMessage, ServerMessage } from '../../shared/protocol.js';
import type { TestBlog } from './blog.js';
import { startE2E, type E2E } from './fixture.js';
import { addMarker, countOf, eventsOf, newContext, recordEvents, setHidden, shownText, waitForCount } from './browser.js';

// The element against a scripted server: the real one serves /counter.js, and the socket
// is answered by the test, to reach cases a healthy server never produces.
let blog: TestBlog;
let browser: Browser;
let context: BrowserContext;

let e2e: E2E | undefined;

beforeAll(async () => {
  e2e = await startE2E();
  ({ browser, blog } = e2e);
}, 30_000);

afterAll(() => e2e?.close());

afterEach(async () => {
  await context?.close();
});

/** A scripted counter server: every socket the page opens, and every frame it sends. */
interface FakeServer {
  sockets: WebSocketRoute[];
  frames: ClientMessage[];
  /** Sends a frame on the newest socket. */
  send(message: ServerMessage): void;
}

async function openWithFakeServer(
  path: string,
  { dwellSeconds = 10, reply }: { dwellSeconds?: number; reply?: (m: ClientMessage, fake: FakeServer) => void } = {},
): Promise<{ page: Page; fake: FakeServer }> {
  context = await newContext(browser);
  await recordEvents(context);
  await context.addInitScript(() => {
    const counted = window as unknown as { __socketsOpened: number };
    counted.__socketsOpened = 0;
    const wrap = (native: typeof WebSocket): typeof WebSocket =>
      new Proxy(native, {
        construct(target, args: [string]) {
          counted.__socketsOpened++;
          return Reflect.construct(target, args) as WebSocket;
        },
      });
    // Playwright's routeWebSocket puts its own WebSocket in place later: wrap that one too.
    let current = wrap(window.WebSocket);
    Object.defineProperty(window, 'WebSocket', { configurable: true, get: () => current, set: (next: typeof WebSocket) => void (current = wrap(next)) });
  });
  await context.clock.install();
  const page = await context.newPage();
  const fake: FakeServer = {
    sockets: [],
    frames: [],
    send: (message) => fake.sockets.at(-1)!.send(JSON.stringify(message)),
  };
  await page.routeWebSocket(/\/ws$/, (ws) => {
    fake.sockets.push(ws);
    ws.onMessage((data) => {
      const message = JSON.parse(String(data)) as ClientMessage;
      fake.frames.push(message);
      reply?.(message, fake);
    });
    ws.send(JSON.stringify({ type: 'hello', version: 1, dwellSeconds }));
  });
  await page.goto(`${blog.url}${path}`);
  return { page, fake };
}

async function until(check: () => boolean): Promise<void> {
  await expect.poll(check, { timeout: 5000, interval: 20 }).toBe(true);
}

const reads = (fake: FakeServer) => fake.frames.filter((m) => m.type === 'read').length;

/**
 * Resolves once every frame the page sent on its open socket so far has reached the fake
 * server (a marker's `subscribe` leaves after them on the same socket); returns the frames
 * without the marker's.
 */
async function settled(page: Page, fake: FakeServer): Promise<ClientMessage[]> {
  const marker = await addMarker(page);
  await until(() => fake.frames.some((m) => m.type === 'subscribe' && m.article === marker));
  return fake.frames.filter((m) => !('article' in m) || m.article !== marker);
}

/** WebSockets the page has constructed: counted in the page itself, so no network race. */
const socketsOpened = (page: Page) => page.evaluate(() => (window as unknown as { __socketsOpened: number }).__socketsOpened);

describe('<read-counter>', { timeout: 20_000 }, () => {
  it('shows its fallback and a null count until the first count, then never a lower count', async () => {
    const { page, fake } = await openWithFakeServer('/posts/fallback');
    await until(() => fake.frames.length === 1);
    expect(await countOf(page)).toBeNull();
    expect(await page.locator('read-counter').innerText()).toBe('– reads');

    fake.send({ type: 'count', article: '/posts/fallback', reads: 5, live: 1 });
    await waitForCount(page, 5);
    expect(await shownText(page)).toBe('5 reads');
    expect(await page.locator('read-counter').innerText()).toBe('');
    fake.send({ type: 'count', article: '/posts/fallback', reads: 3, live: 2 });
    await expect.poll(() => eventsOf(page).then((e) => e.length)).toBe(2);
    expect(await countOf(page)).toBe(5);
    expect((await eventsOf(page)).map((e) => e.detail)).toEqual([
      { reads: 5, live: 1 },
      { reads: 5, live: 2 },
    ]);
  });

  it("waits for the dwell time from the server's hello", async () => {
    const { page, fake } = await openWithFakeServer('/posts/short-dwell', { dwellSeconds: 3 });
    await until(() => fake.frames.length === 1);
    await page.clock.runFor(3_000);
    expect(reads(fake)).toBe(0);
    await page.clock.runFor(500);
    await until(() => reads(fake) === 1);
    expect(fake.frames).toEqual([
      { type: 'subscribe', article: '/posts/short-dwell', mode: 'reading' },
      { type: 'read', article: '/posts/short-dwell' },
    ]);
  });

  it('retries a read refused as too early once, after retryAfterMs', async () => {
    const article = '/posts/too-early';
    const { page, fake } = await openWithFakeServer(article, {
      reply: (m, f) => {
        if (m.type === 'read') f.send({ type: 'error', code: 'too_early', message: 'early', article, retryAfterMs: 3000 });
      },
    });
    await until(() => fake.frames.length === 1);
    await page.clock.runFor(10_500);
    await until(() => reads(fake) === 1);
    await page.clock.runFor(2_500);
    expect(reads(fake)).toBe(1);
    await page.clock.runFor(1_000);
    await until(() => reads(fake) === 2);
    await page.clock.runFor(60_000);
    expect((await settled(page, fake)).filter((m) => m.type === 'read')).toHaveLength(2);
  });

  it('fires read-counter-counted when the server confirms the read', async () => {
    const article = '/posts/counted';
    const { page } = await openWithFakeServer(article, {
      reply: (m, f) => {
        if (m.type === 'subscribe') f.send({ type: 'count', article, reads: 41, live: 1 });
        if (m.type === 'read') f.send({ type: 'counted', article, reads: 42, live: 3 });
      },
    });
    await waitForCount(page, 41);
    await page.clock.runFor(10_500);
    await waitForCount(page, 42);
    expect((await eventsOf(page)).at(-1)).toEqual({ type: 'read-counter-counted', id: 'c1', detail: { reads: 42 } });
    // `counted` carries the whole state: the live figure is taken from it too.
    expect(await page.evaluate(() => (document.querySelector('read-counter') as HTMLElement & { count: number | null }).count)).toBe(42);
  });

  it('formats with the page language, compactly when large, with the exact count in the title', async () => {
    const article = '/posts/big';
    const { page, fake } = await openWithFakeServer(`${article}?live&lang=de`, {
      reply: (m, f) => m.type === 'subscribe' && f.send({ type: 'count', article, reads: 1_234_567, live: 3 }),
    });
    await waitForCount(page, 1_234_567);
    expect(await shownText(page)).toBe('1,2 Mio. reads 3 reading now');
    const title = await page.$eval('read-counter', (el) => el.shadowRoot!.querySelector<HTMLElement>('[part=counter]')!.title);
    expect(title).toBe('1.234.567 reads, 3 reading now');
    // What a screen reader gets: one image named with the exact figures (its children, the
    // compact text, are presentational), and no live region to announce every tick.
    expect(await page.getByRole('img', { name: '1.234.567 reads, 3 reading now', exact: true }).count()).toBe(1);
    expect(await page.$eval('read-counter', (el) => el.shadowRoot!.querySelector('[aria-live],[role=status]'))).toBeNull();
    expect(fake.frames[0]).toEqual({ type: 'subscribe', article, mode: 'reading' });
  });

  it('takes a singular and a plural from label="one|other", and one word for every count', async () => {
    const article = '/posts/label';
    const { page, fake } = await openWithFakeServer(article);
    await until(() => fake.frames.length === 1);
    await page.$eval('read-counter', (el) => el.setAttribute('label', 'Lesung|Lesungen'));
    fake.send({ type: 'count', article, reads: 1, live: 1 });
    await waitForCount(page, 1);
    expect(await shownText(page)).toBe('1 Lesung');
    fake.send({ type: 'count', article, reads: 2, live: 1 });
    await waitForCount(page, 2);
    expect(await shownText(page)).toBe('2 Lesungen');
    await page.$eval('read-counter', (el) => el.setAttribute('label', 'Mal gelesen'));
    expect(await shownText(page)).toBe('2 Mal gelesen');
  });

  it('hides "reading now" while the socket is down, and shows it again with the next count', async () => {
    const article = '/posts/live-offline';
    const { page, fake } = await openWithFakeServer(`${article}?live`, {
      reply: (m, f) => m.type === 'subscribe' && f.send({ type: 'count', article, reads: 5, live: f.sockets.length + 2 }),
    });
    await waitForCount(page, 5);
    expect(await shownText(page)).toBe('5 reads 3 reading now');
    await fake.sockets[0]!.close({ code: 1001 });
    await expect.poll(() => shownText(page)).toBe('5 reads');
    expect(await page.$eval('read-counter', (el) => el.shadowRoot!.querySelector<HTMLElement>('[part=counter]')!.title)).toBe('5 reads');
    await page.clock.runFor(1_000);
    await expect.poll(() => shownText(page)).toBe('5 reads 4 reading now');
    // The count never went away, and no update claimed an unknown live figure.
    expect((await eventsOf(page)).map((e) => e.detail)).toEqual([
      { reads: 5, live: 3 },
      { reads: 5, live: 4 },
    ]);
  });

  it('takes the article from a canonical link on the same host, and ignores one on another', async () => {
    const same = await openWithFakeServer(`/posts/copy?canonical=${encodeURIComponent('/posts/original/')}`);
    await until(() => same.fake.frames.length === 1);
    expect(same.fake.frames[0]).toEqual({ type: 'subscribe', article: '/posts/original', mode: 'reading' });
    await context.close();

    const other = await openWithFakeServer(`/posts/copy?canonical=${encodeURIComponent('https://elsewhere.example/posts/original')}`);
    await until(() => other.fake.frames.length === 1);
    expect(other.fake.frames[0]).toEqual({ type: 'subscribe', article: '/posts/copy', mode: 'reading' });
  });

  it('resubscribes when its article or readonly attribute changes', async () => {
    const { page, fake } = await openWithFakeServer('/posts/route-a', {
      reply: (m, f) => m.type === 'subscribe' && f.send({ type: 'count', article: m.article, reads: m.article.length, live: 1 }),
    });
    await waitForCount(page, '/posts/route-a'.length);
    await page.$eval('read-counter', (el) => el.setAttribute('article', '/posts/route-bb'));
    await waitForCount(page, '/posts/route-bb'.length);
    await page.$eval('read-counter', (el) => el.setAttribute('readonly', ''));
    await until(() => fake.frames.length === 4);
    expect(fake.frames).toEqual([
      { type: 'subscribe', article: '/posts/route-a', mode: 'reading' },
      { type: 'subscribe', article: '/posts/route-bb', mode: 'reading' },
      { type: 'unsubscribe', article: '/posts/route-a' },
      { type: 'subscribe', article: '/posts/route-bb', mode: 'watching' },
    ]);
    await page.clock.runFor(30_000);
    expect(reads(fake)).toBe(0);
  });

  it('defines itself once when the script is included twice, and opens one socket', async () => {
    const errors: Error[] = [];
    context = await newContext(browser);
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error));
    let sockets = 0;
    page.on('websocket', () => void (sockets += 1));
    await page.goto(`${blog.url}/posts/twice?twice`);
    await waitForCount(page, 0);
    await page.waitForFunction(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('counter.js')).length === 2);
    expect(errors).toEqual([]);
    expect(sockets).toBe(1);
  });
});

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
    await context.setOffline(true);
    await fake.sockets[0]!.close({ code: 1001 });
    await page.clock.runFor(120_000);
    // Every retry timer due in those two minutes has run inside runFor: none made a socket.
    expect(await socketsOpened(page)).toBe(1);
    expect(fake.sockets).toHaveLength(1);
    await context.setOffline(false);
    await until(() => fake.sockets.length === 2);
  });
});
