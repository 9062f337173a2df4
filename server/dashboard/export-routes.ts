import { Hono } from 'hono';
import type { Admin } from './admin.js';
import type { Store } from '../store/port.js';
import { requireAdmin } from './guard.js';
import { ApiError } from '../http/errors.js';
import { csvLines, jsonPieces } from '../export.js';
import { exportDailyRows } from '../stats/export-rows.js';
import { textStream } from '../http/text-stream.js';
import { siteQuery } from '../http/params.js';
import { utcDay } from '../utc-day.js';

/** What the export needs. */
export interface ExportDeps {
  admin: Admin;
  store: Pick<Store, 'totals' | 'sites' | 'dailyRows'>;
  now: () => number;
}

/**
 * GET /api/export?format=csv|json&site= (token): every (site, article, day, reads) row, as a
 * download that streams straight from the store, so memory stays bounded however many rows.
 */
export function exportRoutes({ admin, store, now }: ExportDeps): Hono {
  const app = new Hono();
  app.get('/api/export', requireAdmin(admin), (c) => {
    const format = c.req.query('format') ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw new ApiError(400, 'bad_format', `format must be "csv" or "json", got ${JSON.stringify(format.slice(0, 20))}`);
    const site = siteQuery(c);
    const at = now();
    // Site names are host characters only; ":" and brackets (ports, IPv6) are swapped for "_" in a file name.
    const name = `readcounter-${(site ?? 'all-sites').replace(/[^a-z0-9.-]/g, '_')}-${utcDay(at)}.${format}`;
    c.header('Content-Disposition', `attachment; filename="${name}"`);
    c.header('Cache-Control', 'no-store');
    const rows = exportDailyRows(store, site);
    if (format === 'json') {
      return c.body(textStream(jsonPieces(store.totals(site), rows, { exportedAt: new Date(at), site })), 200, { 'Content-Type': 'application/json; charset=utf-8' });
    }
    return c.body(textStream(csvLines(rows)), 200, { 'Content-Type': 'text/csv; charset=utf-8; header=present' });
  });
  return app;
}
