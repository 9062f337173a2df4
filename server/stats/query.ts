import type { Context } from 'hono';
import { ArticleError, normalizeArticle } from '../../shared/article.js';
import { SiteError, normalizeSite } from '../../shared/site.js';
import { ApiError } from '../http/errors.js';

/** The optional `site` query value, normalized, or a 400 `bad_site`. */
export function siteQuery(c: Context): string | undefined {
  const site = c.req.query('site');
  if (site === undefined || site === '') return undefined;
  try {
    return normalizeSite(site);
  } catch (error) {
    if (error instanceof SiteError) throw new ApiError(400, error.code, error.message);
    throw error;
  }
}

/** The optional `article` query value, normalized, or a 400 `bad_article`. */
export function articleQuery(c: Context): string | undefined {
  const article = c.req.query('article');
  if (article === undefined || article === '') return undefined;
  try {
    return normalizeArticle(article);
  } catch (error) {
    if (error instanceof ArticleError) throw new ApiError(400, error.code, error.message);
    throw error;
  }
}
