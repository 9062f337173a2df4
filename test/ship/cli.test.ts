import { chownSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli/run.js';
import { openLmdbStore } from '../../server/store/lmdb/lmdb-store.js';
import { startServerProcess } from '../helpers/process.js';
import { connect } from '../helpers/ws.js';
import { TEST_EPOCH } from '../helpers/server.js';
import { FAST_READS, runCliProcess, storedCounts, tempDir } from './helpers.js';
import { cli as cliAt } from './import-helpers.js';
import { seedLmdb as seed } from './cli-store-helpers.js';

const DAY = 86_400_000;
const NOW = TEST_EPOCH + 3 * DAY;

/** Runs a command in-process, three days after the seeded reads. */
const cli = (args: string[], dataDir: string) => cliAt(args, dataDir, NOW);

describe('readcounter export / import', () => {
  let a: ReturnType<typeof tempDir>;
  let b: ReturnType<typeof tempDir>;
  beforeEach(async () => {
    a = tempDir('cli-a');
    b = tempDir('cli-b');
    await seed(a.path);
  });
  afterEach(() => {
    a.remove();
    b.remove();
  });

  it.each(['csv', 'json'])('round-trips a seeded store through %s byte for byte', async (format) => {
    const file = join(a.path, `export.${format}`);
    expect((await cli(['export', '--format', format, '--output', file], a.path)).code).toBe(0);
    const original = readFileSync(file, 'utf8');
    expect(original).toContain(format === 'csv' ? '"/posts/a,b""c"' : '"/posts/a,b\\"c"');

    const imported = await cli(['import', file], b.path);
    expect(imported).toMatchObject({ code: 0 });
    expect(imported.stderr).toMatch(/import: .* \(readcounter\): 15 reads in 5 articles over 3 days, each host as its own site \(2: blog\.example\.com, other\.example\.org\)\nimport: no rows skipped\nimport: 12 days raised, 15 reads added\n/);
    const again = await cli(['export', '--format', format], b.path);
    expect(again.stdout).toBe(original);
  });

  it('changes nothing when the same export is imported twice', async () => {
    const file = join(a.path, 'export.csv');
    await cli(['export', '--output', file], a.path);
    await cli(['import', file], b.path);
    const before = (await cli(['export'], b.path)).stdout;
    const twice = await cli(['import', file], b.path);
    expect(twice.stderr).toMatch(/0 days raised, 0 reads added \(already up to date\)/);
    expect((await cli(['export'], b.path)).stdout).toBe(before);
  });

  it('keeps the larger count of each day when importing into a store that kept counting', async () => {
    const file = join(a.path, 'export.json');
    await cli(['export', '--format', 'json', '--output', file], a.path);
    const store = openLmdbStore(a.path);
    await store.increment('blog.example.com', '/posts/hello', TEST_EPOCH);
    await store.close();
    const result = await cli(['import', file], a.path);
    expect(result.stderr).toMatch(/0 reads added/);
    const totals = (await cli(['export', '--format', 'json'], a.path)).stdout;
    expect(JSON.parse(totals).totals).toContainEqual({ site: 'blog.example.com', article: '/posts/hello', reads: 6 });
  });

  it.each([
    ['a CSV with another header', 'date,page,views\r\n2026-01-01,/a,3\r\n', /is not a readcounter export: line 1: the header must be "site,article,day,reads"/],
    ['JSON of another format', '{"rows": []}', /is not a readcounter export: "format" must be "readcounter-export"/],
    ['a bad row after good ones', 'site,article,day,reads\r\nblog.example.com,/a,2026-01-01,3\r\nblog.example.com,/b,2026-01-02,many\r\n', /line 3: reads must be a whole number/],
    ['a backup', Buffer.from([0xde, 0xc0, 0xef, 0xbe, 0, 0, 0, 0]), /is not a readcounter export: line 1: this is a binary file, not an export \(a backup\? that goes back with `readcounter restore`\)/],
  ])('refuses %s, naming the file, and changes nothing', async (_what, content, message) => {
    const file = join(b.path, 'input.txt');
    writeFileSync(file, content);
    const before = (await cli(['export'], a.path)).stdout;
    const result = await cli(['import', file], a.path);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toMatch(message);
    expect((await cli(['export'], a.path)).stdout).toBe(before);
  });

  it('merges in one transaction: a write failing halfway changes nothing', async () => {
    const before = (await cli(['export'], a.path)).stdout;
    const store = openLmdbStore(a.path);
    try {
      // LMDB refuses a key over its size limit: the last write of the merge fails.
      const rows = [
        { site: 'blog.example.com', article: '/posts/hello', day: '2026-02-01', reads: 50 },
        { site: 'blog.example.com', article: `/${'x'.repeat(3000)}`, day: '2026-02-01', reads: 1 },
      ];
      await expect(store.mergeCounts(rows, [])).rejects.toThrow();
    } finally {
      await store.close();
    }
    expect((await cli(['export'], a.path)).stdout).toBe(before);
  });

  it('prints a summary with totals, today and the top articles', async () => {
    const result = await cli(['stats', '--top', '2'], a.path);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/2 sites, 5 articles, 15 reads; today \(2026-01-18 UTC\) 0, last 7 days 15/);
    expect(result.stdout).toMatch(/blog\.example\.com: 11 reads in 4 articles[\s\S]*5  \/posts\/hello\n\s+3  \/p\/été\n\n/);
  });
});

