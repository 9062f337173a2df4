import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { runCliProcess, tempDir } from './helpers.js';
import { cli, lmdbFigures, redisFigures, seedLmdb } from './cli-store-helpers.js';

let redis: RedisServer;
let installs = 0;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.cleanup());

/** The export's rows and totals without its `exportedAt`, which follows the clock. */
function withoutTime(json: string): unknown {
  const { exportedAt: _, ...rest } = JSON.parse(json) as Record<string, unknown>;
  return rest;
}

describe('readcounter export / import / stats against Redis', () => {
  let lmdb: ReturnType<typeof tempDir>;
  let empty: ReturnType<typeof tempDir>;
  let onRedis: string[];
  let prefix: string;
  beforeEach(async () => {
    lmdb = tempDir('cli-lmdb');
    empty = tempDir('cli-no-store');
    await seedLmdb(lmdb.path);
    // Each test its own install on the file's one redis-server.
    prefix = `cli${++installs}:`;
    onRedis = ['--redis-url', redis.url, '--redis-prefix', prefix];
  });
  afterEach(() => {
    lmdb.remove();
    empty.remove();
  });

  /** Imports LMDB's CSV export into the test's Redis install; DATA_DIR (empty) is never used. */
  async function loadRedis(): Promise<string> {
    const file = join(lmdb.path, 'export.csv');
    expect((await cli(['export', '--output', file], lmdb.path)).code).toBe(0);
    const imported = await cli(['import', file], empty.path, onRedis);
    expect(imported, imported.stderr).toMatchObject({ code: 0 });
    return imported.stderr;
  }

  it('imports an export into Redis with the same summary as into LMDB, and says running nodes need no signal', async () => {
    const file = join(lmdb.path, 'export.csv');
    await cli(['export', '--output', file], lmdb.path);
    const intoRedis = await cli(['import', file], empty.path, onRedis);
    const other = tempDir('cli-other');
    try {
      const intoLmdb = await cli(['import', file], other.path);
      expect(intoRedis.stderr).toBe(
        `${intoLmdb.stderr}import: running nodes need no signal: they read Redis, so /api/count, badges, the stats API and new pages show the new counts now, and the merge told every node the new totals, so open pages show them too\n`,
      );
      expect(intoLmdb.stderr).toMatch(/15 reads in 5 articles over 3 days[\s\S]*12 days raised, 15 reads added\n$/);
    } finally {
      other.remove();
    }
    expect(await redisFigures(redis.url, prefix)).toEqual(await lmdbFigures(lmdb.path));
    // DATA_DIR was never opened: no LMDB store was created beside the Redis import.
    expect(readdirSync(empty.path)).toEqual([]);
  });

  it.each(['csv', 'json'])('exports from Redis the same %s as from LMDB for the same data', async (format) => {
    await loadRedis();
    const fromLmdb = await cli(['export', '--format', format], lmdb.path);
    const fromRedis = await cli(['export', '--format', format], empty.path, onRedis);
    expect(fromRedis.code).toBe(0);
    expect(fromRedis.stdout).toBe(fromLmdb.stdout);
    expect(fromRedis.stdout).toContain(format === 'csv' ? '"/posts/a,b""c"' : '"/posts/a,b\\"c"');
    const oneSite = await cli(['export', '--format', format, '--site', 'other.example.org'], empty.path, onRedis);
    expect(oneSite.stdout).toBe((await cli(['export', '--format', format, '--site', 'other.example.org'], lmdb.path)).stdout);
  });

  it('prints the same stats from Redis as from LMDB, under a heading naming the Redis', async () => {
    await loadRedis();
    const fromLmdb = await cli(['stats', '--top', '2'], lmdb.path);
    const fromRedis = await cli(['stats', '--top', '2'], empty.path, onRedis);
    expect(fromRedis.code).toBe(0);
    const [heading, ...rest] = fromRedis.stdout.split('\n');
    expect(heading).toBe(`REDIS_URL ${redis.url} (keys "${prefix}…")`);
    expect(rest).toEqual(fromLmdb.stdout.split('\n').slice(1));
    expect(fromRedis.stdout).toMatch(/2 sites, 5 articles, 15 reads; today \(2026-01-17 UTC\) 3, last 7 days 15/);
  });

  it('plans a dry run through the port: the same plan as on LMDB, and Redis unchanged', async () => {
    await loadRedis();
    const file = join(lmdb.path, 'more.csv');
    writeFileSync(file, 'site,article,day,reads\r\nblog.example.com,/posts/hello,2026-01-15,9\r\nblog.example.com,/new,2026-01-16,4\r\nother.example.org,/,2026-01-15,1\r\n');
    const before = (await cli(['export'], empty.path, onRedis)).stdout;
    const onLmdb = await cli(['import', '--dry-run', file], lmdb.path);
    const onRedisPlan = await cli(['import', '--dry-run', file], empty.path, onRedis);
    expect(onRedisPlan.stderr).toMatch(/dry run, nothing written: it would raise 2 days and add 11 reads/);
    expect(onRedisPlan.stderr).toBe(onLmdb.stderr);
    expect((await cli(['export'], empty.path, onRedis)).stdout).toBe(before);
    const imported = await cli(['import', file], empty.path, onRedis);
    expect(imported.stderr).toMatch(/2 days raised, 11 reads added/);
    expect((await cli(['import', file], empty.path, onRedis)).stderr).toMatch(/0 days raised, 0 reads added \(already up to date\)\n$/);
  });

  it('takes REDIS_URL and REDIS_PREFIX from the environment, as the server does', async () => {
    await loadRedis();
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: prefix, DATA_DIR: empty.path };
    const built = await runCliProcess(['export'], env);
    expect(built, built.stderr).toMatchObject({ code: 0 });
    expect(built.stdout).toBe((await cli(['export'], lmdb.path)).stdout);
    const json = await runCliProcess(['export', '--format', 'json'], env);
    expect(withoutTime(json.stdout)).toEqual(withoutTime((await cli(['export', '--format', 'json'], lmdb.path)).stdout));
  });
});

