import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';

describe('the landing page', () => {
  let server: TestServer;
  let html: string;
  beforeAll(async () => {
    server = await startTestServer({ ADMIN_TOKEN: 'a'.repeat(32) });
    html = await (await fetch(server.url)).text();
  });
  afterAll(async () => {
    await server.close();
  });

  const links = () => [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

  it('has an inline icon, so the browser asks for no /favicon.ico', () => {
    expect(html).toMatch(/<link rel="icon" href="data:image\/svg\+xml,[^"]+">/);
  });

  it('answers every link and resource it has on this server with a 200', async () => {
    const local = links().filter((href) => href.startsWith('/'));
    expect(local).toEqual(expect.arrayContaining(['/counter.js', '/docs', '/docs/element.md', '/docs/recipes/hugo.md']));
    for (const href of local) {
      const response = await fetch(new URL(href, server.url));
      expect({ href, status: response.status }).toEqual({ href, status: 200 });
    }
  });

  it('does not link /metrics, which a visitor cannot open', () => {
    expect(links().some((href) => href.includes('/metrics'))).toBe(false);
  });

  it('shows the badge as an image', () => {
    expect(html).toMatch(/<img [^>]*src="\/badge\.svg\?site=127\.0\.0\.1:\d+&amp;article=\/"/);
  });

  it('puts fallback content in every snippet of the element', () => {
    const snippets = [...html.matchAll(/&lt;read-counter[^&]*&gt;(.*?)&lt;\/read-counter&gt;/g)];
    expect(snippets.length).toBeGreaterThanOrEqual(2);
    for (const [, fallback] of snippets) expect(fallback!.trim()).not.toBe('');
  });
});

describe('GET /docs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('lists the docs and every recipe', async () => {
    const response = await fetch(`${server.url}/docs`);
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const path of ['element.md', 'index-pages.md', 'privacy.md', 'recipes/hugo.md', 'recipes/jekyll.md', 'recipes/eleventy.md', 'recipes/astro.md', 'recipes/ghost.md', 'recipes/wordpress.md']) {
      expect(html).toContain(`href="/docs/${path}"`);
    }
  });

  it('serves a doc as UTF-8 plain text, which every browser shows', async () => {
    const response = await fetch(`${server.url}/docs/privacy.md`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const text = await response.text();
    expect(text).toMatch(/^# Privacy statement/);
    expect(text).not.toContain('https://github.com/)');
  });

  it.each(['/docs/nope.md', '/docs/../package.json', '/docs/%2e%2e/package.json', '/docs/recipes/../../README.md', '/docs/bench-chart.svg'])(
    '%s is a JSON 404',
    async (path) => {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
    },
  );
});
