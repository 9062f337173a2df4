import type { Browser, LaunchOptions } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startBlog, type TestBlog } from './blog.js';
import { launchBrowser } from './browser.js';

/** What an end-to-end suite runs against: a counter server, a blog on another origin, Chromium. */
export interface E2E {
  server: TestServer;
  blog: TestBlog;
  browser: Browser;
  close(): Promise<void>;
}

/** Starts the counter server and Chromium side by side, then the blog that embeds the counter. */
export async function startE2E(launch: LaunchOptions = {}): Promise<E2E> {
  const [server, browser] = await Promise.all([startTestServer(), launchBrowser(launch)]);
  const blog = await startBlog(server.url);
  return {
    server,
    blog,
    browser,
    async close() {
      await browser.close();
      await blog.close();
      await server.close();
    },
  };
}
