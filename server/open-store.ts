import type { Config } from './config.js';
import { acquireDataLock } from './data-lock.js';
import { applyPendingRestore } from './pending-restore.js';
import { openLmdbStore } from './store/lmdb/lmdb-store.js';
import type { Store } from './store/port.js';
import { openRedisStore, type RedisStore } from './store/redis/open-redis-store.js';

/** The server's store, and what comes with the backend chosen. */
export interface OpenedStore {
  store: Store;
  /** Set in cluster mode (REDIS_URL): the same store, with its Redis extras. */
  redis: RedisStore | undefined;
  /** Embedded store: `readcounter import` merged counts beside us. Never called in cluster mode. */
  onImported(listener: () => void): void;
  /** Closes the store and lets go of DATA_DIR. */
  close(): Promise<void>;
}

/**
 * REDIS_URL set: the Redis store (DATA_DIR is not used, and no lock is taken: every node shares
 * it). Otherwise the embedded LMDB store in DATA_DIR, held with its data lock until close().
 */
export async function openStore(config: Config, now: () => number, log: (message: string) => void): Promise<OpenedStore> {
  const caps = { maxSites: config.maxSites, maxArticlesPerSite: config.maxArticlesPerSite };
  if (config.redisUrl !== undefined) {
    const redis = await openRedisStore(config.redisUrl, { prefix: config.redisPrefix, caps, log });
    return { store: redis, redis, onImported: () => {}, close: () => redis.close() };
  }
  // Held until close(): a second server, or `readcounter restore`, on this DATA_DIR is refused.
  const lock = await acquireDataLock(config.dataDir);
  try {
    const restored = applyPendingRestore(config.dataDir, now());
    if (restored !== undefined) log(`restored the staged backup into DATA_DIR${restored.kept === undefined ? '' : `; the previous store is kept as ${restored.kept}`}`);
    const store = openLmdbStore(config.dataDir, log, caps);
    return {
      store,
      redis: undefined,
      onImported: (listener) => lock.onImported(listener),
      async close() {
        await store.close();
        await lock.release();
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
