import type { Context } from 'hono';
import { ArticleError, normalizeArticle } from '../../shared/article.js';
import { SiteError, normalizeSite } from '../../shared/site.js';
import { ApiError } from './errors.js';

/** The `site` and `article` query parameters, validated and normalized, or a 400 ApiError. */
export function siteAndArticle(c: Context): { site: string; article: string } {
  const site = c.req.query('site');
  const article = c.req.query('article');
  if (site === undefined) throw new ApiError(400, 'bad_site', 'the "site" query parameter is required, e.g. site=example.com');
  if (article === undefined) throw new ApiError(400, 'bad_article', 'the "article" query parameter is required, e.g. article=/posts/hello');
  try {
    return { site: normalizeSite(site), article: normalizeArticle(article) };
  } catch (error) {
    if (error instanceof SiteError || error instanceof ArticleError) throw new ApiError(400, error.code, error.message);
    throw error;
  }
}
