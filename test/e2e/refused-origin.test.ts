import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startBlog, type TestBlog } from './blog.js';
import { launchBrowser, newContext, visibleText } from './browser.js';

// The blogger forgot the blog's origin in ALLOWED_ORIGINS (a preview deploy, a localhost try).
let server: TestServer;
let blog: TestBlog;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ ALLOWED_ORIGINS: 'https://blog.example.com' }), launchBrowser()]);
  blog = await startBlog(server.url);
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await blog?.close();
  await server?.close();
});

describe('a page whose origin is not allowed', { timeout: 20_000 }, () => {
  it('tells the blogger in the console once and the server log, stops retrying, and shows the reader the fallback', async () => {
    const context = await newContext(browser);
    await context.clock.install();
    const page = await context.newPage();
    const warnings: string[] = [];
    const errors: Error[] = [];
    let sockets = 0;
    page.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
    page.on('pageerror', (error) => errors.push(error));
    page.on('websocket', () => void (sockets += 1));
    await page.goto(`${blog.url}/posts/refused`);

    await expect.poll(() => warnings.length).toBe(1);
    expect(warnings[0]).toBe(
      `readcounter refused this page's connection: its origin "${blog.url}" is not in ALLOWED_ORIGINS. ` +
        'If it is your blog, add it to ALLOWED_ORIGINS on the counter server (a comma list) and restart the server.',
    );
    expect(server.logs.filter((line) => line.includes(`origin "${blog.url}"`))).toHaveLength(1);
    expect(server.logs.find((line) => line.includes(`origin "${blog.url}"`))).toContain(`ALLOWED_ORIGINS=blog.example.com,${blog.site}`);

    // Ten minutes of full-rate retrying would be about twenty more attempts: there are none.
    const attempts = sockets;
    await page.clock.runFor(10 * 60_000);
    await page.evaluate(() => document.readyState);
    expect(sockets).toBe(attempts);
    expect(warnings).toHaveLength(1);
    expect(await visibleText(page, '.byline')).toBe('March 3, 2026 · 4 min read · – reads');
    expect(errors).toEqual([]);
    await context.close();
  });
});