describe('readcounter backup / restore', () => {
  let live: ReturnType<typeof tempDir>;
  let spare: ReturnType<typeof tempDir>;
  beforeEach(() => {
    live = tempDir('cli-live');
    spare = tempDir('cli-spare');
  });
  afterEach(() => {
    live.remove();
    spare.remove();
  });

  it('backs up the whole store while the server runs, and refuses to restore until it stops', async () => {
    // DEDUPE=daily, so the store also holds the day's secret and seen keys.
    const env = { DATA_DIR: live.path, ...FAST_READS, DEDUPE: 'daily' };
    const server = await startServerProcess(env);
    const page = await connect(`${server.url.replace(/^http/, 'ws')}/ws`);
    for (const article of ['/a', '/b', '/c']) {
      page.send({ type: 'subscribe', article });
      page.send({ type: 'read', article });
      await page.next('counted');
    }

    const file = join(spare.path, 'backup.mdb');
    const backup = await runCliProcess(['backup', file], { DATA_DIR: live.path });
    expect(backup, backup.stderr).toMatchObject({ code: 0 });
    expect(backup.stderr).toMatch(new RegExp(`backup: wrote ${file} \\(.*\\): 3 articles, 3 reads, schema 2`));
    expect(readdirSync(spare.path)).toEqual(['backup.mdb']);

    const refused = await runCliProcess(['restore', file], { DATA_DIR: live.path });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/a readcounter server is running on DATA_DIR ".*" \(.*readcounter\.sock answers\)\. Stop it first/);
    await page.close();
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);

    const target = join(spare.path, 'restored');
    const restored = await runCliProcess(['restore', file, '--data-dir', target]);
    expect(restored, restored.stderr).toMatchObject({ code: 0 });
    const exports = await Promise.all([live.path, target].map((dir) => runCliProcess(['export', '--data-dir', dir])));
    expect(exports[1]!.stdout).toBe(exports[0]!.stdout);
    const seenKeys = async (dir: string): Promise<number> => {
      const store = openLmdbStore(dir);
      const count = store.root.openDB({ name: 'seen' }).getKeysCount();
      await store.close();
      return count;
    };
    // Per read: the reader's seen key and its network's daily budget for the article.
    expect(await seenKeys(target)).toBe(6);
    expect(await seenKeys(live.path)).toBe(6);
  });

  it('swaps a restore staged with --at-next-start in when the server next starts, keeping the old store', async () => {
    await seed(spare.path);
    const file = join(spare.path, 'seeded.mdb');
    expect((await runCliProcess(['backup', file, '--data-dir', spare.path])).code).toBe(0);

    const env = { DATA_DIR: live.path, ...FAST_READS };
    const server = await startServerProcess(env);
    const staged = await runCliProcess(['restore', file, '--at-next-start'], { DATA_DIR: live.path });
    expect(staged, staged.stderr).toMatchObject({ code: 0 });
    expect(staged.stderr).toMatch(/staged .*seeded\.mdb \(5 articles, 15 reads\); the server swaps it in when it next starts: restart it now/);
    expect(await storedCounts(server.url, ['/posts/hello'])).toEqual(new Map([['/posts/hello', 0]]));
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);

    const again = await startServerProcess(env);
    expect(again.output()).toMatch(/restored the staged backup into DATA_DIR; the previous store is kept as .*readcounter\.mdb\.before-restore-/);
    expect(await storedCounts(again.url, ['/posts/hello'])).toEqual(new Map([['/posts/hello', 5]]));
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
    expect(readdirSync(live.path).filter((name) => name.includes('before-restore'))).toHaveLength(1);
  });

  it.each([
    [['backup', 'EXISTING'], 1, /backup: .*existing\.mdb already exists; choose a new name/],
    [['restore', 'MISSING'], 1, /restore: .*missing\.mdb does not exist or is not a file/],
    [['restore', 'NOT_A_STORE'], 1, /restore: .*not-a-store\.mdb is not a readcounter backup: it is not an LMDB file/],
    [['stats', '--data-dir', 'EMPTY'], 1, /stats: DATA_DIR ".*" holds no store \(readcounter\.mdb is missing\)/],
    [['export', '--format', 'xml'], 2, /export: --format must be "csv" or "json", got "xml"/],
    [['backup'], 2, /backup: expected <file>, got none/],
    [['stats', '--frobnicate'], 2, /stats: Unknown option '--frobnicate'/],
    [['frobnicate'], 2, /unknown command "frobnicate"/],
  ])('fails with a message naming the problem: %j exits %i', async (args, code, message) => {
    await seed(live.path);
    writeFileSync(join(spare.path, 'existing.mdb'), 'x');
    writeFileSync(join(spare.path, 'not-a-store.mdb'), 'not lmdb at all');
    const names: Record<string, string> = {
      EXISTING: join(spare.path, 'existing.mdb'),
      MISSING: join(spare.path, 'missing.mdb'),
      NOT_A_STORE: join(spare.path, 'not-a-store.mdb'),
      EMPTY: join(spare.path, 'empty'),
    };
    let stderr = '';
    const env = { DATA_DIR: live.path };
    const result = await runCli(args.map((arg) => names[arg] ?? arg), { env, stdout: () => {}, stderr: (text) => void (stderr += text) });
    expect(result).toBe(code);
    expect(stderr).toMatch(message);
  });

  it('exits the process with 1 when a command fails and 2 for a bad command line', async () => {
    expect(await runCliProcess(['stats', '--data-dir', join(spare.path, 'empty')])).toMatchObject({ code: 1 });
    expect(await runCliProcess(['stats', '--frobnicate'])).toMatchObject({ code: 2 });
    expect(await runCliProcess(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('readcounter backup <file>') });
  });

  it.skipIf(process.getuid?.() !== 0)('run as root on a DATA_DIR owned by another user, writes only files that user owns', async () => {
    chownSync(live.path, 1000, 1000);
    const file = join(live.path, 'import.csv');
    writeFileSync(file, 'site,article,day,reads\r\nblog.example.com,/a,2026-01-01,3\r\n');
    const result = await runCliProcess(['import', file], { DATA_DIR: live.path });
    expect(result, result.stderr).toMatchObject({ code: 0 });
    expect((await runCliProcess(['backup', join(live.path, 'backup.mdb')], { DATA_DIR: live.path })).code).toBe(0);
    for (const name of readdirSync(live.path).filter((n) => n !== 'import.csv')) {
      expect(statSync(join(live.path, name)).uid, name).toBe(1000);
    }
    expect(existsSync(join(live.path, 'readcounter.mdb'))).toBe(true);
  });
});

