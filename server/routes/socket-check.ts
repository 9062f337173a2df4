import type { IncomingMessage } from 'node:http';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { checkUpgrade, type UpgradePolicy } from '../live/upgrade.js';
import { allowOriginAdvice } from '../live/refusal-log.js';

/**
 * `GET /ws` without an upgrade: tells a page whether a WebSocket from its Origin would be
 * accepted. Browsers hide why an upgrade failed, so the element asks here once its socket
 * was refused before it opened, and tells the blogger in the console (403 with the reason
 * and the fix). Open CORS, like the other public endpoints; it answers only about the
 * asking origin and names no allowed one.
 */
export function socketCheckRoutes(policy: UpgradePolicy): Hono {
  const app = new Hono();
  app.use('/ws', cors({ origin: '*', allowMethods: ['GET'] }));
  app.get('/ws', (c) => {
    c.header('Cache-Control', 'no-store');
    const origin = c.req.header('origin');
    // A same-origin fetch carries no Origin; that page's socket would carry this server's own.
    if (origin !== undefined) {
      const headers = Object.fromEntries(c.req.raw.headers);
      const decision = checkUpgrade({ url: '/ws', headers } as unknown as IncomingMessage, policy);
      if (!decision.ok) {
        const message = decision.code === 'origin_not_allowed' ? allowOriginAdvice(origin) : `readcounter refused this page's connection: ${decision.message}`;
        return c.json({ error: { code: decision.code, message } }, decision.status as ContentfulStatusCode);
      }
    }
    return c.json({ error: { code: 'upgrade_required', message: 'GET /ws is the WebSocket endpoint; pages from this origin may connect' } }, 426);
  });
  return app;
}
