import { readAll } from '../store/read-all.js';
import type { DailyRow, Store } from '../store/port.js';
import type { ExportData } from '../export.js';

// Wider than any day a read can carry, so every stored bucket is included.
const FIRST_DAY = '0000-01-01';
const LAST_DAY = '9999-12-31';

/** Every daily row and total in the store (or of one site), ready for toCsv()/toJson(). */
export async function exportRows(store: Pick<Store, 'totals' | 'sites' | 'dailyRows'>, site?: string): Promise<ExportData> {
  return { totals: await readAll(store.totals(site)), rows: await readAll(exportDailyRows(store, site)) };
}

/** Every daily row of the store (or of one site), ordered by site, article, day; read lazily. */
export async function* exportDailyRows(store: Pick<Store, 'sites' | 'dailyRows'>, site?: string): AsyncGenerator<DailyRow> {
  const sites = site === undefined ? store.sites() : [{ site }];
  for await (const { site: name } of sites) yield* store.dailyRows(name, FIRST_DAY, LAST_DAY);
}
