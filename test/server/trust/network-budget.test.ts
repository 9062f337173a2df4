import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { BROWSER_UA, readOnce } from '../../helpers/ws.js';
import { lmdbRoot } from '../../helpers/lmdb.js';

const SITE = 'blog.example.com';
const DAY = 86_400_000;
const BUDGET = 3;

/** A different browser version on every call: each one a new reader to dedupe. */
let version = 100;
const freshUserAgent = (): string => BROWSER_UA.replace('Chrome/126', `Chrome/${version++}`);

describe('MAX_READS_PER_IP_PER_ARTICLE_PER_DAY', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ DEDUPE: 'daily', TRUST_PROXY: 'xff', MAX_READS_PER_IP_PER_ARTICLE_PER_DAY: String(BUDGET) });
  });
  afterEach(async () => {
    await server.close();
  });

  const read = (ip: string, article = '/a') =>
    readOnce(server.wsUrl, server.clock.advance, article, { userAgent: freshUserAgent(), headers: { 'x-forwarded-for': ip } });

  it('stops counting one network on one article once its daily budget is spent, whatever the user agent', async () => {
    for (let i = 1; i <= BUDGET; i++) expect(await read('198.51.100.1')).toMatchObject({ type: 'counted', reads: i });
    expect(await read('198.51.100.1')).toMatchObject({ type: 'error', code: 'too_many_reads_today', article: '/a' });
    expect(await server.store.reads(SITE, '/a')).toBe(BUDGET);
    expect(await server.store.daily(SITE, '2026-01-15', '2026-01-15')).toEqual([{ site: SITE, article: '/a', day: '2026-01-15', reads: BUDGET }]);

    // Another article from the same network, and the same article from another network, still count.
    expect(await read('198.51.100.1', '/b')).toMatchObject({ type: 'counted', reads: 1 });
    expect(await read('198.51.100.2')).toMatchObject({ type: 'counted', reads: BUDGET + 1 });
    // IPv6: the whole /64 is one network.
    for (let i = 1; i <= BUDGET; i++) expect(await read(`2001:db8:1:2::${i}`, '/c')).toMatchObject({ type: 'counted', reads: i });
    expect(await read('2001:db8:1:2:ffff::1', '/c')).toMatchObject({ type: 'error', code: 'too_many_reads_today' });
    expect(await server.store.reads(SITE, '/c')).toBe(BUDGET);
  });

  it('starts a new budget on the next UTC day, and never stores the network in clear', async () => {
    for (let i = 1; i <= BUDGET; i++) await read('198.51.100.1');
    expect(await read('198.51.100.1')).toMatchObject({ code: 'too_many_reads_today' });
    server.clock.advance(DAY);
    expect(await read('198.51.100.1')).toMatchObject({ type: 'counted', reads: BUDGET + 1 });
    await lmdbRoot(server.store).flushed;
    const seen = lmdbRoot(server.store).openDB<unknown, string>({ name: 'seen' });
    const keys = [...seen.getKeys()];
    // Today's reader key and today's budget key only; yesterday's went with its secret.
    expect(keys.map((k) => k.slice(0, 10))).toEqual(['2026-01-16', '2026-01-16']);
    expect(keys.join(' ')).not.toMatch(/198\.51\.100/);
  });
});
