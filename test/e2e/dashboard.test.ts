import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newContext } from './browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ADMIN_TOKEN, loginInBrowser } from '../helpers/admin-browser.js';
import { countRead } from '../helpers/count-read.js';
import { seed } from '../helpers/seed.js';
import { readAll } from '../../server/store/read-all.js';

const SITE = 'blog.example.com';
const SCRIPT_KEY = '/<script>alert(1)</script>';
const IMG_KEY = '/"><img src=x onerror=alert(1)>';

/** Fails the test if the page ever opens a dialog (alert, confirm, prompt). */
function forbidDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return dialogs;
}

describe('the dashboard in Chromium', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer({ ADMIN_TOKEN });
    await seed(server.store, server.clock.now(), [
      { site: SITE, article: '/posts/hello', reads: [3, 0, 2] },
      { site: SITE, article: SCRIPT_KEY, reads: [2] },
      { site: SITE, article: IMG_KEY, reads: [1] },
      { site: 'notes.example.org', article: '/til/one', reads: [1] },
    ]);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('logs in through the form and out again', async () => {
    const { context, page } = await loginInBrowser(browser, server.url);
    await expect.poll(() => page.locator('h1').textContent()).toBe(SITE);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'readcounter_admin', httpOnly: true, sameSite: 'Strict', path: '/' });

    await Promise.all([page.waitForURL(/\/dashboard\/login\?out=1$/), page.click('text=Log out')]);
    expect(await page.textContent('main')).toContain('You are logged out.');
    expect(await context.cookies()).toEqual([]);
    await page.goto(`${server.url}/dashboard`);
    expect(page.url()).toBe(`${server.url}/dashboard/login`);
    await context.close();
  });

  it('works without JavaScript: login, figures, chart, site switcher and range links', async () => {
    const { context, page } = await loginInBrowser(browser, server.url, { javaScriptEnabled: false });
    expect(await page.textContent('h1')).toBe(SITE);
    expect(await page.textContent('[data-stat="total"]')).toBe(String((await readAll(server.store.totals(SITE))).reduce((n, t) => n + t.reads, 0)));
    expect(await page.locator('rect[data-day]').count()).toBe(30);
    await page.click('text=7 days');
    expect(await page.locator('rect[data-day]').count()).toBe(7);
    await page.selectOption('select[name=site]', 'notes.example.org');
    await Promise.all([page.waitForURL(/site=notes\.example\.org/), page.click('button:text("Show")')]);
    expect(await page.textContent('h1')).toBe('notes.example.org');
    expect(page.url()).toContain('days=7');
    await context.close();
  });

  it('shows a wrong token as an error on the form', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/dashboard/login`);
    await page.fill('input[name=token]', 'this-is-not-the-admin-token');
    await page.click('button[type=submit]');
    expect(await page.textContent('[role=alert]')).toBe('That is not the admin token.');
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  it('shows hostile article names as text: no dialog fires, the names are visible, escaped', async () => {
    const { context, page } = await loginInBrowser(browser, server.url);
    const dialogs = forbidDialogs(page);
    // A read of a hostile key reaches the live feed too, where the script renders it.
    const reader = await countRead(server, SCRIPT_KEY);
    await page.goto(`${server.url}/dashboard?site=${SITE}`);
    const names = await page.locator('tr[data-article] a').allTextContents();
    expect(names).toEqual(expect.arrayContaining([SCRIPT_KEY, IMG_KEY]));
    expect(await page.locator('[data-feed] a').first().textContent()).toBe(SCRIPT_KEY);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('body script').count()).toBe(0);

    // The live script renders a new read of the other hostile key.
    const second = await countRead(server, IMG_KEY);
    await expect.poll(() => page.locator('[data-feed] a').first().textContent(), { timeout: 1000 }).toBe(IMG_KEY);

    await page.locator('tr[data-article] a', { hasText: IMG_KEY }).click({ timeout: 2000 });
    await page.waitForURL(/article=/);
    expect(await page.locator('h1').textContent()).toContain(IMG_KEY);
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await Promise.all([reader.close(), second.close(), context.close()]);
  });

  it('serves the badge as valid SVG XML that shows a hostile label as text', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const dialogs = forbidDialogs(page);
    const label = '<script>alert(1)</script>"><img src=x onerror=alert(1)>';
    const url = `${server.url}/badge.svg?site=${SITE}&article=${encodeURIComponent(SCRIPT_KEY)}&label=${encodeURIComponent(label)}`;
    const response = await page.goto(url);
    expect(response!.status()).toBe(200);
    const source = await response!.text();
    const parsed = await page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, 'image/svg+xml');
      return { error: doc.querySelector('parsererror')?.textContent ?? null, root: doc.documentElement.nodeName, texts: [...doc.querySelectorAll('text')].map((t) => t.textContent) };
    }, source);
    expect(parsed.error).toBeNull();
    expect(parsed.root).toBe('svg');
    expect(parsed.texts).toContain(label);
    expect(parsed.texts).toContain((await server.store.reads(SITE, SCRIPT_KEY)).toLocaleString('en-US'));
    expect(await page.evaluate(() => document.querySelectorAll('script, img').length)).toBe(0);
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it('shows a read counted elsewhere in the feed and the totals within a second, without a reload', async () => {
    const { context, page } = await loginInBrowser(browser, server.url);
    let loads = 0;
    page.on('load', () => void loads++);
    await page.goto(`${server.url}/dashboard?site=${SITE}&days=7`);
    await expect.poll(() => page.textContent('[data-status]')).toBe('live');
    const stat = (name: string) => page.textContent(`[data-stat="${name}"]`).then(Number);
    const [total, today, range, live] = [await stat('total'), await stat('today'), await stat('range'), await stat('live')];
    const todayBar = () => page.getAttribute('rect[data-day="2026-01-15"]', 'data-reads').then(Number);
    const bar = await todayBar();
    loads = 0;

    const reader = await countRead(server, '/posts/hello');
    await expect.poll(() => page.locator('[data-feed] li').first().textContent(), { timeout: 1000 }).toMatch(/\/posts\/hello#\d+/);
    await expect.poll(() => stat('total'), { timeout: 1000 }).toBe(total + 1);
    expect(await stat('today')).toBe(today + 1);
    expect(await stat('range')).toBe(range + 1);
    expect(await todayBar()).toBe(bar + 1);
    await expect.poll(() => stat('live'), { timeout: 1500 }).toBe(live + 1);
    expect(await page.textContent('tr[data-article="/posts/hello"] [data-col="total"]')).toBe(String(await server.store.reads(SITE, '/posts/hello')));
    expect(loads).toBe(0);
    await Promise.all([reader.close(), context.close()]);
  });
  it('keeps the site switcher\'s count current, and shows feed times in UTC and numbers en-US whatever the browser\'s locale', async () => {
    const { context, page } = await loginInBrowser(browser, server.url, { locale: 'de-DE', timezoneId: 'America/New_York' });
    await page.goto(`${server.url}/dashboard?site=${SITE}&days=7`);
    await expect.poll(() => page.textContent('[data-status]')).toBe('live');
    const option = () => page.textContent(`select#site option[value="${SITE}"]`);
    const totalOf = async () => (await readAll(server.store.totals(SITE))).reduce((sum, t) => sum + t.reads, 0);
    expect(await option()).toBe(`${SITE} (${await totalOf()})`);

    const reader = await countRead(server, '/posts/hello');
    await expect.poll(option, { timeout: 1000 }).toBe(`${SITE} (${await totalOf()})`);
    const item = page.locator('[data-feed] li').first();
    await expect.poll(() => item.textContent(), { timeout: 1000 }).toMatch(/\/posts\/hello#\d+/);
    const [shown, iso] = [await item.locator('time').textContent(), await item.locator('time').getAttribute('datetime')];
    expect(shown).toBe(iso!.slice(11, 19));
    await Promise.all([reader.close(), context.close()]);
  });

  it('reconnects after a server restart with the page\'s socket, watches the site again and shows the next read', async () => {
    const { context, page } = await loginInBrowser(browser, server.url);
    await context.clock.install();
    await page.goto(`${server.url}/dashboard?site=${SITE}&days=7`);
    const status = () => page.textContent('[data-status]');
    await expect.poll(status).toBe('live');
    const total = Number(await page.textContent('[data-stat="total"]'));

    await server.restart();
    await expect.poll(status).toBe('reconnecting…');
    // The page's first retry waits less than a second of its own time (the element's backoff).
    await page.clock.runFor(1000);
    await expect.poll(status).toBe('live');
    const reader = await countRead(server, '/posts/hello');
    await expect.poll(() => page.textContent('[data-stat="total"]').then(Number), { timeout: 1000 }).toBe(total + 1);
    await Promise.all([reader.close(), context.close()]);
  });

  it('opens on the site chosen last, not the one with the most reads', async () => {
    const { context, page } = await loginInBrowser(browser, server.url);
    expect(await page.textContent('h1')).toBe(SITE);
    await page.selectOption('select#site', 'notes.example.org');
    await page.waitForURL(/site=notes\.example\.org/);
    await page.goto(`${server.url}/dashboard`);
    await page.waitForURL(/\/dashboard\?site=notes\.example\.org&days=30$/, { timeout: 5000 });
    expect(await page.textContent('h1')).toBe('notes.example.org');
    expect(await context.cookies()).toHaveLength(1);
    await context.close();
  });
});
