import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicReads, startTestServer, type TestServer } from '../../helpers/server.js';
import { readOnce, tryUpgrade } from '../../helpers/ws.js';
import { readAll } from '../../../server/store/read-all.js';

const SITE = 'blog.example.com';

/** Every (site, article, reads) the store holds. */
async function everything(server: TestServer): Promise<Array<{ site: string; article: string; reads: number }>> {
  return readAll(server.store.totals());
}

describe('article and site keys: one counter per page, no empty site', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await server.store.increment(SITE, '/hello', server.clock.now());
    await server.store.increment(SITE, '/caf\u00e9', server.clock.now());
  });
  afterAll(async () => {
    await server.close();
  });

  it.each([
    ['/posts/../hello', '/hello'],
    ['/x/%2e%2e/hello', '/hello'],
    ['/./hello/.', '/hello'],
    ['/cafe\u0301', '/caf\u00e9'],
  ])('a read of %j counts for %j, not a counter of its own', async (spelled, key) => {
    const before = await publicReads(server.url, SITE, key);
    const answer = await readOnce(server.wsUrl, server.clock.advance, spelled);
    expect(answer).toMatchObject({ type: 'counted', article: key, reads: before + 1 });
    expect(await publicReads(server.url, SITE, key)).toBe(before + 1);
    expect((await everything(server)).map((t) => t.article).sort()).toEqual(['/caf\u00e9', '/hello']);
  });

  it.each(['/hello\u202E', '/hel\u200Blo', '/\u2066hello\u2069', '/hello%EF%BB%BF'])('a read of %j is refused with bad_article and changes nothing', async (article) => {
    const before = await everything(server);
    const answer = await readOnce(server.wsUrl, server.clock.advance, article);
    expect(answer).toMatchObject({ type: 'error', code: 'bad_article', message: 'article must not contain control or invisible characters' });
    expect((await everything(server))).toEqual(before);
  });

  it.each(['.', '..', '.:8080'])('GET /api/count?site=%s is a 400 bad_site', async (site) => {
    const response = await fetch(`${server.url}/api/count?site=${encodeURIComponent(site)}&article=/hello`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'bad_site' } });
  });

  it.each(['http://.', 'http://..', 'https://.:8443'])('an upgrade with Origin %j is refused (403 bad_origin) and creates no site', async (origin) => {
    const before = await everything(server);
    const refusal = await tryUpgrade(server.wsUrl, { origin });
    expect(refusal).toMatchObject({ status: 403, error: { code: 'bad_origin' } });
    expect((await everything(server))).toEqual(before);
    expect((await everything(server)).every((t) => t.site === SITE)).toBe(true);
  });
});
