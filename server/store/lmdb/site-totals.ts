import type { Database, RootDatabase } from 'lmdb';
import { capError, type StoreCapError, type SiteTotal, type StoreCaps } from '../port.js';

/**
 * Per-site totals kept beside the per-article ones, so a site-wide figure (the badge, the site
 * list) is one lookup instead of a sum over every article. Every method that writes must run
 * inside the LMDB transaction that changes the article totals, so both always agree.
 */
export interface SiteTotals {
  /** A site's figures; undefined for a site with no article. */
  get(site: string): SiteTotal | undefined;
  /** Every site with its figures, ordered by site. */
  all(): Iterable<{ site: string } & SiteTotal>;
  /** Adds `reads` (and one article, for a new one) to a site. Inside a write transaction. */
  add(site: string, reads: number, newArticle: boolean): void;
  /** The cap a new article of `site` would pass, if any. Inside the write transaction. */
  capFor(site: string, caps: StoreCaps): StoreCapError | undefined;
  /** Rebuilds every site's figures from the article totals (the migration from schema 1). Inside a write transaction. */
  rebuild(totals: Database<number, [string, string]>): void;
}

/** Opens the `sites` table in `root`. */
export function openSiteTotals(root: RootDatabase): SiteTotals {
  const sites = root.openDB<SiteTotal, string>({ name: 'sites' });
  return {
    get: (site) => sites.get(site),
    *all() {
      for (const { key, value } of sites.getRange()) yield { site: key, ...value };
    },
    add(site, reads, newArticle) {
      const found = sites.get(site) ?? { reads: 0, articles: 0 };
      sites.put(site, { reads: found.reads + reads, articles: found.articles + (newArticle ? 1 : 0) });
    },
    capFor(site, caps) {
      const { maxSites, maxArticlesPerSite } = caps;
      const found = sites.get(site);
      if (found === undefined) {
        // Counting is O(sites), paid only when a read would create a site.
        if (maxSites !== Infinity && sites.getCount() >= maxSites) {
          return capError('too_many_sites', caps);
        }
      } else if (found.articles >= maxArticlesPerSite) {
        return capError('too_many_articles', caps);
      }
      return undefined;
    },
    rebuild(totals) {
      for (const site of sites.getKeys()) sites.remove(site);
      const bySite = new Map<string, SiteTotal>();
      for (const { key, value } of totals.getRange()) {
        const found = bySite.get(key[0]) ?? { reads: 0, articles: 0 };
        found.reads += value;
        found.articles++;
        bySite.set(key[0], found);
      }
      for (const [site, total] of bySite) sites.put(site, total);
    },
  };
}
