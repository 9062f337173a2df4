/**
 * The Redis key layout of one install, all under one prefix so one Redis can hold several
 * installs. Site and article keys never contain `\n` (see shared/article.ts), so `\n` joins
 * them unambiguously; every key below ends with the whole site (and article), so no two
 * (site, article) pairs share a key. docs/cluster.md has the same table.
 */

/** The prefix of every key and of the counts channel. @default 'readcounter:' */
export const DEFAULT_PREFIX = 'readcounter:';

/** Every key name of one install. */
export interface RedisKeys {
  readonly prefix: string;
  /** Sorted set (all scores 0, so ordered by bytes) of every site. */
  sites: string;
  /** Hash `reads`, `articles`: a site's running figures. */
  site(site: string): string;
  /** Sorted set (scores 0) of a site's articles, for ordered paging. */
  articles(site: string): string;
  /** Hash article → reads of all time. */
  totals(site: string): string;
  /** Hash `YYYY-MM-DD` → reads of one article that day. */
  daily(site: string, article: string): string;
  /** Hash of one day: `s|<seen key>` → 1, `b|<budget key>` → reads counted; expires after ~48 h. */
  seen(day: string): string;
  /** Set of the days that have a `seen` hash, so a new day's secret can drop the older ones. */
  seenDays: string;
  /** Hash day → hex secret: today's (and briefly a newer day's, across clock skew). */
  secrets: string;
  /** Sorted set of admin session keys, scored by expiry (epoch ms). */
  sessions: string;
  /** String: the last health probe's time (checkWritable). */
  health: string;
  /** Pub/Sub channel: `site\narticle\nreads` after every counted read. */
  counts: string;
}

/** The keys of the install under `prefix`. */
export function redisKeys(prefix: string = DEFAULT_PREFIX): RedisKeys {
  return {
    prefix,
    sites: `${prefix}sites`,
    site: (site) => `${prefix}site:${site}`,
    articles: (site) => `${prefix}articles:${site}`,
    totals: (site) => `${prefix}totals:${site}`,
    daily: (site, article) => `${prefix}daily:${site}\n${article}`,
    seen: (day) => `${prefix}seen:${day}`,
    seenDays: `${prefix}seen-days`,
    secrets: `${prefix}secrets`,
    sessions: `${prefix}sessions`,
    health: `${prefix}health`,
    counts: `${prefix}counts`,
  };
}

/** One message on the counts channel: an article's new absolute total. */
export interface CountMessage {
  site: string;
  article: string;
  reads: number;
  /** The total grew by an import or a migrate (`site\narticle\nreads\nmerged`), not by one counted read. */
  merged: boolean;
}

/** The fourth line of a count message sent by the import merge. */
export const MERGED = 'merged';

/** Reads a counts-channel payload; undefined for anything that is not `site\narticle\nreads` (+ `\nmerged`). */
export function parseCountMessage(payload: string): CountMessage | undefined {
  const parts = payload.split('\n');
  if (parts.length !== 3 && !(parts.length === 4 && parts[3] === MERGED)) return undefined;
  const [site, article, reads] = parts as [string, string, string];
  if (!/^\d+$/.test(reads)) return undefined;
  return { site, article, reads: Number(reads), merged: parts.length === 4 };
}
