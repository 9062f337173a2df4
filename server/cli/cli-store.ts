import { existsSync, statSync } from 'node:fs';
import { SCHEMA_VERSION } from '../store/lmdb/lmdb-store.js';
import { StoreError, type Store } from '../store/port.js';
import { openRedisStore } from '../store/redis/open-redis-store.js';
import { DEFAULT_PREFIX } from '../store/redis/keys.js';
import { RedisSettingError, checkRedisPrefix, checkRedisUrl, redactUrl } from '../store/redis/url.js';
import { signalImported } from '../data-lock.js';
import type { CliContext, RedisTarget } from './context.js';
import { CliError, UsageError } from './errors.js';
import { openAnyStore, openExistingStore, storePath } from './data-dir.js';
import { formatBytes } from './store-file.js';

/** The store a command works on, whichever backend holds it. */
export interface CliStore {
  readonly store: Store;
  /** Where the counts are, for messages: `DATA_DIR "/data"` or `REDIS_URL redis://host:6379 (keys "readcounter:…")`. */
  readonly where: string;
  /** The first line of `stats`: where, and what can be said of it (the LMDB file's size and schema). */
  heading(): string;
  /** After an import that added reads: the line telling the operator how running servers learn of it. */
  afterImport(): Promise<string | undefined>;
}

/** The Redis flags of a command line, as given. */
export interface RedisFlags {
  url: string | undefined;
  /** The flag `url` came from, for messages: `--redis-url`, or `--to-redis` for migrate. */
  urlFlag: string;
  prefix: string | undefined;
}

/**
 * The Redis a command line names: `--redis-url` (`--to-redis` for migrate), else REDIS_URL;
 * the prefix from `--redis-prefix`, else REDIS_PREFIX, else `readcounter:`. Undefined when no
 * URL is set (an empty variable counts as unset, as for the server).
 */
export function resolveRedisTarget(env: Record<string, string | undefined>, flags: RedisFlags): RedisTarget | undefined {
  const url = flags.url ?? (env.REDIS_URL === '' ? undefined : env.REDIS_URL);
  if (url === undefined) return undefined;
  const prefix = flags.prefix ?? (env.REDIS_PREFIX === '' || env.REDIS_PREFIX === undefined ? DEFAULT_PREFIX : env.REDIS_PREFIX);
  try {
    return {
      url: checkRedisUrl(url, flags.url === undefined ? 'REDIS_URL' : flags.urlFlag),
      prefix: checkRedisPrefix(prefix, flags.prefix === undefined ? 'REDIS_PREFIX' : '--redis-prefix'),
    };
  } catch (error) {
    if (error instanceof RedisSettingError) throw new UsageError(error.message);
    throw error;
  }
}

/** `REDIS_URL redis://host:6379 (keys "readcounter:…")`, password hidden. */
export function describeRedis({ url, prefix }: RedisTarget): string {
  return `REDIS_URL ${redactUrl(url)} (keys "${prefix}…")`;
}

/** Connects to the Redis of `target`, as a CliError (changing nothing) when it cannot be reached. */
export async function openRedisTarget(target: RedisTarget): Promise<Store> {
  try {
    return await openRedisStore(target.url, { prefix: target.prefix });
  } catch (error) {
    if (error instanceof StoreError) throw new CliError(`${error.message} Nothing was changed.`);
    throw error;
  }
}

/**
 * The one place that decides which store a command opens: the Redis when one is set (cluster
 * mode), else DATA_DIR's LMDB store, which must exist unless `create` is set.
 */
export async function openCliStore(ctx: CliContext, { create }: { create: boolean }): Promise<CliStore> {
  if (ctx.redis !== undefined) return redisCliStore(ctx.redis, await openRedisTarget(ctx.redis));
  const store = create ? openAnyStore(ctx.dataDir) : openExistingStore(ctx.dataDir);
  return {
    store,
    where: `DATA_DIR ${JSON.stringify(ctx.dataDir)}`,
    heading: () => `DATA_DIR ${ctx.dataDir}: ${formatBytes(statSync(storePath(ctx.dataDir)).size)}, schema ${SCHEMA_VERSION}`,
    afterImport: async () =>
      (await signalImported(ctx.dataDir)) ? 'the server running on DATA_DIR was told; open pages now show the new counts' : undefined,
  };
}

/** The same, but undefined (rather than a new, empty store) when DATA_DIR holds none: a dry run creates nothing. */
export async function openCliStoreIfPresent(ctx: CliContext): Promise<CliStore | undefined> {
  if (ctx.redis === undefined && !existsSync(storePath(ctx.dataDir))) return undefined;
  return openCliStore(ctx, { create: false });
}

function redisCliStore(target: RedisTarget, store: Store): CliStore {
  return {
    store,
    where: describeRedis(target),
    heading: () => describeRedis(target),
    // Nodes hold no copy of the counts: they read Redis, so nothing needs telling.
    afterImport: async () =>
      'running nodes need no signal: they read Redis, so /api/count, badges, the stats API and new pages show the new counts now, and the merge told every node the new totals, so open pages show them too',
  };
}

/** Refuses `backup` and `restore` when a Redis is set: they copy DATA_DIR's LMDB file, which does not hold the cluster's counts. */
export function refuseWithRedis(ctx: CliContext, command: 'backup' | 'restore'): void {
  if (ctx.redis === undefined) return;
  const where = describeRedis(ctx.redis);
  const hint =
    command === 'backup'
      ? "back Redis up with its own persistence (its AOF or RDB files: appendonly yes, BGSAVE, or your provider's backups), or write a portable copy with `readcounter export --format json --output FILE`, which `readcounter import` reads back"
      : 'to load an LMDB backup into Redis, restore it into a DATA_DIR without a Redis set, then run `readcounter migrate --to-redis URL --data-dir DIR`';
  throw new CliError(`${command} works on DATA_DIR's LMDB store, but ${where} is set (--redis-url or REDIS_URL), so the counts are in Redis: ${hint}. Unset REDIS_URL to ${command} DATA_DIR's store.`);
}
