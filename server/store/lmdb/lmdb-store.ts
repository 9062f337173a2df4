import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import { utcDay } from '../../utc-day.js';
import { BUDGET_SPENT, NO_CAPS, StoreCapError, StoreError, type ArticleTotal, type DailyRow, type IncrementResult, type Store, type StoreCaps } from '../port.js';
import { DISK_FULL, createRoomCheck, lmdbFilesExist } from './disk-room.js';
import { openSessionKeys } from './session-keys.js';
import { openSiteTotals } from './site-totals.js';
import { migrate, SchemaError } from './schema.js';

export { OLDEST_SCHEMA_VERSION, SCHEMA_VERSION } from './schema.js';

/** Name of the LMDB file inside DATA_DIR (LMDB adds `-lock` beside it). */
export const STORE_FILE = 'readcounter.mdb';

// After a read's commit failed, /healthz reports 503 until a read commits again or this long passes.
const WRITE_FAILURE_MS = 60_000;

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
  let root: RootDatabase;
  try {
    mkdirSync(dir, { recursive: true });
    const problem = roomToWrite();
    if (problem !== undefined && !(problem.startsWith(DISK_FULL) && lmdbFilesExist(join(dir, STORE_FILE)))) throw new Error(problem);
    // A restart on a full disk still serves the stored counts: writes are refused below, as at
    // run time, until there is room again.
    if (problem !== undefined) log(`DATA_DIR ${JSON.stringify(dir)}: ${problem}. Serving the stored counts; reads are refused (store_unavailable) and /healthz is 503 until there is room.`);
    root = open({ path: join(dir, STORE_FILE), compression: false });
  } catch (error) {
    throw unusableDataDir(dir, error);
  }
  const meta = root.openDB<unknown, string>({ name: 'meta' });
  const totals = root.openDB<number, [string, string]>({ name: 'totals' });
  const days = root.openDB<number, [string, string, string]>({ name: 'daily' });
  // Dedupe: `seen` holds `DAY|hash` keys for one day (true for a reader, a count for a budget);
  // `secrets` the day's random HMAC key.
  const seen = root.openDB<true | number, string>({ name: 'seen' });
  const secrets = root.openDB<Buffer, string>({ name: 'secrets', encoding: 'binary' });
  const siteTotals = openSiteTotals(root);
  // Every change to an article's total goes through here, so the site's total always agrees.
  const addToTotal = (site: string, article: string, reads: number): void => {
    const stored = totals.get([site, article]);
    totals.put([site, article], (stored ?? 0) + reads);
    siteTotals.add(site, reads, stored === undefined);
  };
  try {
    migrate(root, meta, () => siteTotals.rebuild(totals));
  } catch (error) {
    void root.close();
    throw error instanceof SchemaError ? new StoreError(`DATA_DIR ${JSON.stringify(dir)} ${error.message}`) : error;
  }
  let closing: Promise<void> | undefined;
  const cannotWrite = (problem: string): StoreError => new StoreError(`DATA_DIR ${JSON.stringify(dir)} cannot be written: ${problem}`);
  let writeFailedAt: number | undefined;
  let refusalLoggedAt = -Infinity;
  const refuseWrite = (problem: string, at: number): Promise<never> => {
    writeFailedAt = at;
    if (performance.now() - refusalLoggedAt > WRITE_FAILURE_MS) {
      refusalLoggedAt = performance.now();
      log(`${cannotWrite(problem).message}. Reads are refused (store_unavailable) and /healthz is 503 until it can.`);
    }
    return Promise.reject(cannotWrite(problem));
  };

  const totalsOf = function* (site?: string): Generator<ArticleTotal> {
    const start = site === undefined ? undefined : ([site] as unknown as [string, string]);
    for (const { key, value } of totals.getRange({ start, snapshot: false })) {
      if (site !== undefined && key[0] !== site) break;
      yield { site: key[0], article: key[1], reads: value };
    }
  };
  const dailyRowsOf = function* (site: string, from: string, to: string, article?: string): Generator<DailyRow> {
    const articles = article === undefined ? totalsOf(site) : [{ article }];
    for (const { article: name } of articles) {
      // A day is YYYY-MM-DD, so `${to}~` sorts after `to` and before the day after it.
      for (const { key, value } of days.getRange({ start: [site, name, from], end: [site, name, `${to}~`], snapshot: false })) {
        yield { site, article: name, day: key[2], reads: value };
      }
    }
  };

  return {
    root,
    sessions: openSessionKeys(root),
    increment(site, article, at, seenKey, budget) {
      const day = utcDay(at);
      const problem = roomToWrite();
      if (problem !== undefined) return refuseWrite(problem, at);
      // One transaction per read, batched by lmdb-js with every other write of the same
      // event turn into a single commit; the callback runs inside the write lock, so the
      // get-then-put cannot race another increment, and two tabs of one reader cannot both
      // pass the seen check.
      const write = root.transaction((): IncrementResult | StoreCapError => {
        const key = seenKey === undefined ? undefined : `${day}|${seenKey}`;
        if (key !== undefined && seen.get(key) !== undefined) return undefined;
        const stored = totals.get([site, article]);
        // Checked before anything is written, so a refused read leaves the reader's day unspent.
        const refusal = stored === undefined ? siteTotals.capFor(site, caps) : undefined;
        if (refusal !== undefined) return refusal;
        if (budget !== undefined) {
          const budgetKey = `${day}|${budget.key}`;
          const used = Number(seen.get(budgetKey) ?? 0);
          if (used >= budget.max) return BUDGET_SPENT;
          seen.put(budgetKey, used + 1);
        }
        if (key !== undefined) seen.put(key, true);
        addToTotal(site, article, 1);
        days.put([site, article, day], (days.get([site, article, day]) ?? 0) + 1);
        return (stored ?? 0) + 1;
      });
      write.then(
        () => void (writeFailedAt = undefined),
        (error: { commitError?: Promise<unknown> }) => {
          writeFailedAt = at;
          // The cause (ENOSPC, EROFS) rides on a second promise that would otherwise go unhandled.
          error.commitError?.catch(() => {});
        },
      );
      return write.then((result) => {
        if (result instanceof StoreCapError) throw result;
        return result;
      });
    },
    // Reads are synchronous in LMDB (a memory-mapped lookup); the port is async for a network store.
    readsNow: (site, article) => totals.get([site, article]) ?? 0,
    reads: async (site, article) => totals.get([site, article]) ?? 0,
    readsOf: async (site, articles) => articles.map((article) => totals.get([site, article]) ?? 0),
    siteTotal: async (site) => siteTotals.get(site) ?? { reads: 0, articles: 0 },
    sites: () => toAsync(siteTotals.all()),
    async daySecret(day) {
      const found = secrets.get(day);
      if (found !== undefined) return found;
      const problem = roomToWrite();
      if (problem !== undefined) throw cannotWrite(problem);
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
    totals: (site) => toAsync(totalsOf(site)),
    daily: async (site, from, to, article) => [...dailyRowsOf(site, from, to, article)],
    dailyRows: (site, from, to, article) => toAsync(dailyRowsOf(site, from, to, article)),
    async mergeCounts(rows, imported) {
      const problem = roomToWrite();
      if (problem !== undefined) throw cannotWrite(problem);
      return root.transactionSync(() => {
        let daysChanged = 0;
        let readsAdded = 0;
        for (const { site, article, day, reads } of rows) {
          const stored = days.get([site, article, day]) ?? 0;
          if (reads <= stored) continue;
          days.put([site, article, day], reads);
          addToTotal(site, article, reads - stored);
          daysChanged++;
          readsAdded += reads - stored;
        }
        for (const { site, article, reads } of imported) {
          const stored = totals.get([site, article]) ?? 0;
          if (reads <= stored) continue;
          addToTotal(site, article, reads - stored);
          readsAdded += reads - stored;
        }
        return { daysChanged, readsAdded };
      });
    },
    async backup(file) {
      await root.backup(file, false);
    },
    async checkWritable(at) {
      if (writeFailedAt !== undefined && at - writeFailedAt < WRITE_FAILURE_MS) return false;
      if (roomToWrite() !== undefined) return false;
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

/** A synchronous LMDB range as the port's async iterable; read lazily, one row per step. */
async function* toAsync<T>(rows: Iterable<T>): AsyncGenerator<T> {
  yield* rows;
}
