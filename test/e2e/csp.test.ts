import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from './fixture.js';
import { newContext, visibleText, waitForCount } from './browser.js';

// A blog with a strict Content-Security-Policy (style-src 'self'), in real Chromium, against
// the real server: what a reader sees, as text on the screen, not only what is in the DOM.
let e2e: E2E;
let context: BrowserContext | undefined;

beforeAll(async () => {
  e2e = await startE2E();
}, 30_000);

afterAll(() => e2e?.close());

afterEach(async () => {
  await context?.close();
  context = undefined;
});

async function open(path: string, init?: () => void): Promise<{ page: Page; violations: string[] }> {
  context = await newContext(e2e.browser);
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(`${e2e.blog.url}${path}`);
  return { page, violations };
}

const byline = (page: Page): Promise<string> => visibleText(page, '.byline');

describe('a blog with a strict Content-Security-Policy', { timeout: 20_000 }, () => {
  it('shows the count once, styled, with only the documented directives', async () => {
    for (let i = 0; i < 5; i++) await e2e.server.store.increment(e2e.blog.site, '/posts/csp', e2e.server.clock.now());
    const { page, violations } = await open('/posts/csp?csp&live');
    await waitForCount(page, 5);
    expect(await byline(page)).toBe('March 3, 2026 · 4 min read · 5 reads ● 1 reading now');
    // The constructed stylesheet applies: tabular figures and the coloured live dot.
    const styles = await page.$eval('read-counter', (el) => {
      const root = el.shadowRoot!;
      const dot = getComputedStyle(root.querySelector('[part=live]')!, '::before');
      return [getComputedStyle(root.querySelector('[part=count]')!).fontVariantNumeric, dot.color, dot.content];
    });
    expect(styles).toEqual(['tabular-nums', 'rgb(22, 163, 74)', '"● "']);
    expect(violations).toEqual([]);
  });

  it('shows the count once where constructable stylesheets are missing and a <style> would be blocked', async () => {
    const { page } = await open('/posts/csp-old-browser?csp&live', () => {
      // Safari < 16.4, Firefox < 101.
      Object.defineProperty(window, 'CSSStyleSheet', {
        value: function CSSStyleSheet() {
          throw new TypeError('Illegal constructor');
        },
      });
    });
    await waitForCount(page, 0);
    expect(await byline(page)).toBe('March 3, 2026 · 4 min read · 0 reads 1 reading now');
    await page.screenshot();
  });

  it('shows the fallback, and no error, when the policy leaves the counter out of connect-src', async () => {
    // The blogger added script-src only: the page's own policy blocks the socket.
    const { page, violations } = await open('/posts/csp-no-connect?csp=no-connect');
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(await byline(page)).toBe('March 3, 2026 · 4 min read · – reads');
  });
});
