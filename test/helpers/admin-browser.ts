import type { Browser, BrowserContext, Page } from 'playwright-core';
import { newContext } from '../e2e/browser.js';

/** A test admin token (ADMIN_TOKEN needs at least 16 characters). */
export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

/** Logs in through the real form, as a person would, and returns the page on /dashboard. */
export async function loginInBrowser(browser: Browser, baseUrl: string, options: Parameters<typeof newContext>[1] = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, options);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/dashboard`);
  await page.fill('input[name=token]', ADMIN_TOKEN);
  await Promise.all([page.waitForURL(`${baseUrl}/dashboard`), page.click('button[type=submit]')]);
  return { context, page };
}
