import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connect, readOnce, upgradeStatus } from '../../helpers/ws.js';
import { readAll } from '../../../server/store/read-all.js';

const A = 'https://a.example';
const B_SITE = 'b.example';

/** Every count the store holds for site B. */
async function siteB(server: TestServer): Promise<Array<{ article: string; reads: number }>> {
  return (await readAll(server.store.totals(B_SITE))).map(({ article, reads }) => ({ article, reads }));
}

describe('sites are kept apart', () => {
  let server: TestServer;
  let before: Array<{ article: string; reads: number }>;
  beforeAll(async () => {
    server = await startTestServer({ ALLOWED_ORIGINS: `${A},https://b.example` });
    await server.store.increment(B_SITE, '/x', server.clock.now());
    await server.store.increment(B_SITE, '/only-b', server.clock.now());
    before = await siteB(server);
    expect(before).toEqual([{ article: '/only-b', reads: 1 }, { article: '/x', reads: 1 }]);
  });
  afterAll(async () => {
    await server.close();
  });

  it.each([
    'https://b.example/x',
    '//b.example/x',
    '/b.example/x',
    '/x?site=b.example',
    '/%2F%2Fb.example%2Fx',
    '/x#b.example',
    '/../b.example/x',
    'b.example/x',
    '/x\u0000b.example',
  ])('a page of site A reading %j changes nothing of site B', async (article) => {
    const answer = await readOnce(server.wsUrl, server.clock.advance, article, { origin: A });
    expect(['counted', 'error']).toContain(answer.type);
    expect(await siteB(server)).toEqual(before);
  });

  it.each([
    'https://b.example.evil.example',
    'https://evil.example',
    'http://b.example:8080',
    'null',
    'https://b.example@evil.example',
  ])('a forged Origin %j is refused before the socket opens', async (origin) => {
    expect(await upgradeStatus(server.wsUrl, origin)).toBe(403);
    expect(await siteB(server)).toEqual(before);
  });

  it('a page of site A subscribed to B’s article sees A’s count, never B’s', async () => {
    const page = await connect(server.wsUrl, { origin: A });
    page.send({ type: 'subscribe', article: '/only-b', mode: 'watching' });
    expect(await page.next('count')).toMatchObject({ article: '/only-b', reads: 0 });
    await page.close();
  });

  it('the public count endpoint is read-only', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const response = await fetch(`${server.url}/api/count?site=${B_SITE}&article=/x`, { method });
      expect(response.status).toBe(404);
    }
    expect(await siteB(server)).toEqual(before);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
