import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreCaps } from '../../../server/store/port.js';
import { openLmdbStore } from '../../../server/store/lmdb/lmdb-store.js';
import { describeStorePort } from './store-port-suite.js';

// The shared port suite on the embedded store. LMDB-only behaviour (files, schema migration,
// the data lock, a full disk) is tested in test/server/store.test.ts and test/ship/.
describeStorePort('LMDB store', async (caps?: StoreCaps) => {
  const dir = mkdtempSync(join(tmpdir(), 'readcounter-port-'));
  let store = openLmdbStore(dir, () => {}, caps);
  return {
    store,
    async reopen(withCaps) {
      await store.close();
      store = openLmdbStore(dir, () => {}, withCaps);
      return store;
    },
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
