import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchBrowser, newContext, waitForCount } from './browser.js';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the landing page in Chromium', { timeout: 20_000 }, () => {
  it.each([1280, 390])('at %i px: every request succeeds (no favicon 404) and the badge shows as an image', async (width) => {
    const context = await newContext(browser, { viewport: { width, height: 900 } });
    const page = await context.newPage();
    const failed: string[] = [];
    page.on('response', (response) => void (response.status() >= 400 && failed.push(`${response.status()} ${response.url()}`)));
    page.on('requestfailed', (request) => void failed.push(`failed ${request.url()}`));
    await page.goto(`${server.url}/`);
    await waitForCount(page, 0);
    const badge = page.locator('img.badge');
    await expect.poll(() => badge.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(20);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    expect(await page.locator('a[href="/metrics"]').count()).toBe(0);
    expect(failed).toEqual([]);
    if (process.env.SHOTS_DIR) await page.screenshot({ path: `${process.env.SHOTS_DIR}/landing-${width}.png`, fullPage: true });
    await context.close();
  });
});
