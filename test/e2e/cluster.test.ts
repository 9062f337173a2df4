import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type TestCluster } from '../helpers/cluster.js';
import { startBlog, type TestBlog } from './blog.js';
import { launchBrowser, newContext, shownText, waitForCount } from './browser.js';

// One post, two readers, two nodes of a cluster on one Redis: the counter's promise holds
// across nodes. Built nodes run on real time, so the server's dwell is 0 here
// (QUICK_CLUSTER_ENV) and the page's own 10 s pass on the page's fake clock.
let cluster: TestCluster;
let blog: TestBlog;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // Any origin: the blog's port is known only once it listens, after the nodes start.
  [cluster, browser] = await Promise.all([startCluster(2, { ALLOWED_ORIGINS: '' }), launchBrowser()]);
  blog = await startBlog(cluster.nodes[0]!.url);
}, 60_000);

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await blog?.close();
  await cluster?.cleanup();
});

async function openPost(url: string): Promise<Page> {
  const context = await newContext(browser);
  contexts.push(context);
  await context.clock.install({ time: Date.now() });
  await context.clock.pauseAt(Date.now() + 1000);
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

describe('a post read through two nodes of a cluster', { timeout: 45_000 }, () => {
  it('shows live summed over both nodes, and ticks the page on node B when the reader on node A is counted', async () => {
    const [a, b] = cluster.nodes as [TestCluster['nodes'][0], TestCluster['nodes'][0]];
    const post = `${blog.url}/posts/clustered?live`;
    const onA = await openPost(post);
    const onB = await openPost(`${post}&counter=${encodeURIComponent(b.url)}`);
    await waitForCount(onA, 0);
    await waitForCount(onB, 0);
    // The element talks to the server it was loaded from: each page to its own node.
    const counterOrigin = (page: Page) => page.$eval('script[type=module]', (el) => new URL((el as HTMLScriptElement).src).origin);
    expect([await counterOrigin(onA), await counterOrigin(onB)]).toEqual([a.url, b.url]);
    // One reading page on each node: each node counts its own, every page shows the sum.
    const timing = { timeout: 15_000, interval: 50 };
    await expect.poll(() => shownText(onA), timing).toBe('0 reads 2 reading now');
    await expect.poll(() => shownText(onB), timing).toBe('0 reads 2 reading now');

    await onA.clock.runFor(10_500);

    await expect.poll(() => shownText(onB), timing).toBe('1 read 2 reading now');
    await waitForCount(onA, 1);
    const stored = async (node: typeof a) => (await (await fetch(`${node.url}/api/count?site=${blog.site}&article=/posts/clustered`)).json()) as { reads: number };
    expect((await stored(a)).reads).toBe(1);
    expect((await stored(b)).reads).toBe(1);
  });
});
