import { Hono } from 'hono';
import type { Admin } from '../admin/admin.js';
import { requireAdmin } from '../admin/guard.js';
import { ApiError } from '../http/errors.js';
import { queryRange } from '../stats/range.js';
import { siteList, siteStats, type StatsSource } from '../stats/site-stats.js';
import { articleQuery, siteQuery } from '../http/params.js';

/** What the stats API reads. */
export interface StatsDeps extends StatsSource {
  admin: Admin;
  now: () => number;
}

/**
 * GET /api/stats?site=&from=&to=&article= (token): the daily series (every day of the
 * inclusive UTC range, zeros included), totals, today, reading now and the article ranking.
 */
export function statsRoutes({ admin, store, hub, now }: StatsDeps): Hono {
  const app = new Hono();
  app.get('/api/stats', requireAdmin(admin), (c) => {
    const site = siteQuery(c);
    if (site === undefined) {
      const known = siteList(store).slice(0, 10).map((s) => s.site);
      const hint = known.length === 0 ? 'no site has reads yet' : `sites with reads: ${known.join(', ')}`;
      throw new ApiError(400, 'bad_site', `the "site" query parameter is required, e.g. site=example.com (${hint})`);
    }
    const article = articleQuery(c);
    const at = now();
    const range = queryRange(c.req.query('from'), c.req.query('to'), at);
    c.header('Cache-Control', 'no-store');
    return c.json(siteStats({ store, hub }, site, range, at, article));
  });
  return app;
}
