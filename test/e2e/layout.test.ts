import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startBlog, type TestBlog } from './blog.js';
import { launchBrowser, newContext, waitForCount } from './browser.js';

// Set SHOTS_DIR to keep screenshots of the demo post and the landing page for a human look.
const shotsDir = process.env.SHOTS_DIR;
let server: TestServer;
let blog: TestBlog;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  blog = await startBlog(server.url);
  if (shotsDir) mkdirSync(shotsDir, { recursive: true });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await blog?.close();
  await server?.close();
});

async function shot(page: Page, name: string): Promise<void> {
  const image = await page.screenshot({ fullPage: true, ...(shotsDir ? { path: join(shotsDir, `${name}.png`) } : {}) });
  expect(image.length).toBeGreaterThan(1000);
}

/** Whether the page scrolls sideways: it must not, even on a phone. */
function overflows(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > innerWidth);
}

/** A post whose socket the test answers, so the numbers are what the test says. */
async function post(width: number, counts: Array<[number, number]>): Promise<{ page: Page; next: () => void }> {
  const context = await newContext(browser, { viewport: { width, height: 700 }, deviceScaleFactor: width < 500 ? 2 : 1 });
  const page = await context.newPage();
  const pending = [...counts];
  let send: (() => void) | undefined;
  await page.routeWebSocket(/\/ws$/, (ws) => {
    ws.send(JSON.stringify({ type: 'hello', version: 1, dwellSeconds: 10 }));
    send = () => {
      const [reads, live] = pending.shift()!;
      ws.send(JSON.stringify({ type: 'count', article: '/posts/on-reading-slowly', reads, live }));
    };
  });
  await page.goto(`${blog.url}/posts/on-reading-slowly?live`);
  await expect.poll(() => send !== undefined).toBe(true);
  return { page, next: () => send!() };
}

/** Where the text after the counter starts: it must not move as the count changes. */
function textAfterCounter(page: Page): Promise<number> {
  return page.evaluate(() => {
    const range = document.createRange();
    range.selectNodeContents(document.querySelector('read-counter')!.parentElement!.lastChild!);
    return range.getBoundingClientRect().x;
  });
}

/** Space between the end of the element's text and the end of the element, in px. */
function gapAfterText(page: Page): Promise<number> {
  return page.$eval('read-counter', (el) => {
    const range = document.createRange();
    range.selectNodeContents(el.shadowRoot!.querySelector('[part=counter]')!);
    return el.getBoundingClientRect().right - range.getBoundingClientRect().right;
  });
}

describe('layout', { timeout: 20_000 }, () => {
  it('leaves no gap after a short count in running text, and keeps the text after it still as digits change', async () => {
    const { page, next } = await post(1280, [
      [5, 1],
      [8, 1],
      [12, 1],
      [47, 1],
    ]);
    await page.$eval('read-counter', (el) => {
      el.removeAttribute('show-live');
      el.after(document.createTextNode(' · and then some'));
    });
    const fallback = await textAfterCounter(page);
    next();
    await waitForCount(page, 5);
    const first = await textAfterCounter(page);
    // "– reads" and "5 reads" differ by a dash and a digit: no more than a fraction of a character.
    expect(Math.abs(first - fallback)).toBeLessThan(3);
    // No reserved width: the element ends where its text ends.
    expect(await gapAfterText(page)).toBeLessThan(0.5);
    next();
    await waitForCount(page, 8);
    expect(await textAfterCounter(page)).toBe(first);
    next();
    await waitForCount(page, 12);
    const twoDigits = await textAfterCounter(page);
    next();
    await waitForCount(page, 47);
    expect(await textAfterCounter(page)).toBe(twoDigits);
    expect(await gapAfterText(page)).toBeLessThan(0.5);
    await page.context().close();
  });

  it('inherits the font and colour of the text around it', async () => {
    const { page, next } = await post(1280, [[1234, 3]]);
    next();
    await waitForCount(page, 1234);
    const [outer, inner] = await page.$eval('read-counter', (el) => {
      const style = (e: Element) => {
        const s = getComputedStyle(e);
        return [s.fontFamily, s.fontSize, s.color].join('|');
      };
      return [style(el.parentElement!), style(el.shadowRoot!.querySelector('[part=count]')!)];
    });
    expect(inner).toBe(outer);
    await page.context().close();
  });

  it('looks right on a desktop and a phone', async () => {
    for (const [width, name] of [
      [1280, 'post-desktop'],
      [390, 'post-phone'],
    ] as const) {
      const { page, next } = await post(width, [[1234, 3]]);
      next();
      await waitForCount(page, 1234);
      expect(await overflows(page)).toBe(false);
      await shot(page, name);
      await page.context().close();
    }
  });
});

describe('the landing page', { timeout: 20_000 }, () => {
  it('counts its own visitor with the live demo, and fits a phone', async () => {
    const context = await newContext(browser, { viewport: { width: 390, height: 800 }, deviceScaleFactor: 2 });
    await context.clock.install();
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await waitForCount(page, 0);
    server.clock.advance(10_500);
    await page.clock.runFor(10_500);
    await waitForCount(page, 1);
    const res = await fetch(`${server.url}/api/count?site=127.0.0.1:${server.port}&article=/`);
    expect(await res.json()).toMatchObject({ reads: 1 });
    await shot(page, 'landing-phone');
    expect(await overflows(page)).toBe(false);
    await page.setViewportSize({ width: 1280, height: 900 });
    await shot(page, 'landing-desktop');
    await context.close();
  });
});
