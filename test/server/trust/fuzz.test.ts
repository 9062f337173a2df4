import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_ARTICLE_BYTES, normalizeArticle } from '../../../shared/article.js';
import { parseClientMessage } from '../../../shared/protocol.js';
import { normalizeSite } from '../../../shared/site.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connect, settle, type TestSocket } from '../../helpers/ws.js';
import { readAll } from '../../../server/store/read-all.js';

const SEED = 20261122;

const pathish = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.stringMatching(/^\/[a-z%0-9A-F/?#.]{0,40}$/),
  fc.constantFrom('/', '/a', '/%', '/%zz', '/%C3', '/%00', '//x', '/x?', '/\u0000', '/\ud800', '__proto__', 'constructor'),
);

/** Valid-looking frames with one part wrong, and plain garbage. */
const frames = fc.oneof(
  fc.record(
    {
      type: fc.oneof(fc.constantFrom('subscribe', 'unsubscribe', 'read', 'watch-site', 'count', '__proto__'), fc.string(), fc.integer(), fc.constant(null)),
      article: fc.oneof(pathish, fc.integer(), fc.constant(null), fc.object()),
      site: fc.oneof(fc.constantFrom('blog.example.com', 'WWW.Example.com', 'localhost:8080'), fc.string(), fc.integer()),
      mode: fc.oneof(fc.constantFrom('reading', 'watching'), fc.anything()),
    },
    { requiredKeys: [] },
  ).map((frame) => JSON.stringify(frame)),
  fc.json(),
  fc.string({ maxLength: 3000 }),
  // Over the 2048-byte frame limit: the server must close with 1009, and we reconnect.
  fc.integer({ min: 2100, max: 5000 }).map((n) => JSON.stringify({ type: 'read', article: `/${'x'.repeat(n)}` })),
  fc.constantFrom('{"__proto__":{"type":"read"}}', '{"type":"read","article":"/a","__proto__":null}', '[]', 'null', '{'),
);

/** encodeURIComponent, but a lone surrogate becomes its (invalid) UTF-8 escape instead of throwing. */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

describe('parseClientMessage under fuzzing', () => {
  it('never throws, and every accepted article or site is a stable, bounded key', () => {
    fc.assert(
      fc.property(frames, (frame) => {
        const result = parseClientMessage(frame);
        if (!result.ok) {
          expect(result.error.code).toMatch(/^[a-z_]+$/);
          return;
        }
        const { message } = result;
        if (message.type === 'watch-site') {
          expect(normalizeSite(message.site)).toBe(message.site);
          return;
        }
        expect(normalizeArticle(message.article)).toBe(message.article);
        expect(Buffer.byteLength(message.article)).toBeLessThanOrEqual(MAX_ARTICLE_BYTES);
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });

  it('normalizeArticle never throws anything but ArticleError', () => {
    fc.assert(
      fc.property(pathish, (input) => {
        try {
          normalizeArticle(input);
        } catch (error) {
          expect((error as Error).name).toBe('ArticleError');
        }
      }),
      { seed: SEED, numRuns: 5000 },
    );
  });
});

describe('a live server under fuzzing', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ MAX_FRAMES_PER_SECOND: '10000' });
    await server.store.increment('blog.example.com', '/kept', server.clock.now());
  });
  afterAll(async () => {
    await server.close();
  });

  async function counts(): Promise<string> {
    return JSON.stringify(await readAll(server.store.totals()));
  }

  it('survives thousands of random and mutated frames without crashing or changing a count', async () => {
    const before = await counts();
    const heapBefore = process.memoryUsage().heapUsed;
    const samples = fc.sample(frames, { seed: SEED, numRuns: 3000 });
    let page: TestSocket = await connect(server.wsUrl);
    let reconnects = 0;
    for (const [i, frame] of samples.entries()) {
      if (page.ws.readyState !== WebSocket.OPEN) {
        page = await connect(server.wsUrl);
        reconnects++;
      }
      page.sendRaw(frame);
      if (i % 200 === 199) {
        // The batch may have ended on an oversized frame, closing the socket mid-settle.
        await settle(page).catch(() => expect(page.ws.readyState).not.toBe(WebSocket.OPEN));
        page.received.length = 0;
        expect([...server.hub.topics()].length).toBeLessThanOrEqual(200);
      }
    }
    await page.close();
    expect(await counts()).toBe(before);
    await expect.poll(() => [...server.hub.topics()].length).toBe(0);
    // Oversized frames are in the mix, so some connections were closed with 1009 and replaced.
    expect(reconnects).toBeGreaterThan(0);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(100 * 1024 * 1024);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('answers random /api/count queries and paths with 2xx or a JSON 4xx, never a 5xx', async () => {
    const before = await counts();
    const queries = fc.sample(
      fc.oneof(
        fc.tuple(pathish, pathish).map(([site, article]) => `?site=${encode(site)}&article=${encode(article)}`),
        fc.string({ maxLength: 200 }).map((raw) => `?${raw.replace(/[#\s]/g, '')}`),
        fc.stringMatching(/^\?[a-z=&%0-9A-F]{0,60}$/),
        fc.constantFrom('?site=%&article=%', '?site=%E0%A4%A&article=/a', `?site=a.example&article=/${'%41'.repeat(3000)}`, '?site[]=a&article[]=b'),
      ),
      { seed: SEED, numRuns: 400 },
    );
    const paths = fc.sample(fc.stringMatching(/^\/[a-zA-Z0-9%._~-]{0,30}$/), { seed: SEED, numRuns: 100 });
    const urls = [...queries.map((q) => `/api/count${q}`), ...paths, '/%', '/%zz/..', '/api/count/%'];
    for (const path of urls) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status, path).toBeLessThan(500);
      if (response.status >= 400) expect(await response.json(), path).toMatchObject({ error: { code: expect.any(String) } });
      else await response.arrayBuffer();
    }
    expect(await counts()).toBe(before);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
