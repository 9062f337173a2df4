import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { RULE_COUNT, blockedBy } from './adblock.js';

const ROOT = join(import.meta.dirname, '../..');
const BASE = 'https://counter.example.com';

/** Every public path the element, the badge and the APIs use, with the query a page sends. */
const PUBLIC_URLS = [
  `${BASE}/counter.js`,
  `${BASE.replace('https', 'wss')}/ws`,
  `${BASE}/api/count?site=blog.example.com&article=/posts/hello`,
  `${BASE}/api/counts?site=blog.example.com&article=/posts/hello&article=/posts/world`,
  `${BASE}/badge.svg?site=blog.example.com&article=/posts/hello`,
  `${BASE}/docs/element.md`,
];

/** The Markdown a blogger copies from: README and every doc and recipe. */
function docFiles(): string[] {
  const docs = (dir: string) => readdirSync(join(ROOT, dir)).filter((n) => n.endsWith('.md')).map((n) => join(dir, n));
  return ['README.md', ...docs('docs'), ...docs('docs/recipes')];
}

/** Every URL or path in a text: each word with a `/` in it, as it would be pasted into a template. */
function pathsIn(text: string): string[] {
  return text.split(/[\s`"'()<>[\]{},;|*]+/).filter((word) => word.includes('/') && !word.startsWith('//'));
}

describe('ad-blocker guard', () => {
  it('reads the checked-in counter rules, and they catch what they should', () => {
    expect(RULE_COUNT).toBeGreaterThan(150);
    expect(blockedBy('https://blog.example.com/stats/counter.js')).toContain('/stats/counter.');
    expect(blockedBy('https://x.example/hitcount?p=1')).toContain('/hitcount?');
    expect(blockedBy('https://x.example/counter?id=3')).toContain('/counter?');
  });

  it.each(PUBLIC_URLS)('%s matches no counter rule', (url) => {
    expect(blockedBy(url)).toEqual([]);
  });

  it.each(docFiles())('every URL and path in %s matches no counter rule', (file) => {
    const hits = pathsIn(readFileSync(join(ROOT, file), 'utf8')).flatMap((path) => blockedBy(path).map((rule) => `${path} ← ${rule}`));
    expect(hits).toEqual([]);
  });

  describe('the landing page', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer();
    });
    afterAll(async () => {
      await server.close();
    });

    it('links and loads nothing a counter rule blocks', async () => {
      const html = await (await fetch(server.url)).text();
      const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => new URL(m[1]!.replace(/&amp;/g, '&'), server.url).href);
      expect(urls.length).toBeGreaterThan(5);
      expect(urls.flatMap(blockedBy)).toEqual([]);
    });
  });
});
