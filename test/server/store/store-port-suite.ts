import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUDGET_SPENT, StoreCapError, type ArticleTotal, type DailyRow, type Store, type StoreCaps } from '../../../server/store/port.js';

/** A fresh, empty store of one backend, and how to open it again on the same data. */
export interface StorePortHandle {
  store: Store;
  /** Closes the store and opens it again on the same data, with these caps (none when omitted). */
  reopen(caps?: StoreCaps): Promise<Store>;
  /** Closes the store and removes its data. */
  cleanup(): Promise<void>;
}

/** Opens a fresh, empty store with these caps (none when omitted). */
export type OpenStorePort = (caps?: StoreCaps) => Promise<StorePortHandle>;

const T0 = Date.UTC(2026, 2, 1, 10);
const DAY = 86_400_000;
const CAPS: StoreCaps = { maxSites: 2, maxArticlesPerSite: 2 };

/** Reads an async iterable to the end. */
export async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

/** Each site's reads and articles, summed from the article totals: what the running totals must equal. */
async function summed(store: Store): Promise<Array<{ site: string; reads: number; articles: number }>> {
  const bySite = new Map<string, { site: string; reads: number; articles: number }>();
  for (const { site, reads } of await collect(store.totals())) {
    const found = bySite.get(site) ?? { site, reads: 0, articles: 0 };
    found.reads += reads;
    found.articles++;
    bySite.set(site, found);
  }
  return [...bySite.values()];
}

/** Everything a store holds that a read can change, to show a refusal changed nothing. */
async function everything(store: Store): Promise<unknown> {
  return { totals: await collect(store.totals()), sites: await collect(store.sites()) };
}

/**
 * The behaviour every Store must have, tested through the port only. `open` gives a fresh,
 * empty store per test. Backend-specific behaviour (files, schema, failures) stays in each
 * backend's own test file.
 */
