import { Hono } from 'hono';
import type { Admin } from './admin.js';
import type { LiveFeed } from './live-feed.js';
import { html, loginRoutes } from './login-routes.js';
import { ApiError } from '../http/errors.js';
import { utcDay } from '../utc-day.js';
import { lastDays } from '../stats/range.js';
import { parseRangeChoice } from './range-query.js';
import { siteList, siteStats, type StatsSource } from '../stats/site-stats.js';
import { articleQuery, siteQuery } from '../http/params.js';
import { AdminOffPage, Page } from './layout.js';
import { DashboardBody, EmptyState, SiteSwitcher } from './view.js';
import { dashboardScript } from './script.js';

/** What the dashboard needs. */
export interface DashboardDeps extends StatsSource {
  admin: Admin;
  feed: Pick<LiveFeed, 'recent'>;
  now: () => number;
}

/**
 * GET /dashboard?site=&days=7|30|90&article=: the server-rendered dashboard (works without
 * JavaScript), its login and logout, and GET /dashboard/live.js, the script that makes it live.
 * Security headers (CSP: scripts only from here) come from the app-wide htmlSecurityHeaders.
 */
export function dashboardRoutes({ admin, store, hub, feed, now }: DashboardDeps): Hono {
  const app = new Hono();
  app.route('/', loginRoutes(admin, now));
  app.get('/dashboard/live.js', (c) => {
    if (!admin.enabled) throw new ApiError(404, 'admin_off', 'the dashboard is off because ADMIN_TOKEN is not set');
    return dashboardScript(c);
  });
  app.get('/dashboard', async (c) => {
    if (!admin.enabled) return html(c, <AdminOffPage />, 404);
    const check = await admin.check(c);
    if (check === 'wrong' && c.req.header('authorization') !== undefined) throw new ApiError(401, 'bad_token', 'the admin token is not valid');
    if (check !== 'ok') return c.redirect('/dashboard/login', 303);

    const days = parseRangeChoice(c.req.query('days'));
    const article = articleQuery(c);
    const sites = (await siteList(store));
    const site = siteQuery(c) ?? sites[0]?.site;
    if (site === undefined) {
      return html(c, <Page title="readcounter" loggedIn><EmptyState origin={new URL(c.req.url).origin} /></Page>);
    }
    const at = now();
    const stats = await siteStats({ store, hub }, site, lastDays(days, at), at, article);
    const model = { site, sites, days, stats, recent: feed.recent(site), today: utcDay(at), all: c.req.query('all') === '1' };
    const live = { site, days: String(days), today: model.today, to: stats.to, ...(article === undefined ? {} : { article }) };
    return html(
      c,
      <Page title={`${article ?? site} · readcounter`} loggedIn live={live} tools={<SiteSwitcher site={site} sites={sites} days={days} />}>
        <DashboardBody model={model} />
      </Page>,
    );
  });
  return app;
}
