import { exportDailyRows } from '../stats/export-rows.js';
import { readAll } from '../store/read-all.js';
import type { ArticleTotal, DailyRow, Store } from '../store/port.js';
import type { CliContext } from './context.js';
import { CliError, UsageError } from './errors.js';
import { openExistingStore } from './data-dir.js';
import { describeRedis, openRedisTarget } from './cli-store.js';

// Daily rows per merge script: a few hundred kB per call, under managed Redis request limits
// (Upstash's is 1 MB on its free plan), and no multi-second stall of the nodes' reads.
const ROWS_PER_MERGE = 5000;

/** One merge call: whole articles, each with its total, so the total never lags its days. */
interface Batch {
  rows: DailyRow[];
  totals: ArticleTotal[];
}

/** What was read from DATA_DIR and what the merges did. */
interface Moved {
  sites: number;
  articles: number;
  rows: number;
  reads: number;
  daysChanged: number;
  readsAdded: number;
}

/** Every daily row and total of `source`, site by site, in batches of whole articles. */
async function* batches(source: Store): AsyncGenerator<Batch & { site: string }> {
  for await (const { site } of source.sites()) {
    const totals = new Map((await readAll(source.totals(site))).map((total) => [total.article, total]));
    let batch: Batch = { rows: [], totals: [] };
    for await (const row of exportDailyRows(source, site)) {
      const last = batch.rows.at(-1);
      if (last?.article !== row.article) {
        if (batch.rows.length >= ROWS_PER_MERGE) {
          yield { site, ...batch };
          batch = { rows: [], totals: [] };
        }
        const total = totals.get(row.article);
        if (total !== undefined) batch.totals.push(total);
        totals.delete(row.article);
      }
      batch.rows.push(row);
    }
    // Totals without daily rows still move.
    batch.totals.push(...totals.values());
    yield { site, ...batch };
  }
}

/**
 * `readcounter migrate --to-redis URL`: moves a single-node store (DATA_DIR's LMDB) into Redis
 * for cluster mode: every daily row and total, max-merged as `import` does, so running it again
 * changes nothing and moves only what was counted since. DATA_DIR is only read.
 */
export async function migrate(ctx: CliContext): Promise<void> {
  if (ctx.redis === undefined) {
    throw new UsageError('migrate needs the Redis to move the counts into: add --to-redis redis://host:6379 (or set REDIS_URL)');
  }
  const source = openExistingStore(ctx.dataDir);
  const moved: Moved = { sites: 0, articles: 0, rows: 0, reads: 0, daysChanged: 0, readsAdded: 0 };
  const where = describeRedis(ctx.redis);
  try {
    const target = await openRedisTarget(ctx.redis);
    try {
      await moveAll(source, target, moved, where);
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
  for (const line of migrateSummary(ctx.dataDir, where, moved)) ctx.stderr(line);
}

async function moveAll(source: Store, target: Store, moved: Moved, where: string): Promise<void> {
  let lastSite: string | undefined;
  for await (const { site, rows, totals } of batches(source)) {
    let result;
    try {
      result = await target.mergeCounts(rows, totals);
    } catch (error) {
      const done = moved.rows === 0 ? 'Nothing was moved' : `${moved.rows.toLocaleString('en-US')} daily rows were moved before it failed`;
      throw new CliError(`could not move the counts into ${where}: ${(error as Error).message}. ${done}; run the same command again: it moves only what is missing.`);
    }
    if (site !== lastSite) moved.sites++;
    lastSite = site;
    moved.articles += totals.length;
    moved.rows += rows.length;
    moved.reads += totals.reduce((sum, total) => sum + total.reads, 0);
    moved.daysChanged += result.daysChanged;
    moved.readsAdded += result.readsAdded;
  }
}

function migrateSummary(dataDir: string, where: string, moved: Moved): string[] {
  const n = (value: number): string => value.toLocaleString('en-US');
  const unchanged = moved.readsAdded === 0 ? ' (already up to date)' : '';
  return [
    `migrate: DATA_DIR ${JSON.stringify(dataDir)}: ${n(moved.sites)} sites, ${n(moved.articles)} articles, ${n(moved.rows)} daily rows, ${n(moved.reads)} reads`,
    `migrate: into ${where}: ${n(moved.daysChanged)} days raised, ${n(moved.readsAdded)} reads added${unchanged}`,
    "migrate: not moved: dedupe keys and day secrets (a reader counted today before the move may be counted once more today) and admin sessions (log in to the dashboard again); DATA_DIR is left as it was",
    'migrate: running nodes need no signal: they read Redis, and the merge told every node the new totals, so open pages show them now',
  ];
}