export function describeStorePort(name: string, open: OpenStorePort): void {
  describe(`${name}: counts`, () => {
    let handle: StorePortHandle;
    let store: Store;
    beforeEach(async () => {
      handle = await open();
      store = handle.store;
    });
    afterEach(() => handle.cleanup());

    it('starts every article at 0', async () => {
      expect(await store.reads('example.com', '/a')).toBe(0);
      expect(await store.readsOf('example.com', ['/a', '/b'])).toEqual([0, 0]);
      expect(await store.siteTotal('example.com')).toEqual({ reads: 0, articles: 0 });
      expect(await collect(store.totals())).toEqual([]);
      expect(await collect(store.sites())).toEqual([]);
    });

    it('increments atomically under many concurrent increments', async () => {
      const results = await Promise.all(Array.from({ length: 1000 }, () => store.increment('example.com', '/hot', T0)));
      expect(await store.reads('example.com', '/hot')).toBe(1000);
      // Every increment saw a distinct total: no two read-modify-writes interleaved.
      expect(new Set(results).size).toBe(1000);
      expect(Math.max(...(results as number[]))).toBe(1000);
    });

    it('keeps sites and articles apart, and reads several in the order asked', async () => {
      await store.increment('a.example', '/x', T0);
      await store.increment('b.example', '/x', T0);
      await store.increment('b.example', '/x', T0);
      await store.increment('b.example', '/y', T0);
      expect(await store.reads('a.example', '/x')).toBe(1);
      expect(await store.reads('b.example', '/x')).toBe(2);
      expect(await store.reads('a.example', '/y')).toBe(0);
      expect(await store.readsOf('b.example', ['/y', '/nope', '/x'])).toEqual([1, 0, 2]);
      expect(await store.readsOf('b.example', [])).toEqual([]);
      expect(await collect(store.totals('b.example'))).toEqual([
        { site: 'b.example', article: '/x', reads: 2 },
        { site: 'b.example', article: '/y', reads: 1 },
      ]);
    });

    it('lists totals ordered by site then article, and sites ordered by site', async () => {
      const reads: Array<[string, string]> = [['b.example', '/b'], ['a.example', '/z'], ['b.example', '/a'], ['a.example', '/B'], ['a.example', '/a/x'], ['a.example', '/a']];
      for (const [site, article] of reads) await store.increment(site, article, T0);
      await store.increment('b.example', '/a', T0);
      const expected: ArticleTotal[] = [
        { site: 'a.example', article: '/B', reads: 1 },
        { site: 'a.example', article: '/a', reads: 1 },
        { site: 'a.example', article: '/a/x', reads: 1 },
        { site: 'a.example', article: '/z', reads: 1 },
        { site: 'b.example', article: '/a', reads: 2 },
        { site: 'b.example', article: '/b', reads: 1 },
      ];
      expect(await collect(store.totals())).toEqual(expected);
      expect(await collect(store.totals('a.example'))).toEqual(expected.slice(0, 4));
      expect(await collect(store.totals('c.example'))).toEqual([]);
      expect(await collect(store.sites())).toEqual([
        { site: 'a.example', reads: 4, articles: 4 },
        { site: 'b.example', reads: 3, articles: 2 },
      ]);
    });

    it('keeps daily buckets that sum to the total, read by inclusive ranges ordered by article then day', async () => {
      const writes = [];
      for (let day = 0; day < 5; day++) {
        for (let i = 0; i <= day; i++) writes.push(store.increment('example.com', '/a', T0 + day * DAY));
      }
      writes.push(store.increment('example.com', '/b', T0 + DAY), store.increment('example.com', '/b', T0 + 9 * DAY));
      await Promise.all(writes);
      const rows = await store.daily('example.com', '2000-01-01', '2100-01-01', '/a');
      expect(rows.map((r) => r.reads)).toEqual([1, 2, 3, 4, 5]);
      expect(rows.reduce((sum, r) => sum + r.reads, 0)).toBe(await store.reads('example.com', '/a'));
      const range: DailyRow[] = [
        { site: 'example.com', article: '/a', day: '2026-03-02', reads: 2 },
        { site: 'example.com', article: '/a', day: '2026-03-03', reads: 3 },
        { site: 'example.com', article: '/b', day: '2026-03-02', reads: 1 },
      ];
      expect(await store.daily('example.com', '2026-03-02', '2026-03-03')).toEqual(range);
      expect(await collect(store.dailyRows('example.com', '2026-03-02', '2026-03-03'))).toEqual(range);
      expect(await store.daily('example.com', '2026-03-05', '2026-03-05')).toEqual([{ site: 'example.com', article: '/a', day: '2026-03-05', reads: 5 }]);
      expect(await store.daily('example.com', '2026-03-06', '2026-03-09', '/b')).toEqual([]);
      expect(await store.daily('example.com', '2026-03-06', '2026-03-10', '/b')).toEqual([{ site: 'example.com', article: '/b', day: '2026-03-10', reads: 1 }]);
      expect(await store.daily('other.example', '2000-01-01', '2100-01-01')).toEqual([]);
    });

    it('keeps counts, days, secrets and sessions across close and reopen', async () => {
      await Promise.all([store.increment('example.com', '/a', T0), store.increment('example.com', '/a', T0)]);
      const secret = await store.daySecret('2026-03-01');
      await store.sessions.add('session-1', T0 + DAY, T0, 50);
      store = await handle.reopen();
      expect(await store.reads('example.com', '/a')).toBe(2);
      expect(await store.siteTotal('example.com')).toEqual({ reads: 2, articles: 1 });
      expect(await store.daily('example.com', '2026-03-01', '2026-03-01')).toEqual([{ site: 'example.com', article: '/a', day: '2026-03-01', reads: 2 }]);
      expect((await store.daySecret('2026-03-01')).equals(secret)).toBe(true);
      expect(await store.sessions.expiresAt('session-1')).toBe(T0 + DAY);
      expect(await store.increment('example.com', '/a', T0)).toBe(3);
    });

    it('reports itself writable, and closes safely twice', async () => {
      expect(await store.checkWritable(T0)).toBe(true);
      await store.close();
      await store.close();
    });

    it('grows site totals with every read, in the same step as the article total', async () => {
      await Promise.all([
        store.increment('a.example', '/x', T0),
        store.increment('a.example', '/x', T0),
        store.increment('a.example', '/y', T0 + DAY),
        store.increment('b.example', '/x', T0),
      ]);
      expect(await store.siteTotal('a.example')).toEqual({ reads: 3, articles: 2 });
      expect(await store.siteTotal('b.example')).toEqual({ reads: 1, articles: 1 });
      expect(await collect(store.sites())).toEqual(await summed(store));
    });
  });

  describe(`${name}: dedupe`, () => {
    let handle: StorePortHandle;
    let store: Store;
    beforeEach(async () => {
      handle = await open();
      store = handle.store;
    });
    afterEach(() => handle.cleanup());

    it('counts a seen key once per UTC day, and again the next day', async () => {
      expect(await store.increment('a.example', '/x', T0, 'reader-1')).toBe(1);
      expect(await store.increment('a.example', '/x', T0 + 3600_000, 'reader-1')).toBeUndefined();
      expect(await store.siteTotal('a.example')).toEqual({ reads: 1, articles: 1 });
      expect(await store.increment('a.example', '/x', T0, 'reader-2')).toBe(2);
      expect(await store.increment('a.example', '/x', T0 + DAY, 'reader-1')).toBe(3);
      expect(await store.daily('a.example', '2026-03-01', '2026-03-02')).toEqual([
        { site: 'a.example', article: '/x', day: '2026-03-01', reads: 2 },
        { site: 'a.example', article: '/x', day: '2026-03-02', reads: 1 },
      ]);
    });

    it('lets only one of several simultaneous reads with one seen key count', async () => {
      const results = await Promise.all([1, 2, 3].map(() => store.increment('a.example', '/x', T0, 'reader-9')));
      expect(results.filter((r) => r !== undefined)).toEqual([1]);
      expect(await store.reads('a.example', '/x')).toBe(1);
    });

    it('counts at most budget.max reads under one budget key per day, and changes nothing past it', async () => {
      const budget = { key: 'network-1', max: 2 };
      expect(await store.increment('a.example', '/x', T0, 'r1', budget)).toBe(1);
      expect(await store.increment('a.example', '/x', T0, 'r2', budget)).toBe(2);
      expect(await store.increment('a.example', '/x', T0, 'r3', budget)).toBe(BUDGET_SPENT);
      expect(await store.reads('a.example', '/x')).toBe(2);
      expect(await store.siteTotal('a.example')).toEqual({ reads: 2, articles: 1 });
      // The refused reader was not marked seen: under another budget it counts.
      expect(await store.increment('a.example', '/x', T0, 'r3', { key: 'network-2', max: 2 })).toBe(3);
      // A new day, a new budget.
      expect(await store.increment('a.example', '/x', T0 + DAY, 'r4', budget)).toBe(4);
    });

    it('gives one 32-byte secret per day, the same on every call and after a reopen', async () => {
      const first = await store.daySecret('2026-03-01');
      expect(first).toHaveLength(32);
      expect((await store.daySecret('2026-03-01')).equals(first)).toBe(true);
      store = await handle.reopen();
      expect((await store.daySecret('2026-03-01')).equals(first)).toBe(true);
    });

    it('forgets older days’ secrets and seen keys when a new day’s secret is made', async () => {
      const first = await store.daySecret('2026-03-01');
      expect(await store.increment('a.example', '/x', T0, 'reader-1')).toBe(1);
      const second = await store.daySecret('2026-03-02');
      expect(second.equals(first)).toBe(false);
      // The old day's seen key is gone: the same key on that day counts again.
      expect(await store.increment('a.example', '/x', T0, 'reader-1')).toBe(2);
      store = await handle.reopen();
      expect((await store.daySecret('2026-03-01')).equals(first)).toBe(false);
    });
  });

  describe(`${name}: import merge`, () => {
    let handle: StorePortHandle;
    let store: Store;
    beforeEach(async () => {
      handle = await open();
      store = handle.store;
    });
    afterEach(() => handle.cleanup());

    it('takes the larger of each day, grows totals by what days gained, and never leaves a total below an imported one', async () => {
      await store.increment('a.example', '/x', T0);
      await store.increment('a.example', '/x', T0);
      const rows: DailyRow[] = [
        { site: 'a.example', article: '/x', day: '2026-03-01', reads: 1 },
        { site: 'a.example', article: '/x', day: '2026-02-01', reads: 3 },
        { site: 'a.example', article: '/new', day: '2026-02-01', reads: 2 },
      ];
      const totals: ArticleTotal[] = [
        { site: 'a.example', article: '/old', reads: 40 },
        { site: 'a.example', article: '/x', reads: 1 },
      ];
      expect(await store.mergeCounts(rows, totals)).toEqual({ daysChanged: 2, readsAdded: 45 });
      expect(await store.readsOf('a.example', ['/x', '/new', '/old'])).toEqual([5, 2, 40]);
      expect(await store.daily('a.example', '2026-01-01', '2026-12-31', '/x')).toEqual([
        { site: 'a.example', article: '/x', day: '2026-02-01', reads: 3 },
        { site: 'a.example', article: '/x', day: '2026-03-01', reads: 2 },
      ]);
      expect(await store.siteTotal('a.example')).toEqual({ reads: 47, articles: 3 });
      expect(await collect(store.sites())).toEqual(await summed(store));
    });

    it('changes nothing when the same data is merged twice', async () => {
      const rows: DailyRow[] = [{ site: 'a.example', article: '/x', day: '2026-03-01', reads: 5 }];
      const totals: ArticleTotal[] = [{ site: 'b.example', article: '/y', reads: 7 }];
      expect(await store.mergeCounts(rows, totals)).toEqual({ daysChanged: 1, readsAdded: 12 });
      const before = await everything(store);
      expect(await store.mergeCounts(rows, totals)).toEqual({ daysChanged: 0, readsAdded: 0 });
      expect(await everything(store)).toEqual(before);
    });
  });

  describe(`${name}: caps`, () => {
    let handle: StorePortHandle;
    let store: Store;
    beforeEach(async () => {
      handle = await open(CAPS);
      store = handle.store;
    });
    afterEach(() => handle.cleanup());

    it('refuses a read that would create a third site, and changes nothing', async () => {
      await store.increment('a.example', '/x', T0);
      await store.increment('b.example', '/x', T0);
      const before = await everything(store);
      const refusal = await store.increment('c.example', '/x', T0).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(StoreCapError);
      expect(refusal).toMatchObject({ code: 'too_many_sites', message: expect.stringMatching(/at most 2 sites \(MAX_SITES\)/) });
      expect(await everything(store)).toEqual(before);
      expect(await store.siteTotal('c.example')).toEqual({ reads: 0, articles: 0 });
      expect(await store.daily('c.example', '2026-01-01', '2026-12-31')).toEqual([]);
      expect(await store.checkWritable(T0)).toBe(true);
    });

    it('refuses a read that would create a third article of a site, and leaves the reader unspent', async () => {
      await store.increment('a.example', '/x', T0);
      await store.increment('a.example', '/y', T0);
      const refusal = await store.increment('a.example', '/z', T0, 'reader-1', { key: 'net', max: 1 }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(StoreCapError);
      expect(refusal).toMatchObject({ code: 'too_many_articles', message: expect.stringMatching(/at most 2 articles per site \(MAX_ARTICLES_PER_SITE\)/) });
      expect(await store.reads('a.example', '/z')).toBe(0);
      expect(await store.siteTotal('a.example')).toEqual({ reads: 2, articles: 2 });
      // The same reader and budget still count on an article that exists: the refusal spent nothing.
      expect(await store.increment('a.example', '/x', T0, 'reader-1', { key: 'net', max: 1 })).toBe(2);
    });

    it('keeps counting sites and articles that already exist, even past the caps', async () => {
      store = await handle.reopen();
      for (const site of ['a.example', 'b.example', 'c.example']) for (const article of ['/x', '/y', '/z']) await store.increment(site, article, T0);
      store = await handle.reopen(CAPS);
      expect(await store.increment('c.example', '/z', T0)).toBe(2);
      await expect(store.increment('c.example', '/new', T0)).rejects.toMatchObject({ code: 'too_many_articles' });
      await expect(store.increment('d.example', '/x', T0)).rejects.toMatchObject({ code: 'too_many_sites' });
      expect(await store.siteTotal('c.example')).toEqual({ reads: 4, articles: 3 });
    });
  });

  describe(`${name}: sessions`, () => {
    let handle: StorePortHandle;
    let store: Store;
    beforeEach(async () => {
      handle = await open();
      store = handle.store;
    });
    afterEach(() => handle.cleanup());

    it('stores a key until it expires, and forgets it on remove', async () => {
      await store.sessions.add('k1', 5000, 1000, 50);
      expect(await store.sessions.expiresAt('k1')).toBe(5000);
      expect(await store.sessions.expiresAt('unknown')).toBeUndefined();
      await store.sessions.remove('k1');
      expect(await store.sessions.expiresAt('k1')).toBeUndefined();
    });

    it('drops expired keys when another is added', async () => {
      await store.sessions.add('old', 2000, 1000, 50);
      await store.sessions.add('live', 9000, 1000, 50);
      await store.sessions.add('new', 9000, 2000, 50);
      expect(await store.sessions.expiresAt('old')).toBeUndefined();
      expect(await store.sessions.expiresAt('live')).toBe(9000);
    });

    it('keeps at most max keys, dropping the soonest-expiring first', async () => {
      await store.sessions.add('b', 3000, 0, 3);
      await store.sessions.add('a', 2000, 0, 3);
      await store.sessions.add('c', 4000, 0, 3);
      await store.sessions.add('d', 5000, 0, 3);
      expect(await store.sessions.expiresAt('a')).toBeUndefined();
      expect(await Promise.all(['b', 'c', 'd'].map((key) => store.sessions.expiresAt(key)))).toEqual([3000, 4000, 5000]);
    });
  });
}
