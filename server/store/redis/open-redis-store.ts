import { randomBytes } from 'node:crypto';
import { readAll } from '../read-all.js';
import { NO_CAPS, type Store, type StoreCaps } from '../port.js';
import { connectRedis, redactUrl, type RedisStoreClient } from './connect.js';
import { createGuard, type Guard } from './guard.js';
import { createIncrement } from './increment.js';
import { DEFAULT_PREFIX, redisKeys, type RedisKeys } from './keys.js';
import { listDailyRows, listSites, listTotals, siteFigures } from './listing.js';
import { openRedisSessions } from './sessions.js';

// While Redis is away, say so in the log at most once a minute.
const LOG_EVERY_MS = 60_000;

/** Options of openRedisStore(). */
export interface RedisStoreOptions {
  /** Prefix of every key and of the counts channel, so one Redis can hold several installs. @default 'readcounter:' */
  prefix?: string;
  /** @default NO_CAPS */
  caps?: StoreCaps;
  /** Where connection problems are reported (at most once a minute). @default no logging */
  log?: (line: string) => void;
}

/** The Redis store: the port, plus a way to wait for the connection after Redis went away. */
export interface RedisStore extends Store {
  /** Resolves once the client is connected and ready (at once when it is). */
  whenReady(): Promise<void>;
}

/** Store.daySecret on Redis: one script call per node per day, the same secret on every node. */
function createDaySecret(client: RedisStoreClient, keys: RedisKeys, guard: Guard): Store['daySecret'] {
  let cached: { day: string; secret: Buffer } | undefined;
  return (day) =>
    guard(async () => {
      // A day's secret never changes once made, so a node asks Redis once a day, not once a read.
      if (cached?.day === day) return cached.secret;
      const reply = await client.daySecret([keys.secrets, keys.seenDays], [day, randomBytes(32).toString('hex'), `${keys.prefix}seen:`]);
      cached = { day, secret: Buffer.from(String(reply), 'hex') };
      return cached.secret;
    });
}

/** Store.mergeCounts on Redis: one script call, every value checked before the first write. */
function createMerge(client: RedisStoreClient, keys: RedisKeys, guard: Guard): Store['mergeCounts'] {
  return (rows, totals) =>
    guard(async () => {
      const args = [keys.prefix, String(rows.length)];
      for (const { site, article, day, reads } of rows) args.push(site, article, day, String(reads));
      for (const { site, article, reads } of totals) args.push(site, article, String(reads));
      const [daysChanged, readsAdded] = (await client.merge([], args)) as [number, number];
      return { daysChanged, readsAdded };
    });
}

/**
 * Opens the store on the Redis (or Valkey) at `url`, resolving once Redis answers. Rejects
 * with a StoreError naming REDIS_URL when it cannot be reached. Every method rejects with a
 * StoreError at once while Redis is unreachable; the client reconnects by itself.
 */
export async function openRedisStore(url: string, options: RedisStoreOptions = {}): Promise<RedisStore> {
  // Long only as a composition: each port method is a line or a hand-over to its file.
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
  client.on('ready', () => {
    if (loggedAt === -Infinity) return;
    loggedAt = -Infinity;
    log(`${where} is reachable again; reads are counted again.`);
  });
  const guard = createGuard(where);
  const increment = createIncrement(client, keys, caps);
  let closing: Promise<void> | undefined;

  // One line per method of the port; the work lives in the functions above and in listing.ts.
  return {
    increment: (...args) => guard(() => increment(...args)),
    daySecret: createDaySecret(client, keys, guard),
    reads: (site, article) => guard(async () => Number((await client.hGet(keys.totals(site), article)) ?? 0)),
    readsOf: (site, articles) =>
      guard(async () => (articles.length === 0 ? [] : (await client.hmGet(keys.totals(site), [...articles])).map((value) => Number(value ?? 0)))),
    totals: (site) => guard.all(listTotals(client, keys, site)),
    siteTotal: (site) => guard(() => siteFigures(client, keys, site)),
    sites: () => guard.all(listSites(client, keys)),
    daily: (site, from, to, article) => guard(() => readAll(listDailyRows(client, keys, site, from, to, article))),
    dailyRows: (site, from, to, article) => guard.all(listDailyRows(client, keys, site, from, to, article)),
    async checkWritable(at) {
      if (closing !== undefined || !client.isReady) return false;
      try {
        return (await client.set(keys.health, String(at))) === 'OK';
      } catch {
        return false;
      }
    },
    mergeCounts: createMerge(client, keys, guard),
    sessions: openRedisSessions(client, keys, guard),
    whenReady: () => (client.isReady ? Promise.resolve() : new Promise((resolve) => void client.once('ready', () => resolve()))),
    close() {
      // close() lets the commands already sent get their replies first.
      closing ??= client.isOpen ? client.close() : Promise.resolve();
      return closing;
    },
  };
}
