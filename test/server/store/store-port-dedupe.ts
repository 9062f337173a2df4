import { describe, expect, it } from 'vitest';
import { BUDGET_SPENT } from '../../../server/store/port.js';
import { DAY, T0, freshStore, type OpenStorePort } from './store-port-handle.js';

/** Once per reader per day, network budgets and the day secret. */
export function describeDedupe(name: string, open: OpenStorePort): void {
  describe(`${name}: dedupe`, () => {
    const t = freshStore(open);

    it('counts a seen key once per UTC day, and again the next day', async () => {
      expect(await t.store.increment('a.example', '/x', T0, 'reader-1')).toBe(1);
      expect(await t.store.increment('a.example', '/x', T0 + 3600_000, 'reader-1')).toBeUndefined();
      expect(await t.store.siteTotal('a.example')).toEqual({ reads: 1, articles: 1 });
      expect(await t.store.increment('a.example', '/x', T0, 'reader-2')).toBe(2);
      expect(await t.store.increment('a.example', '/x', T0 + DAY, 'reader-1')).toBe(3);
      expect(await t.store.daily('a.example', '2026-03-01', '2026-03-02')).toEqual([
        { site: 'a.example', article: '/x', day: '2026-03-01', reads: 2 },
        { site: 'a.example', article: '/x', day: '2026-03-02', reads: 1 },
      ]);
    });

    it('lets only one of several simultaneous reads with one seen key count', async () => {
      const results = await Promise.all([1, 2, 3].map(() => t.store.increment('a.example', '/x', T0, 'reader-9')));
      expect(results.filter((r) => r !== undefined)).toEqual([1]);
      expect(await t.store.reads('a.example', '/x')).toBe(1);
    });

    it('counts at most budget.max reads under one budget key per day, and changes nothing past it', async () => {
      const budget = { key: 'network-1', max: 2 };
      expect(await t.store.increment('a.example', '/x', T0, 'r1', budget)).toBe(1);
      expect(await t.store.increment('a.example', '/x', T0, 'r2', budget)).toBe(2);
      expect(await t.store.increment('a.example', '/x', T0, 'r3', budget)).toBe(BUDGET_SPENT);
      expect(await t.store.reads('a.example', '/x')).toBe(2);
      expect(await t.store.siteTotal('a.example')).toEqual({ reads: 2, articles: 1 });
      // The refused reader was not marked seen: under another budget it counts.
      expect(await t.store.increment('a.example', '/x', T0, 'r3', { key: 'network-2', max: 2 })).toBe(3);
      // A new day, a new budget.
      expect(await t.store.increment('a.example', '/x', T0 + DAY, 'r4', budget)).toBe(4);
    });

    it('gives one 32-byte secret per day, the same on every call and after a reopen', async () => {
      const first = await t.store.daySecret('2026-03-01');
      expect(first).toHaveLength(32);
      expect((await t.store.daySecret('2026-03-01')).equals(first)).toBe(true);
      await t.reopen();
      expect((await t.store.daySecret('2026-03-01')).equals(first)).toBe(true);
    });

    it('forgets older days’ secrets and seen keys when a new day’s secret is made', async () => {
      const first = await t.store.daySecret('2026-03-01');
      expect(await t.store.increment('a.example', '/x', T0, 'reader-1')).toBe(1);
      const second = await t.store.daySecret('2026-03-02');
      expect(second.equals(first)).toBe(false);
      // The old day's seen key is gone: the same key on that day counts again.
      expect(await t.store.increment('a.example', '/x', T0, 'reader-1')).toBe(2);
      await t.reopen();
      expect((await t.store.daySecret('2026-03-01')).equals(first)).toBe(false);
    });
  });
}
