import { createClient } from '@redis/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StoreError, type StoreCaps } from '../../../server/store/port.js';
import { openRedisStore, type RedisStore } from '../../../server/store/redis/open-redis-store.js';
import { parseCountMessage, redisKeys } from '../../../server/store/redis/keys.js';
import { startRedis, type RedisServer } from '../../helpers/redis.js';
import { describeStorePort } from './store-port-suite.js';
import { readAll } from '../../../server/store/read-all.js';

const T0 = Date.UTC(2026, 2, 1, 10);

let redis: RedisServer;
let installs = 0;
// Each test gets its own prefix on the file's one redis-server: installs never see each other.
const freshPrefix = (): string => `test${++installs}:`;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.cleanup());

describeStorePort('Redis store', async (caps?: StoreCaps) => {
  const prefix = freshPrefix();
  const open = (withCaps?: StoreCaps) => openRedisStore(redis.url, { prefix, ...(withCaps ? { caps: withCaps } : {}) });
  let store = await open(caps);
  return {
    store,
    async reopen(withCaps) {
      await store.close();
      store = await open(withCaps);
      return store;
    },
    cleanup: () => store.close(),
  };
});

/** A plain client on the test's Redis, to look behind the store. */
async function inspector() {
  const client = createClient({ url: redis.url });
  client.on('error', () => {});
  await client.connect();
  return client;
}

