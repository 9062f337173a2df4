import { afterAll, describe, expect, it } from 'vitest';
import { openLmdbStore } from '../../server/store/lmdb/lmdb-store.js';
import { startServerProcess } from '../helpers/process.js';
import { FAST_READS, TEST_SITE, storedCounts, streamReads, tempDir } from './helpers.js';

// At least 20 kills, as the issue asks (part of npm test); `CRASH_ROUNDS=200 npm run test:crash` for a soak.
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 20);
const ARTICLES = ['/crash/a', '/crash/b', '/crash/c', '/crash/d'];

// A small seeded generator, so a failing schedule of kills can be replayed with CRASH_SEED.
const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
let state = SEED;
const random = (): number => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

describe('kill -9 at random moments', () => {
  const dir = tempDir('crash');
  afterAll(() => dir.remove());

  it(`loses no count a page was ever sent (${ROUNDS} kills, seed ${SEED})`, { timeout: 120_000 }, async () => {
    const env = { DATA_DIR: dir.path, ...FAST_READS };
    const highest = new Map<string, number>();
    let acknowledged = 0;

    for (let round = 0; round <= ROUNDS; round++) {
      const server = await startServerProcess(env);
      // Restarted on the same DATA_DIR: LMDB needs no repair step, so it opens and serves.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const stored = await storedCounts(server.url, ARTICLES);
      for (const article of ARTICLES) {
        expect(stored.get(article), `round ${round} (seed ${SEED}): ${article} was shown ${highest.get(article)}`).toBeGreaterThanOrEqual(highest.get(article) ?? 0);
      }
      if (round === ROUNDS) {
        server.child.kill('SIGTERM');
        expect((await server.exited).code).toBe(0);
        break;
      }

      const stream = await streamReads(`${server.url.replace(/^http/, 'ws')}/ws`, ARTICLES);
      // Kill while reads are in flight: after the first acknowledgement, at a random moment.
      await stream.ackedAtLeast(1);
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 150)));
      server.child.kill('SIGKILL');
      expect((await server.exited).signal).toBe('SIGKILL');
      await stream.closed;
      for (const [article, reads] of stream.highest) highest.set(article, Math.max(highest.get(article) ?? 0, reads));
      for (const count of stream.acked.values()) acknowledged += count;
    }

    expect(acknowledged).toBeGreaterThanOrEqual(ROUNDS);
    console.log(`crash test: ${ROUNDS} kill -9s, ${acknowledged} acknowledged reads, none lost (seed ${SEED})`);
    // Every commit was whole: each total still equals the sum of its daily buckets.
    const store = openLmdbStore(dir.path);
    try {
      for await (const { article, reads } of store.totals(TEST_SITE)) {
        const days = (await store.daily(TEST_SITE, '0000-01-01', '9999-12-31', article)).reduce((sum, row) => sum + row.reads, 0);
        expect(days, article).toBe(reads);
      }
    } finally {
      await store.close();
    }
  });
});
