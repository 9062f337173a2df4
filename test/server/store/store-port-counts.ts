import { describe, expect, it } from 'vitest';
import { type ArticleTotal, type DailyRow } from '../../../server/store/port.js';
import { summed, DAY, T0, freshStore, type OpenStorePort } from './store-port-handle.js';
import { readAll } from '../../../server/store/read-all.js';

/** Counting, reading back, ordering and keeping counts: the heart of every store. */
export function describeCounts(name: string, open: OpenStorePort): void {
  describe(`${name}: counts`, () => {
    const t = freshStore(open);

    it('starts every article at 0', async () => {
      expect(await t.store.reads('example.com', '/a')).toBe(0);
      expect(await t.store.readsOf('example.com', ['/a', '/b'])).toEqual([0, 0]);
      expect(await t.store.siteTotal('example.com')).toEqual({ reads: 0, articles: 0 });
      expect(await readAll(t.store.totals())).toEqual([]);
      expect(await readAll(t.store.sites())).toEqual([]);
    });

    it('increments atomically under many concurrent increments', async () => {
      const results = await Promise.all(Array.from({ length: 1000 }, () => t.store.increment('example.com', '/hot', T0)));
      expect(await t.store.reads('example.com', '/hot')).toBe(1000);
      // Every increment saw a distinct total: no two read-modify-writes interleaved.
      expect(new Set(results).size).toBe(1000);
      expect(Math.max(...(results as number[]))).toBe(1000);
    });

    it('keeps sites and articles apart, and reads several in the order asked', async () => {
      await t.store.increment('a.example', '/x', T0);
      await t.store.increment('b.example', '/x', T0);
      await t.store.increment('b.example', '/x', T0);
      await t.store.increment('b.example', '/y', T0);
      expect(await t.store.reads('a.example', '/x')).toBe(1);
      expect(await t.store.reads('b.example', '/x')).toBe(2);
      expect(await t.store.reads('a.example', '/y')).toBe(0);
      expect(await t.store.readsOf('b.example', ['/y', '/nope', '/x'])).toEqual([1, 0, 2]);
      expect(await t.store.readsOf('b.example', [])).toEqual([]);
      expect(await readAll(t.store.totals('b.example'))).toEqual([
        { site: 'b.example', article: '/x', reads: 2 },
        { site: 'b.example', article: '/y', reads: 1 },
      ]);
    });

    it('lists totals ordered by site then article, and sites ordered by site', async () => {
      const reads: Array<[string, string]> = [['b.example', '/b'], ['a.example', '/z'], ['b.example', '/a'], ['a.example', '/B'], ['a.example', '/a/x'], ['a.example', '/a']];
      for (const [site, article] of reads) await t.store.increment(site, article, T0);
      await t.store.increment('b.example', '/a', T0);
      const expected: ArticleTotal[] = [
        { site: 'a.example', article: '/B', reads: 1 },
        { site: 'a.example', article: '/a', reads: 1 },
        { site: 'a.example', article: '/a/x', reads: 1 },
        { site: 'a.example', article: '/z', reads: 1 },
        { site: 'b.example', article: '/a', reads: 2 },
        { site: 'b.example', article: '/b', reads: 1 },
      ];
      expect(await readAll(t.store.totals())).toEqual(expected);
      expect(await readAll(t.store.totals('a.example'))).toEqual(expected.slice(0, 4));
      expect(await readAll(t.store.totals('c.example'))).toEqual([]);
      expect(await readAll(t.store.sites())).toEqual([
        { site: 'a.example', reads: 4, articles: 4 },
        { site: 'b.example', reads: 3, articles: 2 },
      ]);
    });

    it('keeps daily buckets that sum to the total, read by inclusive ranges ordered by article then day', async () => {
      const writes = [];
      for (let day = 0; day < 5; day++) {
        for (let i = 0; i <= day; i++) writes.push(t.store.increment('example.com', '/a', T0 + day * DAY));
      }
      writes.push(t.store.increment('example.com', '/b', T0 + DAY), t.store.increment('example.com', '/b', T0 + 9 * DAY));
      await Promise.all(writes);
      const rows = await t.store.daily('example.com', '2000-01-01', '2100-01-01', '/a');
      expect(rows.map((r) => r.reads)).toEqual([1, 2, 3, 4, 5]);
      expect(rows.reduce((sum, r) => sum + r.reads, 0)).toBe(await t.store.reads('example.com', '/a'));
      const range: DailyRow[] = [
        { site: 'example.com', article: '/a', day: '2026-03-02', reads: 2 },
        { site: 'example.com', article: '/a', day: '2026-03-03', reads: 3 },
        { site: 'example.com', article: '/b', day: '2026-03-02', reads: 1 },
      ];
      expect(await t.store.daily('example.com', '2026-03-02', '2026-03-03')).toEqual(range);
      expect(await readAll(t.store.dailyRows('example.com', '2026-03-02', '2026-03-03'))).toEqual(range);
      expect(await t.store.daily('example.com', '2026-03-05', '2026-03-05')).toEqual([{ site: 'example.com', article: '/a', day: '2026-03-05', reads: 5 }]);
      expect(await t.store.daily('example.com', '2026-03-06', '2026-03-09', '/b')).toEqual([]);
      expect(await t.store.daily('example.com', '2026-03-06', '2026-03-10', '/b')).toEqual([{ site: 'example.com', article: '/b', day: '2026-03-10', reads: 1 }]);
      expect(await t.store.daily('other.example', '2000-01-01', '2100-01-01')).toEqual([]);
    });

    it('keeps counts, days, secrets and sessions across close and reopen', async () => {
      await Promise.all([t.store.increment('example.com', '/a', T0), t.store.increment('example.com', '/a', T0)]);
      const secret = await t.store.daySecret('2026-03-01');
      await t.store.sessions.add('session-1', T0 + DAY, T0, 50);
      await t.reopen();
      expect(await t.store.reads('example.com', '/a')).toBe(2);
      expect(await t.store.siteTotal('example.com')).toEqual({ reads: 2, articles: 1 });
      expect(await t.store.daily('example.com', '2026-03-01', '2026-03-01')).toEqual([{ site: 'example.com', article: '/a', day: '2026-03-01', reads: 2 }]);
      expect((await t.store.daySecret('2026-03-01')).equals(secret)).toBe(true);
      expect(await t.store.sessions.expiresAt('session-1')).toBe(T0 + DAY);
      expect(await t.store.increment('example.com', '/a', T0)).toBe(3);
    });

    it('reports itself writable, and closes safely twice', async () => {
      expect(await t.store.checkWritable(T0)).toBe(true);
      await t.store.close();
      await t.store.close();
    });

    it('grows site totals with every read, in the same step as the article total', async () => {
      await Promise.all([
        t.store.increment('a.example', '/x', T0),
        t.store.increment('a.example', '/x', T0),
        t.store.increment('a.example', '/y', T0 + DAY),
        t.store.increment('b.example', '/x', T0),
      ]);
      expect(await t.store.siteTotal('a.example')).toEqual({ reads: 3, articles: 2 });
      expect(await t.store.siteTotal('b.example')).toEqual({ reads: 1, articles: 1 });
      expect(await readAll(t.store.sites())).toEqual(await summed(t.store));
    });
  });
}
