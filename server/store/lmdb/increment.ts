import type { RootDatabase } from 'lmdb';
import { utcDay } from '../../utc-day.js';
import { BUDGET_SPENT, StoreCapError, type IncrementResult, type Store, type StoreCaps } from '../port.js';
import type { Tables } from './tables.js';
import type { WriteGuard } from './write-guard.js';

/** The store's increment(): one LMDB transaction per read (seen key, budget, caps, totals, day bucket). */
export function createIncrement(root: RootDatabase, tables: Tables, caps: StoreCaps, guard: WriteGuard): Store['increment'] {
  const { seen, totals, days, siteTotals } = tables;
  return (site, article, at, seenKey, budget) => {
    const day = utcDay(at);
    const problem = guard.roomToWrite();
    if (problem !== undefined) return guard.refuse(problem, at);
    // One transaction per read, batched by lmdb-js with every other write of the same
    // event turn into a single commit; the callback runs inside the write lock, so the
    // get-then-put cannot race another increment, and two tabs of one reader cannot both
    // pass the seen check.
    const write = root.transaction((): IncrementResult | StoreCapError => {
      const key = seenKey === undefined ? undefined : `${day}|${seenKey}`;
      if (key !== undefined && seen.get(key) !== undefined) return undefined;
      const stored = totals.get([site, article]);
      // Checked before anything is written, so a refused read leaves the reader's day unspent.
      const refusal = stored === undefined ? siteTotals.capFor(site, caps) : undefined;
      if (refusal !== undefined) return refusal;
      if (budget !== undefined) {
        const budgetKey = `${day}|${budget.key}`;
        const used = Number(seen.get(budgetKey) ?? 0);
        if (used >= budget.max) return BUDGET_SPENT;
        seen.put(budgetKey, used + 1);
      }
      if (key !== undefined) seen.put(key, true);
      tables.addToTotal(site, article, 1);
      days.put([site, article, day], (days.get([site, article, day]) ?? 0) + 1);
      return (stored ?? 0) + 1;
    });
    guard.watch(write, at);
    return write.then((result) => {
      if (result instanceof StoreCapError) throw result;
      return result;
    });
  };
}
