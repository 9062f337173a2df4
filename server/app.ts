import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { Hub } from './live/hub.js';
import type { Store } from './store/port.js';
import { errorHandler, notFound } from './http/errors.js';
import { siteAndArticle } from './http/params.js';
import { htmlSecurityHeaders, limitBody } from './http/security.js';
import { clientScriptRoutes } from './routes/client-script.js';
import { landingRoutes } from './routes/landing.js';
import type { Admin } from './dashboard/admin.js';
import type { LiveFeed } from './dashboard/live-feed.js';
import type { Metrics } from './metrics.js';
import { badgeRoutes } from './routes/badge.js';
import { countsRoutes } from './routes/counts.js';
import { docsRoutes } from './routes/docs.js';
import { dashboardRoutes } from './dashboard/pages.js';
import { exportRoutes } from './dashboard/export-routes.js';
import { metricsRoutes } from './dashboard/metrics-routes.js';
import { statsRoutes } from './dashboard/stats-routes.js';
import { socketCheckRoutes } from './routes/socket-check.js';
import type { UpgradePolicy } from './live/upgrade.js';

/** What the routes need; created by server.ts. */
export interface AppDeps {
  store: Store;
  hub: Hub;
  now: () => number;
  log: (message: string) => void;
  admin: Admin;
  feed: LiveFeed;
  metrics: Metrics;
  /** Shown on the landing page. */
  dwellSeconds: number;
  /** PUBLIC_URL, shown in the landing page's snippet. */
  publicUrl?: string | undefined;
  /** Who may open a socket: GET /ws without an upgrade says so to a refused page. */
  upgradePolicy: UpgradePolicy;
  /** Cluster mode: why this node cannot serve (Redis or its own subscription is down), or undefined. @default always healthy */
  health?: () => string | undefined;
}

/** The HTTP routes. WebSocket upgrades never reach Hono: see live/upgrade.ts. */
export function createApp({ store, hub, now, log, admin, feed, metrics, dwellSeconds, publicUrl, upgradePolicy, health }: AppDeps): Hono {
  const app = new Hono();
  app.onError(errorHandler(log));
  app.notFound(notFound);
  app.use(htmlSecurityHeaders);
  app.use(limitBody);

  app.get('/healthz', async (c) => {
    const problem = health?.();
    if (problem !== undefined) return c.json({ status: 'unavailable', error: { code: 'cluster_unavailable', message: problem } }, 503);
    const writable = await store.checkWritable(now());
    return writable
      ? c.json({ status: 'ok' })
      : c.json({ status: 'unavailable', error: { code: 'store_unavailable', message: 'the data store is not writable' } }, 503);
  });

  app.use('/api/count', cors({ origin: '*', allowMethods: ['GET'] }));
  app.get('/api/count', async (c) => {
    const { site, article } = siteAndArticle(c);
    c.header('Cache-Control', 'no-cache');
    return c.json({ site, article, reads: await store.reads(site, article), live: hub.live(site, article) });
  });

  app.route('/', countsRoutes({ store, hub }));
  app.route('/', badgeRoutes(store));
  app.route('/', statsRoutes({ admin, store, hub, now }));
  app.route('/', exportRoutes({ admin, store, now }));
  app.route('/', dashboardRoutes({ admin, store, hub, feed, now }));
  app.route('/', metricsRoutes(metrics, admin));
  app.route('/', clientScriptRoutes());
  app.route('/', socketCheckRoutes(upgradePolicy));
  app.route('/', docsRoutes());
  app.route('/', landingRoutes({ dwellSeconds, publicUrl }));
  return app;
}