describe('Redis store on a live Redis', () => {
  let store: RedisStore;
  let prefix: string;
  let admin: Awaited<ReturnType<typeof inspector>>;
  beforeEach(async () => {
    prefix = freshPrefix();
    store = await openRedisStore(redis.url, { prefix });
    admin = await inspector();
  });
  afterEach(async () => {
    await store.close();
    await admin.close();
  });

  it('makes one round trip per counted read: one EVALSHA, and no other command', async () => {
    // The first call after a Redis start may need EVAL once (NOSCRIPT); warm it up.
    await store.increment('a.example', '/x', T0);
    const monitor = admin.duplicate();
    await monitor.connect();
    const lines: string[] = [];
    const marker = `marker-${prefix}`;
    // MONITOR shows commands in the order Redis ran them: once the marker shows, every read did.
    let markerSeen = (): void => {};
    const seenMarker = new Promise<void>((resolve) => (markerSeen = resolve));
    await monitor.monitor((line) => {
      lines.push(String(line));
      if (String(line).includes(marker)) markerSeen();
    });
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.increment('a.example', '/x', T0, `reader-${i}`, { key: 'net', max: 100 })));
    await admin.echo(marker);
    await seenMarker;
    await monitor.destroy();
    const fromClients = lines.filter((line) => !line.includes(' lua]') && !line.includes(marker));
    expect(fromClients).toHaveLength(10);
    expect(fromClients.every((line) => /"evalsha"/i.test(line))).toBe(true);
    expect(await store.reads('a.example', '/x')).toBe(11);
  });

  it('publishes each article an import raised, with its new total, marked merged; one it did not raise stays quiet', async () => {
    await store.increment('blog.example', '/kept', T0);
    await store.increment('blog.example', '/kept', T0);
    const subscriber = admin.duplicate();
    await subscriber.connect();
    const messages: string[] = [];
    await subscriber.subscribe(redisKeys(prefix).counts, (message) => void messages.push(message));
    await subscriber.pubSubChannels(); // the SUBSCRIBE above has been answered once this one is
    const day = '2026-03-01';
    await store.mergeCounts(
      [
        { site: 'blog.example', article: '/kept', day, reads: 1 },
        { site: 'blog.example', article: '/raised', day, reads: 7 },
      ],
      [],
    );
    // A PUBLISH inside the script is sent before the script's reply: a round trip on the subscriber is after both.
    await subscriber.pubSubChannels();
    await subscriber.destroy();
    expect(messages.map(parseCountMessage)).toEqual([{ site: 'blog.example', article: '/raised', reads: 7, merged: true }]);
    expect(await store.reads('blog.example', '/kept')).toBe(2);
  });

  it('publishes the new absolute total on the counts channel', async () => {
    const subscriber = admin.duplicate();
    await subscriber.connect();
    const messages: string[] = [];
    const arrived = new Promise<void>((resolve) =>
      void subscriber.subscribe(redisKeys(prefix).counts, (message) => {
        messages.push(message);
        if (messages.length === 2) resolve();
      }),
    );
    await subscriber.pubSubChannels(); // the SUBSCRIBE above has been answered once this one is
    await store.increment('blog.example', '/posts/a:b c', T0);
    await store.increment('blog.example', '/posts/a:b c', T0);
    await arrived;
    await subscriber.destroy();
    expect(messages.map(parseCountMessage)).toEqual([
      { site: 'blog.example', article: '/posts/a:b c', reads: 1, merged: false },
      { site: 'blog.example', article: '/posts/a:b c', reads: 2, merged: false },
    ]);
  });

  it('keeps no key per reader: a day’s dedupe keys share one hash', async () => {
    for (let i = 0; i < 50; i++) await store.increment('a.example', '/x', T0, `reader-${i}`, { key: `net-${i}`, max: 1 });
    const keys = await admin.keys(`${prefix}*`);
    expect(keys.sort()).toEqual(
      ['articles:a.example', 'daily:a.example\n/x', 'seen-days', 'seen:2026-03-01', 'site:a.example', 'sites', 'totals:a.example'].map((key) => prefix + key),
    );
    expect(await admin.ttl(`${prefix}seen:2026-03-01`)).toBeGreaterThan(24 * 3600);
  });

  it('refuses a malformed merge before writing anything', async () => {
    await store.increment('a.example', '/x', T0);
    const rows = [
      { site: 'a.example', article: '/x', day: '2026-03-01', reads: 50 },
      { site: 'a.example', article: '/y', day: '2026-03-01', reads: 1.5 },
    ];
    await expect(store.mergeCounts(rows, [])).rejects.toThrow(/bad row 2: reads must be a whole number/);
    expect(await readAll(store.totals())).toEqual([{ site: 'a.example', article: '/x', reads: 1 }]);
    expect(await store.daily('a.example', '2026-03-01', '2026-03-01')).toEqual([{ site: 'a.example', article: '/x', day: '2026-03-01', reads: 1 }]);
  });

  it('streams totals, sites and daily rows past a page of names, in byte order', async () => {
    const articles = Array.from({ length: 1203 }, (_, i) => `/p${i}`);
    const sites = Array.from({ length: 601 }, (_, i) => `s${i}.example`);
    await store.mergeCounts(
      articles.map((article, i) => ({ site: 'big.example', article, day: '2026-03-01', reads: i + 1 })),
      sites.map((site) => ({ site, article: '/', reads: 1 })),
    );
    const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
    const sortedArticles = [...articles].sort(byBytes);
    const totals = await readAll(store.totals('big.example'));
    expect(totals.map((row) => row.article)).toEqual(sortedArticles);
    expect(totals.find((row) => row.article === '/p1202')?.reads).toBe(1203);
    const rows = await readAll(store.dailyRows('big.example', '2026-03-01', '2026-03-01'));
    expect(rows.map((row) => row.article)).toEqual(sortedArticles);
    expect((await readAll(store.sites())).map((row) => row.site)).toEqual(['big.example', ...sites].sort(byBytes));
  });

  it('shares counts, dedupe, the day secret and sessions between two nodes on one Redis', async () => {
    const other = await openRedisStore(redis.url, { prefix });
    try {
      const secret = await store.daySecret('2026-03-01');
      expect((await other.daySecret('2026-03-01')).equals(secret)).toBe(true);
      expect(await store.increment('a.example', '/x', T0, 'reader-1')).toBe(1);
      expect(await other.increment('a.example', '/x', T0, 'reader-1')).toBeUndefined();
      expect(await other.increment('a.example', '/x', T0, 'reader-2')).toBe(2);
      await store.sessions.add('session-1', T0 + 1000, T0, 50);
      expect(await other.sessions.expiresAt('session-1')).toBe(T0 + 1000);
    } finally {
      await other.close();
    }
  });

  it('keeps a newer day’s secret when a node whose clock lags asks for the day before', async () => {
    const other = await openRedisStore(redis.url, { prefix });
    try {
      const today = await store.daySecret('2026-03-02');
      // The lagging node makes yesterday's secret again (the old one is gone) ...
      const lagging = await other.daySecret('2026-03-01');
      expect(lagging.equals(today)).toBe(false);
      // ... without wiping today's, which a third node still gets.
      const third = await openRedisStore(redis.url, { prefix });
      expect((await third.daySecret('2026-03-02')).equals(today)).toBe(true);
      await third.close();
    } finally {
      await other.close();
    }
  });

  it('merges an import of 40,000 day rows in one script call', async () => {
    // 160,000 script arguments: more than a spread into one call takes.
    const rows = Array.from({ length: 40_000 }, (_, i) => ({ site: 'a.example', article: `/p${i % 400}`, day: `2025-01-${String(1 + Math.floor(i / 400) % 28).padStart(2, '0')}`, reads: 1 }));
    const distinct = new Set(rows.map((row) => `${row.article} ${row.day}`)).size;
    expect(await store.mergeCounts(rows, [])).toEqual({ daysChanged: distinct, readsAdded: distinct });
    expect(await store.siteTotal('a.example')).toEqual({ reads: distinct, articles: 400 });
  });

  it('refuses to open on an unreachable Redis, naming REDIS_URL without its password', async () => {
    const refusal = await openRedisStore(`redis://user:hunter2@127.0.0.1:${redis.port + 1}`).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(StoreError);
    expect((refusal as Error).message).toMatch(/^REDIS_URL redis:\/\/user:\*\*\*@127\.0\.0\.1:\d+ cannot be reached: .*Check that Redis runs there and that the address and password are right/);
    expect((refusal as Error).message).not.toContain('hunter2');
  });
});

