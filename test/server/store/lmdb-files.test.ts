import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { open } from 'lmdb';
import { SCHEMA_VERSION, STORE_FILE, openLmdbStore } from '../../../server/store/lmdb/lmdb-store.js';
import { readAll } from '../../../server/store/read-all.js';
import { tempLmdbStore } from '../../helpers/lmdb.js';

// What only the embedded store has: its files, its schema and its migration. Everything the
// port promises is in the shared suite (lmdb-store.test.ts); a full disk in test/ship/disk-full.
const T0 = Date.UTC(2026, 2, 1, 10);

describe('the LMDB store on disk', () => {
  const temp = tempLmdbStore();

  it('derives the per-site totals once from the article totals when a schema 1 store opens', async () => {
    const { store } = temp;
    await store.increment('a.example', '/x', T0);
    await store.increment('a.example', '/y', T0);
    await store.increment('b.example', '/z', T0);
    // What a store written by the previous release looks like: no per-site table, schema 1.
    await store.root.openDB({ name: 'sites' }).drop();
    await store.root.openDB({ name: 'meta' }).put('schemaVersion', 1);
    await store.close();
    const reopened = temp.reopen();
    expect(await readAll(reopened.sites())).toEqual([
      { site: 'a.example', reads: 2, articles: 2 },
      { site: 'b.example', reads: 1, articles: 1 },
    ]);
    expect(reopened.root.openDB({ name: 'meta' }).get('schemaVersion')).toBe(SCHEMA_VERSION);
    expect(await reopened.increment('a.example', '/x', T0)).toBe(2);
    expect(await reopened.siteTotal('a.example')).toEqual({ reads: 3, articles: 2 });
  });

  it('refuses a store written by a newer schema, naming DATA_DIR, and changes nothing', async () => {
    const { store } = temp;
    await store.increment('a.example', '/x', T0);
    await store.root.openDB({ name: 'meta' }).put('schemaVersion', SCHEMA_VERSION + 1);
    await store.close();
    expect(() => openLmdbStore(temp.dir)).toThrow(/DATA_DIR .* schema version 3; this release reads versions 1–2/);
    const raw = open({ path: join(temp.dir, STORE_FILE) });
    expect(raw.openDB({ name: 'meta' }).get('schemaVersion')).toBe(SCHEMA_VERSION + 1);
    expect(raw.openDB<number, [string, string]>({ name: 'totals' }).get(['a.example', '/x'])).toBe(1);
    await raw.close();
  });
});

describe('the LMDB store on a bad DATA_DIR', () => {
  it('names DATA_DIR when it is a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'readcounter-store-'));
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    expect(() => openLmdbStore(file)).toThrow(/DATA_DIR ".*not-a-dir" cannot be used: .*It must be a writable folder/);
    rmSync(dir, { recursive: true, force: true });
  });
});
