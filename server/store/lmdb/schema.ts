import type { Database, RootDatabase } from 'lmdb';

/** Version of the store's key layout; a later release migrates from it on open. 2 added per-site totals. */
export const SCHEMA_VERSION = 2;

/** The oldest schema this release opens (and migrates on open). */
export const OLDEST_SCHEMA_VERSION = 1;

/** A DATA_DIR holding a schema this release cannot read; the store turns it into a StoreError. */
export class SchemaError extends Error {
  override name = 'SchemaError';
}

/**
 * Brings a store to SCHEMA_VERSION in one transaction: a new store is stamped, schema 1 → 2
 * derives the per-site totals (`rebuildSites`) from the article totals, once.
 */
export function migrate(root: RootDatabase, meta: Database<unknown, string>, rebuildSites: () => void): void {
  const found = meta.get('schemaVersion');
  if (found === SCHEMA_VERSION) return;
  if (found !== undefined && (typeof found !== 'number' || found < OLDEST_SCHEMA_VERSION || found > SCHEMA_VERSION)) {
    throw new SchemaError(`holds schema version ${String(found)}; this release reads versions ${OLDEST_SCHEMA_VERSION}–${SCHEMA_VERSION}. Upgrade readcounter.`);
  }
  root.transactionSync(() => {
    rebuildSites();
    meta.put('schemaVersion', SCHEMA_VERSION);
  });
}
