import { Hono } from 'hono';
import type { Admin } from './admin.js';
import { requireAdmin } from './guard.js';
import { ApiError } from '../http/errors.js';
import { queryRange } from './range-query.js';
import { MAX_ARTICLES_LISTED, siteList, siteStats, type StatsSource } from '../stats/site-stats.js';
import { articleQuery, siteQuery } from '../http/params.js';

/** What the stats API reads. */
export interface StatsDeps extends StatsSource {
  admin: Admin;
  now: () => number;
}

/**
 * GET /api/stats?site=&from=&to=&article=&limit= (token): the daily series (every day of the
 * inclusive UTC range, zeros included), totals, today, reading now and the article ranking
 * (the `limit` most read, at most MAX_ARTICLES_LISTED).
 */
export function statsRoutes({ admin, store, hub, now }: StatsDeps): Hono {
  const app = new Hono();
  app.get('/api/stats', requireAdmin(admin), async (c) => {
    const site = siteQuery(c);
    if (site === undefined) {
      const known = (await siteList(store)).slice(0, 10).map((s) => s.site);
      const hint = known.length === 0 ? 'no site has reads yet' : `sites with reads: ${known.join(', ')}`;
      throw new ApiError(400, 'bad_site', `the "site" query parameter is required, e.g. site=example.com (${hint})`);
    }
    const article = articleQuery(c);
    const at = now();
    const range = queryRange(c.req.query('from'), c.req.query('to'), at);
    const limit = limitQuery(c.req.query('limit'));
    c.header('Cache-Control', 'no-store');
    return c.json(await siteStats({ store, hub }, site, range, at, article, limit));
  });
  return app;
}

function limitQuery(value: string | undefined): number {
  if (value === undefined || value === '') return MAX_ARTICLES_LISTED;
  const limit = Number(value);
  if (!/^\d+$/.test(value) || limit < 1 || limit > MAX_ARTICLES_LISTED) {
    throw new ApiError(400, 'bad_limit', `limit must be a whole number from 1 to ${MAX_ARTICLES_LISTED}, got ${JSON.stringify(value.slice(0, 20))}`);
  }
  return limit;
}
