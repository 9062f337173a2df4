import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RootDatabase } from 'lmdb';
import { afterEach, beforeEach } from 'vitest';
import { openLmdbStore, type LmdbStore } from '../../server/store/lmdb/lmdb-store.js';
import type { Store } from '../../server/store/port.js';

/** The LMDB environment under a test server's store, for tests that look at what LMDB holds (dedupe keys, privacy). */
export function lmdbRoot(store: Store): RootDatabase {
  if (!('root' in store)) throw new Error('this test needs the LMDB store');
  return (store as Store & { root: RootDatabase }).root;
}

/** A real LMDB store in a fresh temp folder for each test of the enclosing describe, closed and removed after. */
export function tempLmdbStore(): { readonly store: LmdbStore; readonly dir: string; reopen(): LmdbStore } {
  let dir = '';
  let store: LmdbStore | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'readcounter-lmdb-'));
    store = openLmdbStore(dir);
  });
  afterEach(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get store() {
      if (store === undefined) throw new Error('no store outside a test');
      return store;
    },
    get dir() {
      return dir;
    },
    reopen() {
      store = openLmdbStore(dir);
      return store;
    },
  };
}
