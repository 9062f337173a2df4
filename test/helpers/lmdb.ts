import type { RootDatabase } from 'lmdb';
import type { Store } from '../../server/store/port.js';

/** The LMDB environment under a test server's store, for tests that look at what LMDB holds (dedupe keys, privacy). */
export function lmdbRoot(store: Store): RootDatabase {
  if (!('root' in store)) throw new Error('this test needs the LMDB store');
  return (store as Store & { root: RootDatabase }).root;
}
