import { afterEach, describe, expect, it } from 'vitest';
import { publicReads, startTestServer, type TestServer } from '../../helpers/server.js';
import { readOnce, tryUpgrade } from '../../helpers/ws.js';
import { readAll } from '../../../server/store/read-all.js';

/** Every site the store holds. */
const sites = async (server: TestServer): Promise<string[]> => (await readAll(server.store.sites())).map((s) => s.site);

describe('no site from a forged header', () => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  it('refuses Host: junk.test with Origin: http://junk.test, and creates no site', async () => {
    server = await startTestServer({ ALLOWED_ORIGINS: 'https://blog.example.com' });
    const refusal = await tryUpgrade(server.wsUrl, { origin: 'http://junk.test', headers: { host: 'junk.test' } });
    expect(refusal).toMatchObject({ status: 403, error: { code: 'origin_not_allowed' } });
    expect(await readOnce(server.wsUrl, server.clock.advance, '/', { origin: 'https://blog.example.com', headers: { host: 'junk.test' } })).toMatchObject({ type: 'counted' });
    expect(await sites(server)).toEqual(['blog.example.com']);
    expect(await publicReads(server.url, 'junk.test', '/')).toBe(0);
  });

  it('holds an allowed origin to its scheme: http://b.test is not https://b.test', async () => {
    server = await startTestServer({ ALLOWED_ORIGINS: 'https://b.test,c.test' });
    for (const origin of ['http://b.test', 'http://c.test', 'http://www.b.test']) {
      expect(await tryUpgrade(server.wsUrl, { origin })).toMatchObject({ status: 403, error: { code: 'origin_not_allowed' } });
    }
    for (const origin of ['https://b.test', 'https://www.b.test', 'https://c.test']) {
      expect(await tryUpgrade(server.wsUrl, { origin })).toEqual({ status: 101 });
    }
    expect(await sites(server)).toEqual([]);
  });

  it('lets plain http through for a bare localhost or loopback entry, where it is normal', async () => {
    server = await startTestServer({ ALLOWED_ORIGINS: 'localhost:4000,127.0.0.1:4000' });
    expect(await tryUpgrade(server.wsUrl, { origin: 'http://localhost:4000' })).toEqual({ status: 101 });
    expect(await tryUpgrade(server.wsUrl, { origin: 'http://127.0.0.1:4000' })).toEqual({ status: 101 });
    expect(await tryUpgrade(server.wsUrl, { origin: 'http://localhost:4001' })).toMatchObject({ status: 403 });
  });

  it('takes its own origin from PUBLIC_URL, whatever Host says', async () => {
    server = await startTestServer({ ALLOWED_ORIGINS: 'https://blog.example.com', PUBLIC_URL: 'https://counter.example.com' });
    expect(await tryUpgrade(server.wsUrl, { origin: 'https://counter.example.com', headers: { host: 'elsewhere.test' } })).toEqual({ status: 101 });
    expect(await tryUpgrade(server.wsUrl, { origin: 'http://counter.example.com', headers: { host: 'counter.example.com' } })).toMatchObject({ status: 403 });
    expect(await tryUpgrade(server.wsUrl, { origin: `http://localhost:${server.port}` })).toMatchObject({ status: 403 });
    const landing = await (await fetch(`${server.url}/`, { headers: { host: 'junk.test' } })).text();
    expect(landing).toContain('src="https://counter.example.com/counter.js"');
    expect(landing).not.toContain('junk.test');
  });

  it('without PUBLIC_URL, its own origin is http://localhost:PORT', async () => {
    server = await startTestServer({ ALLOWED_ORIGINS: 'https://blog.example.com' });
    expect(await tryUpgrade(server.wsUrl, { origin: `http://localhost:${server.port}` })).toEqual({ status: 101 });
    expect(await tryUpgrade(server.wsUrl, { origin: `http://127.0.0.1:${server.port}`, headers: { host: `127.0.0.1:${server.port}` } })).toMatchObject({ status: 403 });
  });
});

describe('caps on the sites and articles reads may create', () => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  it('refuses a read that would create a site past MAX_SITES with too_many_sites, and counts nothing', async () => {
    server = await startTestServer({ MAX_SITES: '1' });
    expect(await readOnce(server.wsUrl, server.clock.advance, '/', { origin: 'https://one.example' })).toMatchObject({ type: 'counted', reads: 1 });
    const refused = await readOnce(server.wsUrl, server.clock.advance, '/', { origin: 'https://two.example' });
    expect(refused).toMatchObject({ type: 'error', code: 'too_many_sites', message: expect.stringContaining('MAX_SITES') });
    expect(await publicReads(server.url, 'two.example', '/')).toBe(0);
    expect(await sites(server)).toEqual(['one.example']);
    // The site that exists keeps counting.
    expect(await readOnce(server.wsUrl, server.clock.advance, '/', { origin: 'https://one.example' })).toMatchObject({ type: 'counted', reads: 2 });
  });

  it('refuses a read that would create an article past MAX_ARTICLES_PER_SITE with too_many_articles, and counts nothing', async () => {
    server = await startTestServer({ MAX_ARTICLES_PER_SITE: '1' });
    expect(await readOnce(server.wsUrl, server.clock.advance, '/a')).toMatchObject({ type: 'counted', reads: 1 });
    const refused = await readOnce(server.wsUrl, server.clock.advance, '/b');
    expect(refused).toMatchObject({ type: 'error', code: 'too_many_articles', article: '/b', message: expect.stringContaining('MAX_ARTICLES_PER_SITE') });
    expect(await publicReads(server.url, 'blog.example.com', '/b')).toBe(0);
    expect(await server.store.siteTotal('blog.example.com')).toEqual({ reads: 1, articles: 1 });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
