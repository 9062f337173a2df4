import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { badgeColor, escapeXml, renderBadge } from '../../../server/routes/badge.js';
import { seed } from '../../helpers/seed.js';
import { readAll } from '../../../server/store/read-all.js';

const SITE = 'blog.example.com';

describe('GET /badge.svg', () => {
  let server: TestServer;
  const get = (query: string, headers: Record<string, string> = {}) => fetch(`${server.url}/badge.svg?${query}`, { headers });

  beforeAll(async () => {
    server = await startTestServer();
    await seed(server.store, server.clock.now(), [
      { site: SITE, article: '/posts/hello', reads: [1200, 34] },
      { site: SITE, article: '/posts/other', reads: [5] },
    ]);
  });
  afterAll(async () => {
    await server.close();
  });

  it('shows an article\'s reads, needs no token, and is open to every origin', async () => {
    const response = await get(`site=${SITE}&article=/posts/hello`, { origin: 'https://github.com' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const svg = await response.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="20" role="img" aria-label="reads: 1,234">/);
    expect(svg).toContain('>1,234</text>');
  });

  it('shows the whole site without an article, and 0 for an unknown one', async () => {
    expect(await (await get(`site=${SITE}`)).text()).toContain('aria-label="reads: 1,239"');
    expect(await (await get(`site=${SITE}&article=/nope`)).text()).toContain('aria-label="reads: 0"');
  });

  it('carries a short cache and an ETag that answers 304 while the count stands', async () => {
    const first = await get(`site=${SITE}&article=/posts/hello`);
    expect(first.headers.get('cache-control')).toBe('public, max-age=60, stale-while-revalidate=60');
    const tag = first.headers.get('etag');
    expect(tag).toMatch(/^"[^"]+"$/);
    const again = await get(`site=${SITE}&article=/posts/hello`, { 'if-none-match': tag! });
    expect(again.status).toBe(304);
    await server.store.increment(SITE, '/posts/hello', server.clock.now());
    const changed = await get(`site=${SITE}&article=/posts/hello`, { 'if-none-match': tag! });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toContain('1,235');
  });

  it('escapes the label', async () => {
    const svg = await (await get(`site=${SITE}&label=${encodeURIComponent('<script>alert(1)</script>&"\'')}`)).text();
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&#60;script&#62;alert(1)&#60;/script&#62;&#38;&#34;&#39;');
  });

  it('takes a shields color name or a hex color', async () => {
    expect(await (await get(`site=${SITE}&color=brightgreen`)).text()).toContain('fill="#4c1"');
    expect(await (await get(`site=${SITE}&color=FF8800`)).text()).toContain('fill="#ff8800"');
    expect(await (await get(`site=${SITE}&color=%23abc`)).text()).toContain('fill="#abc"');
  });

  it.each([
    ['color=red;x', 'bad_color'],
    ['color=url(%23x)', 'bad_color'],
    ['color=constructor', 'bad_color'],
    [`label=${'x'.repeat(65)}`, 'bad_label'],
    ['article=nope', 'bad_article'],
  ])('answers %s with a 400 %s, changing no count', async (query, code) => {
    const before = JSON.stringify((await readAll(server.store.totals())));
    const response = await get(`site=${SITE}&${query}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(JSON.stringify((await readAll(server.store.totals())))).toBe(before);
  });

  it('answers a missing site with a 400 bad_site', async () => {
    const response = await get('article=/posts/hello');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('bad_site');
  });
});

describe('renderBadge', () => {
  it('grows with its text and drops the label part when the label is empty', () => {
    const width = (svg: string) => Number(/width="(\d+)"/.exec(svg)![1]);
    expect(width(renderBadge('reads', '1,234,567', '#007ec6'))).toBeGreaterThan(width(renderBadge('reads', '7', '#007ec6')));
    const bare = renderBadge('', '12', '#007ec6');
    expect(bare).toContain('aria-label="12"');
    expect(bare.match(/<text /g)).toHaveLength(2);
  });

  it('escapes all five XML specials', () => {
    expect(escapeXml(`<>&"'`)).toBe('&#60;&#62;&#38;&#34;&#39;');
  });

  it('normalizes colors', () => {
    expect(badgeColor(undefined)).toBe('#007ec6');
    expect(badgeColor('Blue')).toBe('#007ec6');
  });
});
