import { openLmdbStore } from '../../server/store/lmdb/lmdb-store.js';
import { openRedisStore } from '../../server/store/redis/open-redis-store.js';
import { readAll } from '../../server/store/read-all.js';
import type { Store } from '../../server/store/port.js';
import { TEST_EPOCH } from '../helpers/server.js';
import { cli as cliAt } from './import-helpers.js';

const DAY = 86_400_000;

/** The third day of the seeded reads: "today" and "last 7 days" in stats hold some of them. */
export const NOW = TEST_EPOCH + 2 * DAY;

/**
 * Reads over three days, two sites and articles whose names need CSV quoting, counted with
 * dedupe keys (so the day's secret and seen keys exist too): 15 reads, 5 articles, 12 daily rows.
 */
export async function seedLmdb(dataDir: string): Promise<void> {
  const store = openLmdbStore(dataDir);
  const reads: [string, string, number][] = [
    ['blog.example.com', '/posts/hello', 5],
    ['blog.example.com', '/posts/a,b"c', 2],
    ['blog.example.com', '/=cmd|x', 1],
    ['blog.example.com', '/p/été', 3],
    ['other.example.org', '/', 4],
  ];
  await store.daySecret('2026-01-15');
  for (const [site, article, times] of reads) {
    for (let i = 0; i < times; i++) await store.increment(site, article, TEST_EPOCH + (i % 3) * DAY, `${article}#${i}`);
  }
  await store.sessions.add('session-key', NOW + DAY, NOW, 10);
  await store.close();
}

/** Runs `readcounter` in-process at NOW on `dataDir`, with extra flags (e.g. `--redis-url`). */
export function cli(args: string[], dataDir: string, flags: string[] = []): ReturnType<typeof cliAt> {
  return cliAt([...args, ...flags], dataDir, NOW);
}

/** Every site's figures and every total, read through the port: what "the same store" means. */
export async function figures(store: Store): Promise<unknown> {
  return { sites: await readAll(store.sites()), totals: await readAll(store.totals()) };
}

/** figures() of DATA_DIR's LMDB store. */
export async function lmdbFigures(dataDir: string): Promise<unknown> {
  const store = openLmdbStore(dataDir);
  try {
    return await figures(store);
  } finally {
    await store.close();
  }
}

/** figures() of the install under `prefix` on the Redis at `url`. */
export async function redisFigures(url: string, prefix: string): Promise<unknown> {
  const store = await openRedisStore(url, { prefix });
  try {
    return await figures(store);
  } finally {
    await store.close();
  }
}
