import { randomBytes } from 'node:crypto';
import { mkdirSync, accessSync, constants } from 'node:fs';
import { join, resolve } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';

/** Version of the key layout below; a later release migrates from it on open. */
export const SCHEMA_VERSION = 1;

/** Name of the LMDB file inside DATA_DIR (LMDB adds `-lock` beside it). */
export const STORE_FILE = 'readcounter.mdb';

/** The store could not be opened or written; the message names DATA_DIR and the cause. */
export class StoreError extends Error {
  override name = 'StoreError';
}

/** One article's reads on one UTC day. */
export interface DailyRow {
  site: string;
  article: string;
  day: string;
  reads: number;
}

/** Per-article totals and daily buckets in LMDB. The store knows nothing of sockets. */
export interface Store {
  /**
   * Adds one read and resolves with the new total once the write has committed. With a
   * `seenKey` (an opaque per-reader-and-article hash), the read counts only if that key was
   * not seen on the same UTC day; otherwise nothing changes and it resolves undefined.
   */
  increment(site: string, article: string, at: number, seenKey?: string): Promise<number | undefined>;
  /**
   * The secret of one UTC day for reader hashes, created on first use. Creating a day's
   * secret deletes every other day's secret and every older day's seen keys.
   */
  daySecret(day: string): Buffer;
  /** Committed total reads of one article; 0 when unknown. */
  reads(site: string, article: string): number;
  /** Every (site, article, total), ordered by site then article. */
  totals(site?: string): Iterable<{ site: string; article: string; reads: number }>;
  /** Daily rows of one site (or one article), `from` and `to` inclusive (`YYYY-MM-DD`). */
  daily(site: string, from: string, to: string, article?: string): DailyRow[];
  /** Writes a probe key: resolves true when the store is open and writable. */
  checkWritable(at: number): Promise<boolean>;
  /** Waits for pending writes, then closes LMDB. Safe to call twice. */
  close(): Promise<void>;
  /** The LMDB environment, for features that keep their own keys beside the counts. */
  readonly root: RootDatabase;
}

/** `YYYY-MM-DD` of a millisecond timestamp, in UTC. */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/**
 * Opens (creating if needed) the store in `dataDir`. Fails with a StoreError naming
 * DATA_DIR when the folder cannot be created or written.
 */
export function openStore(dataDir: string): Store {
  const dir = resolve(dataDir);
  let root: RootDatabase;
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    root = open({ path: join(dir, STORE_FILE), compression: false });
  } catch (error) {
    throw new StoreError(`DATA_DIR ${JSON.stringify(dir)} cannot be used: ${(error as Error).message}. It must be a writable folder.`);
  }
  const meta = root.openDB<unknown, string>({ name: 'meta' });
  const totals = root.openDB<number, [string, string]>({ name: 'totals' });
  const days = root.openDB<number, [string, string, string]>({ name: 'daily' });
  // Dedupe: `seen` holds `DAY|hash` keys for one day; `secrets` the day's random HMAC key.
  const seen = root.openDB<true, string>({ name: 'seen' });
  const secrets = root.openDB<Buffer, string>({ name: 'secrets', encoding: 'binary' });
  try {
    migrate(meta, dir);
  } catch (error) {
    void root.close();
    throw error;
  }
  let closing: Promise<void> | undefined;

  return {
    root,
    increment(site, article, at, seenKey) {
      const day = utcDay(at);
      // One transaction per read, batched by lmdb-js with every other write of the same
      // event turn into a single commit; the callback runs inside the write lock, so the
      // get-then-put cannot race another increment, and two tabs of one reader cannot both
      // pass the seen check.
      return root.transaction(() => {
        if (seenKey !== undefined) {
          const key = `${day}|${seenKey}`;
          if (seen.get(key) !== undefined) return undefined;
          seen.put(key, true);
        }
        const total = (totals.get([site, article]) ?? 0) + 1;
        totals.put([site, article], total);
        days.put([site, article, day], (days.get([site, article, day]) ?? 0) + 1);
        return total;
      });
    },
    reads: (site, article) => totals.get([site, article]) ?? 0,
    daySecret(day) {
      const found = secrets.get(day);
      if (found !== undefined) return found;
      const secret = randomBytes(32);
      root.transactionSync(() => {
        for (const other of secrets.getKeys()) if (other !== day) secrets.remove(other);
        secrets.put(day, secret);
      });
      // Older days' seen keys are useless without their secret; drop them in the background.
      void root.transaction(() => {
        for (const key of seen.getKeys({ end: day })) seen.remove(key);
      });
      return secret;
    },
    *totals(site) {
      const start = site === undefined ? undefined : ([site] as unknown as [string, string]);
      for (const { key, value } of totals.getRange({ start })) {
        if (site !== undefined && key[0] !== site) break;
        yield { site: key[0], article: key[1], reads: value };
      }
    },
    daily(site, from, to, article) {
      const rows: DailyRow[] = [];
      const start = (article === undefined ? [site] : [site, article]) as unknown as [string, string, string];
      for (const { key, value } of days.getRange({ start })) {
        const [keySite, keyArticle, day] = key;
        if (keySite !== site || (article !== undefined && keyArticle !== article)) break;
        if (day >= from && day <= to) rows.push({ site: keySite, article: keyArticle, day, reads: value });
      }
      return rows;
    },
    async checkWritable(at) {
      try {
        return await meta.put('healthCheckedAt', at);
      } catch {
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

function migrate(meta: Database<unknown, string>, dir: string): void {
  const found = meta.get('schemaVersion');
  if (found === undefined) {
    meta.putSync('schemaVersion', SCHEMA_VERSION);
  } else if (found !== SCHEMA_VERSION) {
    throw new StoreError(`DATA_DIR ${JSON.stringify(dir)} holds schema version ${String(found)}; this release reads version ${SCHEMA_VERSION}. Upgrade readcounter.`);
  }
}
