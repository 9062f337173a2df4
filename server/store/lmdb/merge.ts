import type { RootDatabase } from 'lmdb';
import type { Store } from '../port.js';
import type { Tables } from './tables.js';

/** The store's mergeCounts(): one synchronous transaction, so a failed merge changes nothing. */
export function mergeCounts(root: RootDatabase, tables: Tables, ...[rows, imported]: Parameters<Store['mergeCounts']>): { daysChanged: number; readsAdded: number } {
  const { days, totals } = tables;
  return root.transactionSync(() => {
    let daysChanged = 0;
    let readsAdded = 0;
    for (const { site, article, day, reads } of rows) {
      const stored = days.get([site, article, day]) ?? 0;
      if (reads <= stored) continue;
      days.put([site, article, day], reads);
      tables.addToTotal(site, article, reads - stored);
      daysChanged++;
      readsAdded += reads - stored;
    }
    for (const { site, article, reads } of imported) {
      const stored = totals.get([site, article]) ?? 0;
      if (reads <= stored) continue;
      tables.addToTotal(site, article, reads - stored);
      readsAdded += reads - stored;
    }
    return { daysChanged, readsAdded };
  });
}
