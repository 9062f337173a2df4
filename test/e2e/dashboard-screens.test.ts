import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newContext } from './browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { TestSocket } from '../helpers/ws.js';
import { ADMIN_TOKEN, loginInBrowser } from '../helpers/admin-browser.js';
import { countRead } from '../helpers/count-read.js';
import { sampleBlog, seed } from '../helpers/seed.js';

// Screenshots land here for a person to look at; the assertions are about layout.
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots';

/** The chart's visible day labels, left to right, with their horizontal extent in pixels. */
function axisLabels(page: Page): Promise<Array<{ text: string; left: number; right: number }>> {
  return page.$$eval('.xaxis span', (spans) =>
    spans
      .map((span) => ({ text: span.textContent!, rect: span.getBoundingClientRect() }))
      .filter(({ rect }) => rect.width > 0)
      .map(({ text, rect }) => ({ text, left: rect.left, right: rect.right })),
  );
}

describe('dashboard screenshots', () => {
  let server: TestServer;
  let browser: Browser;
  const readers: TestSocket[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startTestServer({ ADMIN_TOKEN });
    await seed(server.store, server.clock.now(), [...sampleBlog('blog.example.com'), ...sampleBlog('notes.example.org', 40).slice(0, 3)]);
    for (const article of ['/posts/lmdb-in-practice', '/posts/why-i-self-host-my-analytics', '/posts/lmdb-in-practice', '/posts/the-ten-second-rule']) {
      readers.push(await countRead(server, article));
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await Promise.all(readers.map((r) => r.close()));
    await browser?.close();
    await server?.close();
  });

  it.each([
    ['desktop', 1280, 900, 'light'],
    ['phone', 390, 844, 'light'],
    ['phone-dark', 390, 844, 'dark'],
  ] as const)('fits the %s width (%i px) without sideways scrolling', async (name, width, height, colorScheme) => {
    const { context, page } = await loginInBrowser(browser, server.url, { viewport: { width, height }, colorScheme });
    await page.goto(`${server.url}/dashboard?site=blog.example.com&days=30`);
    await expect.poll(() => page.textContent('[data-status]')).toBe('live');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    const labels = await axisLabels(page);
    expect(labels.length).toBeGreaterThanOrEqual(width < 820 ? 5 : 10);
    expect(labels.at(-1)!.text).toBe('Today');
    for (let i = 1; i < labels.length; i++) expect(labels[i]!.left, `${labels[i - 1]!.text} | ${labels[i]!.text}`).toBeGreaterThanOrEqual(labels[i - 1]!.right + 4);
    await page.screenshot({ path: `${SHOTS}/dashboard-${name}.png`, fullPage: true });
    await page.click('tr[data-article="/posts/lmdb-in-practice"] a');
    await page.waitForURL(/article=/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await page.screenshot({ path: `${SHOTS}/article-${name}.png`, fullPage: true });
    await context.close();
  });

  it('shows the login form centred and usable on a phone', async () => {
    const context = await newContext(browser, { viewport: { width: 390, height: 700 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/dashboard`);
    expect(page.url()).toBe(`${server.url}/dashboard/login`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/login-phone.png` });
    await context.close();
  });
});
