import { describeCounts } from './store-port-counts.js';
import { describeDedupe } from './store-port-dedupe.js';
import { describeImportAndCaps } from './store-port-import-caps.js';
import { describeSessions } from './store-port-sessions.js';
import type { OpenStorePort } from './store-port-handle.js';

export type { OpenStorePort, StorePortHandle } from './store-port-handle.js';

/**
 * The behaviour every Store must have, tested through the port only (server/store/port.ts).
 * `open` gives a fresh, empty store per test, with the caps asked for. Backend-specific
 * behaviour (files, schema, locking, disk full, a Redis outage) stays in each backend's own
 * test file: lmdb-store.test.ts, redis-store.test.ts.
 */
export function describeStorePort(name: string, open: OpenStorePort): void {
  describeCounts(name, open);
  describeDedupe(name, open);
  describeImportAndCaps(name, open);
  describeSessions(name, open);
}
