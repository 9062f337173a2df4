/**
 * The store port: everything the counting core, the HTTP routes, the dashboard and the CLI need
 * of a backend. Embedded LMDB (`lmdb/`, the default) and Redis/Valkey (`redis/`, cluster mode)
 * implement it; the shared suite in test/server/store/ runs against both.
 *
 * Every method is async so a network store fits. Nothing here names a backend's types.
 */

/** A site's running figures: its reads of all time and how many articles it has. */
export interface SiteTotal {
  reads: number;
  articles: number;
}

/** One article's reads of all time. */
export interface ArticleTotal {
  site: string;
  article: string;
  reads: number;
}

/** One article's reads on one UTC day. */
export interface DailyRow {
  site: string;
  article: string;
  day: string;
  reads: number;
}

/**
 * A cap on reads counted under one opaque key (a network and article) per UTC day. The key
 * is kept beside the day's seen keys and deleted with them.
 */
export interface DailyBudget {
  key: string;
  max: number;
}

/** How many sites, and articles per site, the store will create; counts already stored keep counting. */
export interface StoreCaps {
  /** @default Infinity */
  maxSites: number;
  /** @default Infinity */
  maxArticlesPerSite: number;
}

/** Caps that bound nothing (the CLI's import). */
export const NO_CAPS: StoreCaps = { maxSites: Infinity, maxArticlesPerSite: Infinity };

/** What increment() resolves when a DailyBudget was already spent today: nothing changed. */
export const BUDGET_SPENT = 'budget_spent';

/** What increment() resolves: the new total, undefined for a reader already counted today, or BUDGET_SPENT. */
export type IncrementResult = number | undefined | typeof BUDGET_SPENT;

/** The refusal codes of a read that would create a site or an article past a cap. */
export type CapCode = 'too_many_sites' | 'too_many_articles';

/** A read refused because it would create a site or an article past a cap; nothing changed. */
export class StoreCapError extends Error {
  override name = 'StoreCapError';
  constructor(
    readonly code: CapCode,
    message: string,
  ) {
    super(message);
  }
}

/** The refusal of a read past a cap, worded the same by every backend. */
export function capError(code: CapCode, caps: StoreCaps): StoreCapError {
  return code === 'too_many_sites'
    ? new StoreCapError(code, `this server counts at most ${caps.maxSites} sites (MAX_SITES); the read was not counted`)
    : new StoreCapError(code, `this server counts at most ${caps.maxArticlesPerSite} articles per site (MAX_ARTICLES_PER_SITE); the read was not counted`);
}

/** The store could not be opened or written; the message names where (DATA_DIR, REDIS_URL) and the cause. */
export class StoreError extends Error {
  override name = 'StoreError';
}

/**
 * Admin login sessions, by opaque key (an HMAC of the cookie). Kept in the store so a restart,
 * or another node in cluster mode, keeps people logged in.
 */
export interface SessionKeys {
  /** Stores `key` until `expiresAt`, first dropping expired keys and then the soonest-expiring ones beyond `max - 1`. */
  add(key: string, expiresAt: number, now: number, max: number): Promise<void>;
  /** When the key expires; undefined when it is unknown. */
  expiresAt(key: string): Promise<number | undefined>;
  remove(key: string): Promise<void>;
}

/** Per-article totals, daily buckets, dedupe keys and sessions. The store knows nothing of sockets or HTTP. */
export interface Store {
  /**
   * Adds one read and resolves with the new total once the write is durable (committed). With a
   * `seenKey` (an opaque per-reader-and-article hash), the read counts only if that key was
   * not seen on the same UTC day; otherwise nothing changes and it resolves undefined. With
   * a `budget`, it counts only while fewer than `budget.max` reads were counted under
   * `budget.key` that day; otherwise nothing changes and it resolves BUDGET_SPENT.
   * All of it is one atomic step. Rejects with StoreCapError, changing nothing, when the read
   * would create a site or an article past the store's caps; with StoreError when the store
   * cannot be written (a refused read is never applied later).
   */
  increment(site: string, article: string, at: number, seenKey?: string, budget?: DailyBudget): Promise<IncrementResult>;
  /**
   * The secret of one UTC day for reader hashes, created on first use and the same for every
   * caller (every node). Creating a day's secret forgets every other day's secret and every
   * older day's seen keys.
   */
  daySecret(day: string): Promise<Buffer>;
  /** Committed total reads of one article; 0 when unknown. */
  reads(site: string, article: string): Promise<number>;
  /**
   * Optional: the same answer synchronously, for a backend that holds it in memory (LMDB). The
   * hub uses it so a page's first count leaves in the same turn as its subscribe.
   */
  readsNow?(site: string, article: string): number;
  /** Committed totals of several articles of one site, in the order asked (one round trip). */
  readsOf(site: string, articles: readonly string[]): Promise<number[]>;
  /** Every (site, article, total), ordered by site then article; one site's when given. */
  totals(site?: string): AsyncIterable<ArticleTotal>;
  /** A site's reads of all time and its number of articles, in one lookup; zeros when unknown. */
  siteTotal(site: string): Promise<SiteTotal>;
  /** Every site with its reads of all time and number of articles, ordered by site. */
  sites(): AsyncIterable<{ site: string } & SiteTotal>;
  /** Daily rows of one site (or one article), `from` and `to` inclusive (`YYYY-MM-DD`), ordered by article then day. */
  daily(site: string, from: string, to: string, article?: string): Promise<DailyRow[]>;
  /**
   * The same, read lazily: the cost is the site's articles plus the rows in range, and it may be
   * read across event turns (no snapshot is held open).
   */
  dailyRows(site: string, from: string, to: string, article?: string): AsyncIterable<DailyRow>;
  /** Resolves true when the store is open and a write goes through now. */
  checkWritable(at: number): Promise<boolean>;
  /**
   * Merges exported counts in one atomic step (`readcounter import`): each day becomes the
   * larger of the stored and the imported count, totals grow by what the days gained and never
   * stay below an imported total. Merging the same data twice changes nothing; a failed merge
   * changes nothing.
   */
  mergeCounts(rows: readonly DailyRow[], totals: readonly ArticleTotal[]): Promise<{ daysChanged: number; readsAdded: number }>;
  readonly sessions: SessionKeys;
  /** Waits for pending writes, then closes. Safe to call twice. */
  close(): Promise<void>;
}
