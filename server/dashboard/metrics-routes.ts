import { Hono, type Context } from 'hono';
import type { Metrics } from '../metrics.js';
import type { Admin } from './admin.js';
import { requireAdmin } from './guard.js';
import { errorHandler, notFound } from '../http/errors.js';

const METRICS_OFF_MESSAGE =
  'GET /metrics on this port needs ADMIN_TOKEN (then send "Authorization: Bearer ADMIN_TOKEN"); or set METRICS_PORT to serve it without a token on a private port';

/** GET /metrics on the main port: Prometheus text, only with the admin token. */
export function metricsRoutes(metrics: Metrics, admin: Admin): Hono {
  const app = new Hono();
  app.get('/metrics', requireAdmin(admin, METRICS_OFF_MESSAGE), async (c) => serve(c, metrics));
  return app;
}

/** The whole app of the METRICS_PORT listener: GET /metrics without a token, nothing else. */
export function metricsOnlyApp(metrics: Metrics, log: (message: string) => void): Hono {
  const app = new Hono();
  app.onError(errorHandler(log));
  app.notFound(notFound);
  app.get('/metrics', async (c) => serve(c, metrics));
  return app;
}

async function serve(c: Context, metrics: Metrics): Promise<Response> {
  c.header('Cache-Control', 'no-store');
  return c.body(await metrics.render(), 200, { 'Content-Type': metrics.contentType });
}
