import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, openLmdbStore, type LmdbStore } from '../../server/store/lmdb/lmdb-store.js';
import { utcDay } from '../../server/utc-day.js';
import { readAll } from '../../server/store/read-all.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1, 10);

describe('openStore', () => {
  let dir: string;
  let store: LmdbStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'readcounter-store-'));
    store = openLmdbStore(dir);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts every article at 0', async () => {
    expect(await store.reads('example.com', '/a')).toBe(0);
  });

  it('increments atomically under many concurrent increments', async () => {
    const results = await Promise.all(Array.from({ length: 2000 }, () => store.increment('example.com', '/hot', T0)));
    expect(await store.reads('example.com', '/hot')).toBe(2000);
    // Every increment saw a distinct total: no two read-modify-writes interleaved.
    expect(new Set(results).size).toBe(2000);
    expect(Math.max(...(results as number[]))).toBe(2000);
  });

  it('keeps sites and articles apart', async () => {
    await store.increment('a.example', '/x', T0);
    await store.increment('b.example', '/x', T0);
    await store.increment('b.example', '/x', T0);
    expect(await store.reads('a.example', '/x')).toBe(1);
    expect(await store.reads('b.example', '/x')).toBe(2);
    expect(await store.reads('a.example', '/y')).toBe(0);
    expect((await readAll(store.totals('b.example')))).toEqual([{ site: 'b.example', article: '/x', reads: 2 }]);
  });

  it('keeps daily buckets that sum to the total', async () => {
    const writes = [];
    for (let day = 0; day < 5; day++) {
      for (let i = 0; i <= day; i++) writes.push(store.increment('example.com', '/a', T0 + day * DAY));
    }
    writes.push(store.increment('example.com', '/b', T0));
    await Promise.all(writes);
    const rows = await store.daily('example.com', '2000-01-01', '2100-01-01', '/a');
    expect(rows.map((r) => r.reads)).toEqual([1, 2, 3, 4, 5]);
    expect(rows.reduce((sum, r) => sum + r.reads, 0)).toBe(await store.reads('example.com', '/a'));
    expect((await store.daily('example.com', utcDay(T0 + DAY), utcDay(T0 + 2 * DAY))).map((r) => [r.article, r.day])).toEqual([
      ['/a', '2026-03-02'],
      ['/a', '2026-03-03'],
    ]);
  });

  it('keeps counts across close and reopen', async () => {
    await Promise.all([store.increment('example.com', '/a', T0), store.increment('example.com', '/a', T0)]);
    await store.close();
    store = openLmdbStore(dir);
    expect(await store.reads('example.com', '/a')).toBe(2);
    expect(await store.increment('example.com', '/a', T0)).toBe(3);
  });

  it('reports itself writable', async () => {
    expect(await store.checkWritable(T0)).toBe(true);
  });

  it('refuses a store written by a newer schema, naming DATA_DIR', async () => {
    await store.root.openDB({ name: 'meta' }).put('schemaVersion', SCHEMA_VERSION + 1);
    await store.close();
    expect(() => openLmdbStore(dir)).toThrow(/DATA_DIR .* schema version 3; this release reads versions 1–2/);
    store = openLmdbStore(mkdtempSync(join(tmpdir(), 'readcounter-store-')));
  });
});

describe('openStore on a bad DATA_DIR', () => {
  it('names DATA_DIR when it is a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'readcounter-store-'));
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    expect(() => openLmdbStore(file)).toThrow(/DATA_DIR ".*not-a-dir" cannot be used: .*It must be a writable folder/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('utcDay', () => {
  it('cuts days at UTC midnight', () => {
    expect(utcDay(Date.UTC(2026, 0, 1, 23, 59, 59, 999))).toBe('2026-01-01');
    expect(utcDay(Date.UTC(2026, 0, 2))).toBe('2026-01-02');
  });
});

describe('utcDay across days', () => {
  it('gives the right day however the calls jump between days, before 1970 too', () => {
    const at = [Date.UTC(2026, 0, 1, 23, 59), Date.UTC(2026, 0, 2, 0, 0), Date.UTC(2026, 0, 1, 0, 0), Date.UTC(1969, 11, 31, 23, 0), Date.UTC(2026, 0, 2, 12)];
    expect(at.map(utcDay)).toEqual(['2026-01-01', '2026-01-02', '2026-01-01', '1969-12-31', '2026-01-02']);
  });
});
