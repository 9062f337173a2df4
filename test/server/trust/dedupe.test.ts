import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { BROWSER_UA, readOnce } from '../../helpers/ws.js';
import { lmdbRoot } from '../../helpers/lmdb.js';

const SITE = 'blog.example.com';
const DAY = 86_400_000;
const OTHER_UA = BROWSER_UA.replace('Chrome/126', 'Chrome/127');

describe('DEDUPE=daily', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ DEDUPE: 'daily', TRUST_PROXY: 'xff' });
  });
  afterEach(async () => {
    await server.close();
  });

  const read = (ip: string, userAgent = BROWSER_UA, article = '/a') =>
    readOnce(server.wsUrl, server.clock.advance, article, { userAgent, headers: { 'x-forwarded-for': ip } });

  it('counts the same reader (IP and user agent) once per article per day', async () => {
    expect(await read('198.51.100.1')).toMatchObject({ type: 'counted', reads: 1 });
    expect(await read('198.51.100.1')).toMatchObject({ type: 'error', code: 'already_read_today', article: '/a' });
    expect(await server.store.reads(SITE, '/a')).toBe(1);
    expect(await read('198.51.100.1', BROWSER_UA, '/b')).toMatchObject({ type: 'counted', reads: 1 });
  });

  it('counts a different user agent, or a different IP, as another reader', async () => {
    expect(await read('198.51.100.1')).toMatchObject({ type: 'counted', reads: 1 });
    expect(await read('198.51.100.1', OTHER_UA)).toMatchObject({ type: 'counted', reads: 2 });
    expect(await read('198.51.100.2')).toMatchObject({ type: 'counted', reads: 3 });
  });

  it('counts the same reader again the next UTC day, and destroys the old day’s secret', async () => {
    expect(await read('198.51.100.1')).toMatchObject({ type: 'counted', reads: 1 });
    const secrets = lmdbRoot(server.store).openDB<Buffer, string>({ name: 'secrets', encoding: 'binary' });
    const seen = lmdbRoot(server.store).openDB<true, string>({ name: 'seen' });
    const firstDay = [...secrets.getKeys()];
    expect(firstDay).toEqual(['2026-01-15']);
    const oldSecret = Buffer.from(secrets.get('2026-01-15')!);
    // The reader's key, and its network's budget for the article (MAX_READS_PER_IP_PER_ARTICLE_PER_DAY).
    expect([...seen.getKeys()]).toHaveLength(2);

    server.clock.advance(DAY);
    expect(await read('198.51.100.1')).toMatchObject({ type: 'counted', reads: 2 });
    await lmdbRoot(server.store).flushed;
    expect([...secrets.getKeys()]).toEqual(['2026-01-16']);
    expect(secrets.get('2026-01-16')!.equals(oldSecret)).toBe(false);
    // Only today's seen key is left; yesterday's went with its secret.
    expect([...seen.getKeys()].map((k) => k.slice(0, 10))).toEqual(['2026-01-16', '2026-01-16']);
  });

  it('keeps the day’s secret across a restart, so a restart does not reset dedupe', async () => {
    expect(await read('198.51.100.1')).toMatchObject({ type: 'counted', reads: 1 });
    await server.restart();
    expect(await read('198.51.100.1')).toMatchObject({ type: 'error', code: 'already_read_today' });
    expect(await server.store.reads(SITE, '/a')).toBe(1);
  });

  it('lets only one of two simultaneous tabs of one reader count', async () => {
    const results = await Promise.all([read('198.51.100.9'), read('198.51.100.9'), read('198.51.100.9')]);
    expect(results.filter((r) => r.type === 'counted')).toHaveLength(1);
    expect(await server.store.reads(SITE, '/a')).toBe(1);
  });
});

describe('DEDUPE=off', () => {
  it('counts every page view of the same reader', async () => {
    const server = await startTestServer({ DEDUPE: 'off' });
    for (let i = 1; i <= 3; i++) expect(await readOnce(server.wsUrl, server.clock.advance, '/a')).toMatchObject({ type: 'counted', reads: i });
    await server.close();
  });
});
