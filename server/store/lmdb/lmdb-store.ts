import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import { NO_CAPS, StoreError, type Store, type StoreCaps } from '../port.js';
import { DISK_FULL, createRoomCheck, lmdbFilesExist, type RoomCheck } from './disk-room.js';
import { daySecret } from './day-secret.js';
import { createIncrement } from './increment.js';
import { dailyRowsOf, toAsync, totalsOf } from './listing.js';
import { mergeCounts } from './merge.js';
import { openSessionKeys } from './session-keys.js';
import { migrate, SchemaError } from './schema.js';
import { openTables } from './tables.js';
import { createWriteGuard } from './write-guard.js';

export { OLDEST_SCHEMA_VERSION, SCHEMA_VERSION } from './schema.js';

/** Name of the LMDB file inside DATA_DIR (LMDB adds `-lock` beside it). */
export const STORE_FILE = 'readcounter.mdb';

/**
 * lmdb-js rejects one internal promise per failed commit that no caller can await
 * (kriszyp/lmdb-js#294). The failed write itself was already reported to its caller, so
 * main.ts ignores exactly this rejection rather than letting it end the process.
 */
export function isUnawaitedCommitFailure(reason: unknown): reason is Error & { commitError: Promise<unknown> } {
  return reason instanceof Error && reason.message.startsWith('Commit failed') && 'commitError' in reason;
}

/** The error for a DATA_DIR that cannot be opened, naming the folder, the cause and the fix. */
export function unusableDataDir(dir: string, cause: unknown): StoreError {
  return new StoreError(`DATA_DIR ${JSON.stringify(dir)} cannot be used: ${(cause as Error).message}. It must be a writable folder.`);
}

/** The LMDB store: the store port, and a file-level backup only an embedded store can make. */
export interface LmdbStore extends Store {
  /** Writes a consistent copy of the whole environment to `file` (one read snapshot; writes carry on). */
  backup(file: string): Promise<void>;
  /** The LMDB environment, for LMDB-only tests and file tools; nothing behind the port uses it. */
  readonly root: RootDatabase;
}

/**
 * Opens (creating if needed) the store in `dataDir`, migrating an older schema. `caps` bound
 * the sites and articles a read may create (the CLI's import is not bounded). Fails with a StoreError naming
 * DATA_DIR when the folder cannot be created or written.
 */
export function openLmdbStore(dataDir: string, log: (message: string) => void = () => {}, caps: StoreCaps = NO_CAPS): LmdbStore {
  const dir = resolve(dataDir);
  const roomToWrite = createRoomCheck(dir);
  const root = openEnvironment(dir, roomToWrite, log);
  const tables = openTables(root);
  try {
    migrate(root, tables.meta, () => tables.siteTotals.rebuild(tables.totals));
  } catch (error) {
    void root.close();
    throw error instanceof SchemaError ? new StoreError(`DATA_DIR ${JSON.stringify(dir)} ${error.message}`) : error;
  }
  const guard = createWriteGuard(dir, roomToWrite, log);
  const { totals, siteTotals, meta } = tables;
  let closing: Promise<void> | undefined;
  // The port's methods, each a line or a hand-over to its own file (increment, listing, merge, day-secret).
  return {
    root,
    sessions: openSessionKeys(root),
    increment: createIncrement(root, tables, caps, guard),
    // Reads are synchronous in LMDB (a memory-mapped lookup); the port is async for a network store.
    readsNow: (site, article) => totals.get([site, article]) ?? 0,
    reads: async (site, article) => totals.get([site, article]) ?? 0,
    readsOf: async (site, articles) => articles.map((article) => totals.get([site, article]) ?? 0),
    siteTotal: async (site) => siteTotals.get(site) ?? { reads: 0, articles: 0 },
    sites: () => toAsync(siteTotals.all()),
    daySecret: async (day) => daySecret(root, tables, guard, day),
    totals: (site) => toAsync(totalsOf(tables, site)),
    daily: async (site, from, to, article) => [...dailyRowsOf(tables, site, from, to, article)],
    dailyRows: (site, from, to, article) => toAsync(dailyRowsOf(tables, site, from, to, article)),
    async mergeCounts(rows, imported) {
      const problem = roomToWrite();
      if (problem !== undefined) throw guard.cannotWrite(problem);
      return mergeCounts(root, tables, rows, imported);
    },
    async backup(file) {
      await root.backup(file, false);
    },
    async checkWritable(at) {
      if (guard.recentlyFailed(at) || roomToWrite() !== undefined) return false;
      try {
        return await meta.put('healthCheckedAt', at);
      } catch (error) {
        (error as { commitError?: Promise<unknown> }).commitError?.catch(() => {});
        return false;
      }
    },
    close() {
      closing ??= (async () => {
        await root.flushed;
        await root.close();
      })();
      return closing;
    },
  };
}

// Creates DATA_DIR if needed and opens LMDB in it, refusing a folder it could not write.
function openEnvironment(dir: string, roomToWrite: RoomCheck, log: (message: string) => void): RootDatabase {
  try {
    mkdirSync(dir, { recursive: true });
    const problem = roomToWrite();
    if (problem !== undefined && !(problem.startsWith(DISK_FULL) && lmdbFilesExist(join(dir, STORE_FILE)))) throw new Error(problem);
    // A restart on a full disk still serves the stored counts: writes are refused, as at run
    // time, until there is room again.
    if (problem !== undefined) log(`DATA_DIR ${JSON.stringify(dir)}: ${problem}. Serving the stored counts; reads are refused (store_unavailable) and /healthz is 503 until there is room.`);
    return open({ path: join(dir, STORE_FILE), compression: false });
  } catch (error) {
    throw unusableDataDir(dir, error);
  }
}
