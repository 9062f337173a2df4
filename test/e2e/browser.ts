import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type LaunchOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ClientMessage, ServerMessage } from '../../shared/protocol.js';

/** A person's desktop Chrome. The default says HeadlessChrome, which bot filters refuse to count. */
export const DESKTOP_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** Launches the system Chromium (CHROMIUM_PATH overrides /usr/bin/chromium). */
export function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
    ...options,
  });
}

/** A fresh context (its own storage and clock) with a desktop user agent. */
export function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ userAgent: DESKTOP_USER_AGENT, viewport: { width: 1280, height: 800 }, ...options });
}

/** What a page's sockets did, recorded from the outside through the DevTools protocol. */
export interface SocketLog {
  /** WebSockets the page opened. */
  opened: number;
  /** WebSockets that closed since. */
  closed: number;
  sent: ClientMessage[];
  received: ServerMessage[];
  /** `read` frames sent for `article`. */
  reads(article: string): number;
  /** `subscribe` frames sent for `article`. */
  subscribes(article: string): Array<Extract<ClientMessage, { type: 'subscribe' }>>;
}

/** Records every WebSocket the page opens and every frame on it. Call before navigating. */
export function recordSockets(page: Page): SocketLog {
  const log: SocketLog = {
    opened: 0,
    closed: 0,
    sent: [],
    received: [],
    reads: (article) => log.sent.filter((m) => m.type === 'read' && m.article === article).length,
    subscribes: (article) => log.sent.filter((m): m is Extract<ClientMessage, { type: 'subscribe' }> => m.type === 'subscribe' && m.article === article),
  };
  page.on('websocket', (ws) => {
    log.opened += 1;
    ws.on('close', () => void (log.closed += 1));
    ws.on('framesent', ({ payload }) => log.sent.push(JSON.parse(String(payload)) as ClientMessage));
    ws.on('framereceived', ({ payload }) => log.received.push(JSON.parse(String(payload)) as ServerMessage));
  });
  return log;
}

/** An event a <read-counter> dispatched, as recorded in the page. */
export interface RecordedEvent {
  type: 'read-counter-update' | 'read-counter-counted';
  /** The element's id, if it has one. */
  id: string;
  detail: { reads: number; live?: number };
}

/** Records the elements' events on `window` (they bubble and are composed) into window.__events. */
export async function recordEvents(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const events: unknown[] = ((window as unknown as { __events: unknown[] }).__events = []);
    for (const type of ['read-counter-update', 'read-counter-counted']) {
      addEventListener(type, (event) => {
        const target = event.target as Element;
        events.push({ type, id: target.id, detail: (event as CustomEvent).detail });
      });
    }
  });
}

/** The events recorded by recordEvents(). */
export function eventsOf(page: Page): Promise<RecordedEvent[]> {
  return page.evaluate(() => (window as unknown as { __events: RecordedEvent[] }).__events);
}

/** The `count` property of the element matching `selector`. */
export function countOf(page: Page, selector = 'read-counter'): Promise<number | null> {
  return page.$eval(selector, (el) => (el as HTMLElement & { count: number | null }).count);
}

/**
 * Waits until the element matching `selector` has `count` equal to `reads`. Polls from the
 * test side: a page whose fake clock is paused runs no animation frames or timers.
 */
export async function waitForCount(page: Page, reads: number, selector = 'read-counter'): Promise<void> {
  await expect.poll(() => countOf(page, selector), { timeout: 5000, interval: 20 }).toBe(reads);
}

/** The text the element renders in its shadow root (what a reader sees), whitespace collapsed. */
export function shownText(page: Page, selector = 'read-counter'): Promise<string> {
  return page.$eval(selector, (el) => {
    const counter = el.shadowRoot!.querySelector<HTMLElement>('[part=counter]')!;
    // Part by part: innerText drops the live part's leading space after the dot's margin.
    const parts = [...counter.children].filter((part) => !(part as HTMLElement).hidden).map((part) => (part as HTMLElement).innerText);
    return counter.hidden ? '' : parts.join(' ').replace(/\s+/g, ' ').trim();
  });
}

/** Makes the page look hidden (another tab in front), as far as the page can tell. */
export function setHidden(page: Page, hidden: boolean): Promise<void> {
  return page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

/**
 * The text a reader sees in the element matching `selector`, shadow roots and slots
 * included (innerText stops at a shadow root): rendered text nodes and `::before` content
 * (a margin before it read as a space), in order, whitespace collapsed. Nothing hidden, clipped to nothing or unrendered counts.
 */
export function visibleText(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (root) => {
    const parts: string[] = [];
    // Text nodes are measured; elements only prune (a slot has display: contents and no box).
    const shown = (el: Element): boolean => getComputedStyle(el).display !== 'none' && getComputedStyle(el).visibility === 'visible';
    const walk = (node: Node): void => {
      if (node.nodeType === Node.TEXT_NODE) {
        const range = document.createRange();
        range.selectNodeContents(node);
        const rect = range.getBoundingClientRect();
        if (rect.width > 1 && rect.height > 1) parts.push(node.textContent ?? '');
        return;
      }
      if (!(node instanceof Element) || !shown(node)) return;
      const before = getComputedStyle(node, '::before');
      // A margin reads as a space.
      if (before.content !== 'none' && before.content !== 'normal') parts.push((parseFloat(before.marginLeft) > 0 ? ' ' : '') + (JSON.parse(before.content) as string));
      if (node instanceof HTMLSlotElement) return node.assignedNodes({ flatten: true }).forEach(walk);
      (node.shadowRoot ?? node).childNodes.forEach(walk);
    };
    walk(root);
    return parts.join('').replace(/\s+/g, ' ').trim();
  });
}

let markers = 0;

/**
 * Adds a hidden readonly counter for a fresh article, whose `subscribe` leaves on the page's
 * socket after every frame the page sent before: once that frame has arrived, anything the page
 * did earlier has arrived too. Tests wait for it instead of sleeping to show nothing happened.
 * Resolves with the marker's article.
 */
export async function addMarker(page: Page): Promise<string> {
  const article = `/__marker/${++markers}`;
  await page.evaluate((a) => {
    const marker = document.createElement('read-counter');
    marker.setAttribute('article', a);
    marker.setAttribute('readonly', '');
    marker.hidden = true;
    document.body.append(marker);
  }, article);
  return article;
}

/**
 * Resolves once every frame the page sent on its real socket so far is in `sockets`: the
 * marker's count comes back after the server read them all, and the log keeps the order.
 */
export async function settle(page: Page, sockets: SocketLog): Promise<void> {
  const marker = await addMarker(page);
  await expect.poll(() => sockets.received.some((m) => m.type === 'count' && m.article === marker), { timeout: 5000, interval: 20 }).toBe(true);
}
