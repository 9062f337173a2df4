import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { ClientMessage, ServerMessage } from '../../shared/protocol.js';
import type { TestBlog } from './blog.js';
import { startE2E, type E2E } from './fixture.js';
import { addMarker, newContext, recordEvents } from './browser.js';

// The element against a scripted server: the real one serves /counter.js, and the socket
// is answered by the test, to reach cases a healthy server never produces.

/** A scripted counter server: every socket the page opens, and every frame it sends. */
export interface FakeServer {
  sockets: WebSocketRoute[];
  frames: ClientMessage[];
  /** Sends a frame on the newest socket. */
  send(message: ServerMessage): void;
}

/** How a test opens a blog page whose socket the test answers. */
export type OpenWithFakeServer = (
  path: string,
  options?: { dwellSeconds?: number; reply?: (m: ClientMessage, fake: FakeServer) => void },
) => Promise<{ page: Page; fake: FakeServer }>;

/** What a test file gets from useFakeServer(). */
export interface FakeServerSuite {
  /** Opens a blog page whose socket the test answers. */
  open: OpenWithFakeServer;
  /** Opens a blog page on the real server, in a context closed after the test; `watch` sees the page before it loads. */
  openReal(path: string, watch?: (page: Page) => void): Promise<Page>;
}

/**
 * Starts the real server (for /counter.js), a blog and Chromium for the enclosing file, closes
 * each test's browser context after it, and returns how to open pages.
 */
export function useFakeServer(): FakeServerSuite {
  let blog: TestBlog;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let e2e: E2E | undefined;

  beforeAll(async () => {
    e2e = await startE2E();
    ({ browser, blog } = e2e);
  }, 30_000);
  afterAll(() => e2e?.close());
  afterEach(async () => {
    await context?.close();
  });

  const open: OpenWithFakeServer = async (path, { dwellSeconds = 10, reply } = {}) => {
    await context?.close();
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
  };
  return {
    open,
    async openReal(path, watch) {
      await context?.close();
      context = await newContext(browser);
      const page = await context.newPage();
      watch?.(page);
      await page.goto(`${blog.url}${path}`);
      return page;
    },
  };
}

/** Waits until `check` holds (polled from the test side). */
export async function until(check: () => boolean): Promise<void> {
  await expect.poll(check, { timeout: 5000, interval: 20 }).toBe(true);
}

/** The `read` frames the page sent. */
export const reads = (fake: FakeServer) => fake.frames.filter((m) => m.type === 'read').length;

/**
 * Resolves once every frame the page sent on its open socket so far has reached the fake
 * server (a marker's `subscribe` leaves after them on the same socket); returns the frames
 * without the marker's.
 */
export async function settled(page: Page, fake: FakeServer): Promise<ClientMessage[]> {
  const marker = await addMarker(page);
  await until(() => fake.frames.some((m) => m.type === 'subscribe' && m.article === marker));
  return fake.frames.filter((m) => !('article' in m) || m.article !== marker);
}

/** WebSockets the page has constructed: counted in the page itself, so no network race. */
export const socketsOpened = (page: Page) => page.evaluate(() => (window as unknown as { __socketsOpened: number }).__socketsOpened);
