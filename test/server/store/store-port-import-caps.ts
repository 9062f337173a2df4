import { describe, expect, it } from 'vitest';
import { StoreCapError, type ArticleTotal, type DailyRow } from '../../../server/store/port.js';
import { everything, summed, CAPS, T0, freshStore, type OpenStorePort } from './store-port-handle.js';
import { readAll } from '../../../server/store/read-all.js';

/** The import merge and the site and article caps. */
export function describeImportAndCaps(name: string, open: OpenStorePort): void {
  describe(`${name}: import merge`, () => {
    const t = freshStore(open);

    it('takes the larger of each day, grows totals by what days gained, and never leaves a total below an imported one', async () => {
      await t.store.increment('a.example', '/x', T0);
      await t.store.increment('a.example', '/x', T0);
      const rows: DailyRow[] = [
        { site: 'a.example', article: '/x', day: '2026-03-01', reads: 1 },
        { site: 'a.example', article: '/x', day: '2026-02-01', reads: 3 },
        { site: 'a.example', article: '/new', day: '2026-02-01', reads: 2 },
      ];
      const totals: ArticleTotal[] = [
        { site: 'a.example', article: '/old', reads: 40 },
        { site: 'a.example', article: '/x', reads: 1 },
      ];
      expect(await t.store.mergeCounts(rows, totals)).toEqual({ daysChanged: 2, readsAdded: 45 });
      expect(await t.store.readsOf('a.example', ['/x', '/new', '/old'])).toEqual([5, 2, 40]);
      expect(await t.store.daily('a.example', '2026-01-01', '2026-12-31', '/x')).toEqual([
        { site: 'a.example', article: '/x', day: '2026-02-01', reads: 3 },
        { site: 'a.example', article: '/x', day: '2026-03-01', reads: 2 },
      ]);
      expect(await t.store.siteTotal('a.example')).toEqual({ reads: 47, articles: 3 });
      expect(await readAll(t.store.sites())).toEqual(await summed(t.store));
    });

    it('changes nothing when the same data is merged twice', async () => {
      const rows: DailyRow[] = [{ site: 'a.example', article: '/x', day: '2026-03-01', reads: 5 }];
      const totals: ArticleTotal[] = [{ site: 'b.example', article: '/y', reads: 7 }];
      expect(await t.store.mergeCounts(rows, totals)).toEqual({ daysChanged: 1, readsAdded: 12 });
      const before = await everything(t.store);
      expect(await t.store.mergeCounts(rows, totals)).toEqual({ daysChanged: 0, readsAdded: 0 });
      expect(await everything(t.store)).toEqual(before);
    });
  });

  describe(`${name}: caps`, () => {
    const t = freshStore(open, CAPS);

    it('refuses a read that would create a third site, and changes nothing', async () => {
      await t.store.increment('a.example', '/x', T0);
      await t.store.increment('b.example', '/x', T0);
      const before = await everything(t.store);
      const refusal = await t.store.increment('c.example', '/x', T0).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(StoreCapError);
      expect(refusal).toMatchObject({ code: 'too_many_sites', message: expect.stringMatching(/at most 2 sites \(MAX_SITES\)/) });
      expect(await everything(t.store)).toEqual(before);
      expect(await t.store.siteTotal('c.example')).toEqual({ reads: 0, articles: 0 });
      expect(await t.store.daily('c.example', '2026-01-01', '2026-12-31')).toEqual([]);
      expect(await t.store.checkWritable(T0)).toBe(true);
    });

    it('refuses a read that would create a third article of a site, and leaves the reader unspent', async () => {
      await t.store.increment('a.example', '/x', T0);
      await t.store.increment('a.example', '/y', T0);
      const refusal = await t.store.increment('a.example', '/z', T0, 'reader-1', { key: 'net', max: 1 }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(StoreCapError);
      expect(refusal).toMatchObject({ code: 'too_many_articles', message: expect.stringMatching(/at most 2 articles per site \(MAX_ARTICLES_PER_SITE\)/) });
      expect(await t.store.reads('a.example', '/z')).toBe(0);
      expect(await t.store.siteTotal('a.example')).toEqual({ reads: 2, articles: 2 });
      // The same reader and budget still count on an article that exists: the refusal spent nothing.
      expect(await t.store.increment('a.example', '/x', T0, 'reader-1', { key: 'net', max: 1 })).toBe(2);
    });

    it('keeps counting sites and articles that already exist, even past the caps', async () => {
      await t.reopen();
      for (const site of ['a.example', 'b.example', 'c.example']) for (const article of ['/x', '/y', '/z']) await t.store.increment(site, article, T0);
      await t.reopen(CAPS);
      expect(await t.store.increment('c.example', '/z', T0)).toBe(2);
      await expect(t.store.increment('c.example', '/new', T0)).rejects.toMatchObject({ code: 'too_many_articles' });
      await expect(t.store.increment('d.example', '/x', T0)).rejects.toMatchObject({ code: 'too_many_sites' });
      expect(await t.store.siteTotal('c.example')).toEqual({ reads: 4, articles: 3 });
    });
  });
}
