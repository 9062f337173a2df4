import type { Database, RootDatabase } from 'lmdb';
import { openSiteTotals, type SiteTotals } from './site-totals.js';

/** The store's LMDB tables, opened once. */
export interface Tables {
  readonly meta: Database<unknown, string>;
  /** Reads of all time per (site, article). */
  readonly totals: Database<number, [string, string]>;
  /** Reads per (site, article, day). */
  readonly days: Database<number, [string, string, string]>;
  /** Dedupe: `DAY|hash` keys of one day (true for a reader, a count for a budget). */
  readonly seen: Database<true | number, string>;
  /** The day's random HMAC key for reader hashes. */
  readonly secrets: Database<Buffer, string>;
  readonly siteTotals: SiteTotals;
  /** Adds to an article's total and its site's; inside a write transaction. Every change to a total goes through here, so both always agree. */
  addToTotal(site: string, article: string, reads: number): void;
}

/** Opens every table of the store in `root`. */
export function openTables(root: RootDatabase): Tables {
  const totals = root.openDB<number, [string, string]>({ name: 'totals' });
  const siteTotals = openSiteTotals(root);
  return {
    meta: root.openDB<unknown, string>({ name: 'meta' }),
    totals,
    days: root.openDB<number, [string, string, string]>({ name: 'daily' }),
    seen: root.openDB<true | number, string>({ name: 'seen' }),
    secrets: root.openDB<Buffer, string>({ name: 'secrets', encoding: 'binary' }),
    siteTotals,
    addToTotal(site, article, reads) {
      const stored = totals.get([site, article]);
      totals.put([site, article], (stored ?? 0) + reads);
      siteTotals.add(site, reads, stored === undefined);
    },
  };
}