describe('readcounter with a bad or unreachable Redis', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('cli-bad-redis');
  });
  afterEach(() => dir.remove());

  it.each([
    ['http://127.0.0.1:6379', /--redis-url must start with redis:\/\/ \(or rediss:\/\/ for TLS\), such as redis:\/\/localhost:6379 .*, got "http:\/\/127\.0\.0\.1:6379"/],
    ['127.0.0.1:6379', /--redis-url must start with redis:\/\//],
    ['localhost:6379', /--redis-url must start with redis:\/\//],
    ['redis://exa mple.com:6379', /--redis-url must be a URL such as redis:\/\/localhost:6379/],
    ['redis://:hunter2@127.0.0.1:6379/cache', /--redis-url may end only in a database number \(redis:\/\/host:6379\/0\), got "redis:\/\/:\*\*\*@127\.0\.0\.1:6379\/cache"/],
  ])('refuses --redis-url %j with exit status 2, naming the fix, and writes nothing', async (url, message) => {
    const file = join(dir.path, 'in.csv');
    writeFileSync(file, 'site,article,day,reads\r\nblog.example.com,/a,2026-01-01,3\r\n');
    const result = await runCliProcess(['import', file, '--redis-url', url], { DATA_DIR: dir.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('hunter2');
    // Nothing fell back to DATA_DIR: no LMDB store was created there.
    expect(readdirSync(dir.path)).toEqual(['in.csv']);
  });

  it('fails with exit status 1 when Redis cannot be reached, changing nothing', async () => {
    const gone = await startRedis();
    await gone.cleanup();
    const file = join(dir.path, 'in.csv');
    writeFileSync(file, 'site,article,day,reads\r\nblog.example.com,/a,2026-01-01,3\r\n');
    for (const args of [['import', file], ['export'], ['stats']]) {
      const result = await runCliProcess(args, { DATA_DIR: dir.path, REDIS_URL: gone.url });
      expect(result.code, args[0]).toBe(1);
      expect(result.stderr).toContain(`readcounter ${args[0]}: REDIS_URL ${gone.url} cannot be reached: `);
      expect(result.stderr).toMatch(/Check that Redis runs there and that the address and password are right\. Nothing was changed\.\n$/);
    }
    expect(readdirSync(dir.path)).toEqual(['in.csv']);
  });

  it.each(['backup', 'restore'])('refuses %s while a Redis is set, pointing at Redis persistence or migrate', async (command) => {
    await seedLmdb(dir.path);
    const file = join(dir.path, command === 'backup' ? 'new-backup.mdb' : 'readcounter.mdb');
    const before = readFileSync(join(dir.path, 'readcounter.mdb'));
    const result = await runCliProcess([command, file], { DATA_DIR: dir.path, REDIS_URL: redis.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`readcounter ${command}: ${command} works on DATA_DIR's LMDB store, but REDIS_URL ${redis.url} (keys "readcounter:…") is set`);
    expect(result.stderr).toMatch(command === 'backup' ? /its AOF or RDB files.*readcounter export --format json/ : /readcounter migrate --to-redis URL --data-dir DIR/);
    expect(existsSync(join(dir.path, 'new-backup.mdb'))).toBe(false);
    expect(readFileSync(join(dir.path, 'readcounter.mdb')).equals(before)).toBe(true);
  });
});
