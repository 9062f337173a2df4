import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { Hub } from '../live/hub.js';
import type { Store } from '../store/port.js';
import { articleListQuery, requiredSiteQuery } from '../http/params.js';

/** Most articles one GET /api/counts may ask for: an index page of post cards, not the whole blog. */
export const MAX_COUNTS_ARTICLES = 100;

/** One article's entry in a GET /api/counts answer. */
export interface ArticleCount {
  article: string;
  reads: number;
  live: number;
}

/**
 * GET /api/counts?site=HOST&article=A&article=B… — many articles' reads and live in one
 * answer, in the order asked, each normalized key once, 0 for unknown. CORS open, like /api/count.
 */
export function countsRoutes({ store, hub }: { store: Pick<Store, 'readsOf'>; hub: Pick<Hub, 'live'> }): Hono {
  const app = new Hono();
  app.use('/api/counts', cors({ origin: '*', allowMethods: ['GET'] }));
  app.get('/api/counts', async (c) => {
    const site = requiredSiteQuery(c);
    const articles = articleListQuery(c, MAX_COUNTS_ARTICLES);
    const reads = await store.readsOf(site, articles);
    const counts: ArticleCount[] = articles.map((article, i) => ({ article, reads: reads[i]!, live: hub.live(site, article) }));
    // Same as /api/count: caches may keep it but must ask again, since counts change live.
    c.header('Cache-Control', 'no-cache');
    return c.json({ site, counts });
  });
  return app;
}
