import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';
import { blockedBy } from '../docs/adblock.js';
import { countOf, launchBrowser, newContext, recordSockets } from '../e2e/browser.js';
import { publicReads, startTestServer, type TestServer } from '../helpers/server.js';
import { GENERATOR_RECIPES, HTML_RECIPES, type Recipe } from './build-sites.js';
import { RECIPE_COUNTER_URL, serveStatic, type StaticSite } from './static-site.js';

const ROOT = join(import.meta.dirname, '../..');
const RECIPES = [...GENERATOR_RECIPES, ...HTML_RECIPES];

let server: TestServer;
let browser: Browser;
const out = mkdtempSync(join(tmpdir(), 'readcounter-recipes-'));
const sites = new Map<string, StaticSite>();

// Every site is built once per run, all at once: the slowest (Astro) sets the time.
beforeAll(async () => {
  const builds = await Promise.allSettled(RECIPES.map((recipe) => recipe.build(join(out, recipe.name))));
  // Every build has ended (none left writing into `out` once afterAll removes it); then the first failure.
  const failed = builds.find((b) => b.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  for (const recipe of RECIPES) sites.set(recipe.name, await serveStatic(join(out, recipe.name), server.url));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([...sites.values()].map((s) => s.close()));
  await server?.close();
  rmSync(out, { recursive: true, force: true });
});

/** waitForCount() with the test's own `expect`, which concurrent tests must use for expect.poll. */
async function waitForCount(expect: ExpectStatic, page: Page, reads: number, selector = 'read-counter'): Promise<void> {
  await expect.poll(() => countOf(page, selector), { timeout: 5000, interval: 20 }).toBe(reads);
}

/** The built post, as the generator wrote it. */
const builtPost = (recipe: Recipe) => readFileSync(join(out, recipe.name, recipe.post.endsWith('/') ? `${recipe.post}index.html` : recipe.post), 'utf8');

describe.each(RECIPES)('the $name recipe', { timeout: 30_000 }, (recipe) => {
  it('keeps the tested site and the doc word for word the same', ({ expect }) => {
    const doc = readFileSync(join(ROOT, 'docs/recipes', recipe.doc), 'utf8');
    for (const file of recipe.snippetFiles) {
      const lines = readFileSync(join(ROOT, 'test/recipes', recipe.name, file), 'utf8').split('\n');
      const counterLines = lines.map((l) => l.trim()).filter((l) => /read-counter|counter\.js|counter\.example\.com/.test(l));
      expect(counterLines.length, file).toBeGreaterThan(0);
      for (const line of counterLines) expect(doc, `${file}: ${line}`).toContain(line);
    }
  });

  it('builds a post with the script and an element with fallback content', ({ expect }) => {
    const html = builtPost(recipe);
    expect(html).toContain(`<script type="module" src="${RECIPE_COUNTER_URL}/counter.js"></script>`);
    expect(html).toMatch(/<read-counter(?: article="[^"]*")?>…<\/read-counter>/);
  });

  it('counts a read of the post in Chromium, and the index page shows it without counting', async ({ expect }) => {
    const site = sites.get(recipe.name)!;
    const context = await newContext(browser);
    await context.clock.install();
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (request) => void requests.push(request.url()));
    const sockets = recordSockets(page);

    await page.goto(`${site.url}${recipe.post}`);
    await waitForCount(expect, page, 0);
    server.clock.advance(10_500);
    await page.clock.runFor(10_500);
    await waitForCount(expect, page, 1);
    expect(await publicReads(server.url, site.site, recipe.article)).toBe(1);

    await page.goto(`${site.url}/`);
    await waitForCount(expect, page, 1, 'read-counter[readonly]');
    expect(sockets.reads(recipe.article)).toBe(1);
    expect(await countOf(page, 'read-counter[readonly]')).toBe(1);
    expect(await publicReads(server.url, site.site, recipe.article)).toBe(1);
    expect(requests.some((url) => url.endsWith('/counter.js'))).toBe(true);
    expect(requests.flatMap(blockedBy)).toEqual([]);
    await context.close();
  });
});
