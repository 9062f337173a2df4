import { randomBytes } from 'node:crypto';
import { BUDGET_SPENT, NO_CAPS, StoreCapError, StoreError, type IncrementResult, type SessionKeys, type Store, type StoreCaps } from '../port.js';
import { utcDay } from '../../utc-day.js';
import { connectRedis, redactUrl, type RedisStoreClient } from './connect.js';
import { DEFAULT_PREFIX, redisKeys, type RedisKeys } from './keys.js';
import { listDailyRows, listSites, listTotals, siteFigures } from './listing.js';

// A day's seen keys outlive the day by a day, so a node whose clock lags still finds them; a
// new day's secret drops them sooner.
const SEEN_TTL_SECONDS = 48 * 3600;
// While Redis is away, say so in the log at most once a minute.
const LOG_EVERY_MS = 60_000;

/** Options of openRedisStore(). */
export interface RedisStoreOptions {
  /** Prefix of every key and of the counts channel, so one Redis can hold several installs. @default 'readcounter:' */
  prefix?: string;
  /** @default NO_CAPS */
  caps?: StoreCaps;
  /** Where connection problems are reported (throttled). @default no logging */
  log?: (line: string) => void;
}

const capArg = (cap: number): string => (cap === Infinity ? '-1' : String(cap));

function capError(code: 'too_many_sites' | 'too_many_articles', caps: StoreCaps): StoreCapError {
  return code === 'too_many_sites'
    ? new StoreCapError(code, `this server counts at most ${caps.maxSites} sites (MAX_SITES); the read was not counted`)
    : new StoreCapError(code, `this server counts at most ${caps.maxArticlesPerSite} articles per site (MAX_ARTICLES_PER_SITE); the read was not counted`);
}

/** Maps the script's reply to what increment() resolves, or throws its cap refusal. */
function incrementResult(reply: unknown, caps: StoreCaps): IncrementResult {
  if (typeof reply === 'number') return reply;
  if (reply === 'seen') return undefined;
  if (reply === BUDGET_SPENT) return BUDGET_SPENT;
  if (reply === 'too_many_sites' || reply === 'too_many_articles') throw capError(reply, caps);
  throw new Error(`unexpected reply from the increment script: ${JSON.stringify(reply)}`);
}

function openSessions(client: RedisStoreClient, keys: RedisKeys, guard: <T>(work: () => Promise<T>) => Promise<T>): SessionKeys {
  return {
    add: (key, expiresAt, now, max) =>
      guard(async () => void (await client.addSession([keys.sessions], [key, String(expiresAt), String(now), String(max)]))),
    expiresAt: (key) => guard(async () => {
      const score = await client.zScore(keys.sessions, key);
      return score === null ? undefined : score;
    }),
    remove: (key) => guard(async () => void (await client.zRem(keys.sessions, key))),
  };
}

/** The Redis store: the port, plus a way to wait for the connection after Redis went away. */
export interface RedisStore extends Store {
  /** Resolves once the client is connected and ready (at once when it is). */
  whenReady(): Promise<void>;
}

/**
 * Opens the store on the Redis (or Valkey) at `url`, resolving once Redis answers. Rejects
 * with a StoreError naming REDIS_URL when it cannot be reached. Every method rejects with a
 * StoreError at once while Redis is unreachable; the client reconnects by itself.
 */
export async function openRedisStore(url: string, options: RedisStoreOptions = {}): Promise<RedisStore> {
  const caps = options.caps ?? NO_CAPS;
  const keys = redisKeys(options.prefix ?? DEFAULT_PREFIX);
  const log = options.log ?? (() => {});
  const where = `REDIS_URL ${redactUrl(url)}`;
  let loggedAt = -Infinity;
  const client = await connectRedis(url, (error) => {
    if (performance.now() - loggedAt < LOG_EVERY_MS) return;
    loggedAt = performance.now();
    log(`${where} cannot be reached: ${error.message || error.name}. Reads are refused (store_unavailable) until it can; the connection is retried.`);
  });
  // Every call goes through here, so a Redis problem always surfaces as a StoreError naming REDIS_URL.
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof StoreCapError || error instanceof StoreError) throw error;
      throw new StoreError(`${where} cannot be used: ${(error as Error).message || (error as Error).name}`);
    }
  };
  const guardAll = <T>(rows: AsyncIterable<T>): AsyncIterable<T> => ({
    async *[Symbol.asyncIterator]() {
      const iterator = rows[Symbol.asyncIterator]();
      for (;;) {
        const next = await guard(() => iterator.next());
        if (next.done === true) return;
        yield next.value;
      }
    },
  });
  let secret: { day: string; value: Buffer } | undefined;
  let closing: Promise<void> | undefined;

  return {
    increment: (site, article, at, seenKey, budget) =>
      guard(async () => {
        const day = utcDay(at);
        const reply = await client.increment(
          [keys.totals(site), keys.articles(site), keys.site(site), keys.sites, keys.daily(site, article), keys.seen(day), keys.seenDays],
          [
            site, article, day,
            seenKey === undefined ? '' : `s|${seenKey}`,
            budget === undefined ? '' : `b|${budget.key}`,
            budget === undefined ? '0' : String(budget.max),
            capArg(caps.maxSites), capArg(caps.maxArticlesPerSite),
            keys.counts, String(SEEN_TTL_SECONDS),
          ],
        );
        return incrementResult(reply, caps);
      }),
    daySecret: (day) =>
      guard(async () => {
        // A day's secret never changes once made, so each node asks Redis once a day, not once a read.
        if (secret?.day === day) return secret.value;
        const reply = await client.daySecret([keys.secrets, keys.seenDays], [day, randomBytes(32).toString('hex'), `${keys.prefix}seen:`]);
        secret = { day, value: Buffer.from(String(reply), 'hex') };
        return secret.value;
      }),
    reads: (site, article) => guard(async () => Number((await client.hGet(keys.totals(site), article)) ?? 0)),
    readsOf: (site, articles) =>
      guard(async () => (articles.length === 0 ? [] : (await client.hmGet(keys.totals(site), [...articles])).map((value) => Number(value ?? 0)))),
    totals: (site) => guardAll(listTotals(client, keys, site)),
    siteTotal: (site) => guard(() => siteFigures(client, keys, site)),
    sites: () => guardAll(listSites(client, keys)),
    daily: (site, from, to, article) =>
      guard(async () => {
        const rows = [];
        for await (const row of listDailyRows(client, keys, site, from, to, article)) rows.push(row);
        return rows;
      }),
    dailyRows: (site, from, to, article) => guardAll(listDailyRows(client, keys, site, from, to, article)),
    async checkWritable(at) {
      if (closing !== undefined || !client.isReady) return false;
      try {
        return (await client.set(keys.health, String(at))) === 'OK';
      } catch {
        return false;
      }
    },
    mergeCounts: (rows, totals) =>
      guard(async () => {
        const args = [keys.prefix, String(rows.length)];
        for (const { site, article, day, reads } of rows) args.push(site, article, day, String(reads));
        for (const { site, article, reads } of totals) args.push(site, article, String(reads));
        const [daysChanged, readsAdded] = (await client.merge([], args)) as [number, number];
        return { daysChanged, readsAdded };
      }),
    sessions: openSessions(client, keys, guard),
    whenReady: () => (client.isReady ? Promise.resolve() : new Promise((resolve) => void client.once('ready', () => resolve()))),
    close() {
      // close() lets the commands already sent get their replies first.
      closing ??= client.isOpen ? client.close() : Promise.resolve();
      return closing;
    },
  };
}
