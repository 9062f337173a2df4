import { readdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openLmdbStore } from '../../server/store/lmdb/lmdb-store.js';
import { openRedisStore } from '../../server/store/redis/open-redis-store.js';
import type { DailyRow } from '../../server/store/port.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { runCliProcess, tempDir } from './helpers.js';
import { cli, lmdbFigures, redisFigures, seedLmdb } from './cli-store-helpers.js';

let redis: RedisServer;
let installs = 0;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.cleanup());

describe('readcounter migrate --to-redis', () => {
  let lmdb: ReturnType<typeof tempDir>;
  let prefix: string;
  let onRedis: string[];
  beforeEach(async () => {
    lmdb = tempDir('cli-migrate');
    await seedLmdb(lmdb.path);
    prefix = `migrate${++installs}:`;
    onRedis = ['--redis-url', redis.url, '--redis-prefix', prefix];
  });
  afterEach(() => lmdb.remove());

  const migrate = () => runCliProcess(['migrate', '--to-redis', redis.url, '--redis-prefix', prefix], { DATA_DIR: lmdb.path });

  it('moves every total, daily row and site figure, and a second run adds nothing', async () => {
    const lmdbBefore = (await cli(['export', '--format', 'json'], lmdb.path)).stdout;
    const first = await migrate();
    expect(first, first.stderr).toMatchObject({ code: 0 });
    expect(first.stderr).toContain(`migrate: DATA_DIR ${JSON.stringify(lmdb.path)}: 2 sites, 5 articles, 12 daily rows, 15 reads\n`);
    expect(first.stderr).toContain(`migrate: into REDIS_URL ${redis.url} (keys "${prefix}…"): 12 days raised, 15 reads added\n`);
    expect(first.stderr).toMatch(/not moved: dedupe keys and day secrets .* and admin sessions/);
    expect(first.stderr).toMatch(/running nodes need no signal: they read Redis/);

    expect(await redisFigures(redis.url, prefix)).toEqual(await lmdbFigures(lmdb.path));
    const fromRedis = await cli(['export', '--format', 'json'], lmdb.path, onRedis);
    expect(fromRedis.stdout).toBe(lmdbBefore);
    expect((await cli(['stats'], lmdb.path, onRedis)).stdout.split('\n').slice(1)).toEqual((await cli(['stats'], lmdb.path)).stdout.split('\n').slice(1));

    const second = await migrate();
    expect(second, second.stderr).toMatchObject({ code: 0 });
    expect(second.stderr).toContain('12 daily rows, 15 reads\n');
    expect(second.stderr).toContain(': 0 days raised, 0 reads added (already up to date)\n');
    expect((await cli(['export', '--format', 'json'], lmdb.path, onRedis)).stdout).toBe(lmdbBefore);
    // DATA_DIR is only read.
    expect((await cli(['export', '--format', 'json'], lmdb.path)).stdout).toBe(lmdbBefore);
  });

  it('leaves dedupe keys, day secrets and admin sessions behind, as it says', async () => {
    expect((await migrate()).code).toBe(0);
    const store = await openRedisStore(redis.url, { prefix });
    try {
      expect(await store.sessions.expiresAt('session-key')).toBeUndefined();
      // A reader counted on LMDB on the seeded day counts once more on Redis that day.
      expect(await store.increment('other.example.org', '/', Date.UTC(2026, 0, 15, 13), '/#0')).toBe(5);
    } finally {
      await store.close();
    }
  });

  it('moves a store larger than one merge call, and an article whose total exceeds its days', async () => {
    const store = openLmdbStore(lmdb.path);
    const rows: DailyRow[] = [];
    for (let a = 0; a < 30; a++) {
      for (let d = 0; d < 400; d++) rows.push({ site: 'big.example.net', article: `/a/${a}`, day: new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10), reads: 1 + ((a + d) % 7) });
    }
    // A total imported above the sum of its days (our JSON export carries totals).
    await store.mergeCounts(rows, [{ site: 'big.example.net', article: '/a/0', reads: 999_999 }]);
    await store.close();
    const result = await migrate();
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(result.stderr).toContain('3 sites, 35 articles, 12,012 daily rows');
    expect(await redisFigures(redis.url, prefix)).toEqual(await lmdbFigures(lmdb.path));
    expect((await cli(['export'], lmdb.path, onRedis)).stdout).toBe((await cli(['export'], lmdb.path)).stdout);
    expect((await migrate()).stderr).toContain(': 0 days raised, 0 reads added (already up to date)\n');
  });

  it('refuses a DATA_DIR without a store, changing nothing in Redis or DATA_DIR', async () => {
    expect((await migrate()).code).toBe(0);
    const before = (await cli(['export'], lmdb.path, onRedis)).stdout;
    const empty = tempDir('cli-migrate-empty');
    try {
      const result = await runCliProcess(['migrate', '--to-redis', redis.url, '--redis-prefix', prefix], { DATA_DIR: empty.path });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/readcounter migrate: DATA_DIR ".*" holds no store \(readcounter\.mdb is missing\)\. Pass --data-dir or set DATA_DIR/);
      expect(readdirSync(empty.path)).toEqual([]);
    } finally {
      empty.remove();
    }
    expect((await cli(['export'], lmdb.path, onRedis)).stdout).toBe(before);
  });

  it('refuses an unreachable Redis with exit status 1 and a bad URL with 2, leaving DATA_DIR as it was', async () => {
    const before = (await cli(['export', '--format', 'json'], lmdb.path)).stdout;
    const gone = await startRedis();
    await gone.cleanup();
    const unreachable = await runCliProcess(['migrate', '--to-redis', gone.url], { DATA_DIR: lmdb.path });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(new RegExp(`^readcounter migrate: REDIS_URL ${gone.url} cannot be reached: .*Nothing was changed\\.\\n$`));
    const bad = await runCliProcess(['migrate', '--to-redis', 'localhost:6379'], { DATA_DIR: lmdb.path });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^readcounter migrate: --to-redis must start with redis:\/\//);
    const missing = await runCliProcess(['migrate'], { DATA_DIR: lmdb.path });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/migrate needs the Redis to move the counts into: add --to-redis redis:\/\/host:6379 \(or set REDIS_URL\)/);
    expect((await cli(['export', '--format', 'json'], lmdb.path)).stdout).toBe(before);
  });

  it('moves into the Redis of REDIS_URL when --to-redis is not given, as on a node already set up for the cluster', async () => {
    const result = await runCliProcess(['migrate'], { DATA_DIR: lmdb.path, REDIS_URL: redis.url, REDIS_PREFIX: prefix });
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect(result.stderr).toContain('12 days raised, 15 reads added');
    expect(await redisFigures(redis.url, prefix)).toEqual(await lmdbFigures(lmdb.path));
  });
});