describe('Redis store when Redis fails', () => {
  // Each test stops this file's Redis; it runs last and restarts it.
  let store: RedisStore;
  let logs: string[];
  beforeEach(async () => {
    logs = [];
    store = await openRedisStore(redis.url, { prefix: freshPrefix(), log: (line) => void logs.push(line) });
  });
  afterEach(() => store.close());

  it('refuses reads at once with a StoreError while Redis is down, and never applies them later', async () => {
    expect(await store.increment('a.example', '/x', T0)).toBe(1);
    const other = await openRedisStore(redis.url, { prefix: freshPrefix() });
    await redis.stop();
    // A node shutting down while Redis is away still closes.
    await other.close();
    const refusals = await Promise.all([1, 2, 3].map(() => store.increment('a.example', '/x', T0).catch((error: unknown) => error)));
    for (const refusal of refusals) {
      expect(refusal).toBeInstanceOf(StoreError);
      expect((refusal as Error).message).toMatch(/^REDIS_URL redis:\/\/127\.0\.0\.1:\d+ cannot be used/);
    }
    expect(await store.checkWritable(T0)).toBe(false);
    await redis.restart();
    await store.whenReady();
    expect(await store.reads('a.example', '/x')).toBe(1);
    expect(await store.increment('a.example', '/x', T0)).toBe(2);
    expect(await store.checkWritable(T0)).toBe(true);
    // One line when it went away (however often the reconnect failed), one when it came back.
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatch(/^REDIS_URL redis:\/\/127\.0\.0\.1:\d+ cannot be reached: .*Reads are refused \(store_unavailable\)/);
    expect(logs[1]).toMatch(/is reachable again/);
  });

  it('loses no acknowledged read when Redis is killed with -9 (appendfsync always) and restarted', async () => {
    const acknowledged = await Promise.all(Array.from({ length: 300 }, (_, i) => store.increment('a.example', `/p${i % 3}`, T0, `reader-${i}`)));
    expect(acknowledged.filter((reads) => typeof reads === 'number')).toHaveLength(300);
    await redis.kill9();
    await redis.restart();
    await store.whenReady();
    expect(await store.readsOf('a.example', ['/p0', '/p1', '/p2'])).toEqual([100, 100, 100]);
    expect(await store.siteTotal('a.example')).toEqual({ reads: 300, articles: 3 });
    // The day's seen keys survived too: a reader already counted stays counted.
    expect(await store.increment('a.example', '/p0', T0, 'reader-0')).toBeUndefined();
  });
});
