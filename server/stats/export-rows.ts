import type { Store } from '../store.js';
import type { ExportData } from '../export.js';

// Wider than any day a read can carry, so every stored bucket is included.
const FIRST_DAY = '0000-01-01';
const LAST_DAY = '9999-12-31';

/** Every daily row and total in the store (or of one site), ready for toCsv()/toJson(). */
export function exportRows(store: Pick<Store, 'totals' | 'daily'>, site?: string): ExportData {
  const totals = [...store.totals(site)];
  const sites = [...new Set(totals.map((t) => t.site))];
  return { totals, rows: sites.flatMap((s) => store.daily(s, FIRST_DAY, LAST_DAY)) };
}
