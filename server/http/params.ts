import type { Context } from 'hono';
import { ArticleError, normalizeArticle } from '../../shared/article.js';
import { SiteError, normalizeSite } from '../../shared/site.js';
import { ApiError } from './errors.js';

/** The optional `site` query value, normalized, or a 400 `bad_site`. */
export const siteQuery = (c: Context): string | undefined => optionalQuery(c, 'site', normalizeSite);

/** The optional `article` query value, normalized, or a 400 `bad_article`. */
export const articleQuery = (c: Context): string | undefined => optionalQuery(c, 'article', normalizeArticle);

/** The `site` and `article` query parameters, both required, validated and normalized, or a 400 ApiError. */
export function siteAndArticle(c: Context): { site: string; article: string } {
  const site = siteQuery(c);
  if (site === undefined) throw new ApiError(400, 'bad_site', 'the "site" query parameter is required, e.g. site=example.com');
  const article = articleQuery(c);
  if (article === undefined) throw new ApiError(400, 'bad_article', 'the "article" query parameter is required, e.g. article=/posts/hello');
  return { site, article };
}

function optionalQuery(c: Context, name: string, normalize: (value: string) => string): string | undefined {
  const value = c.req.query(name);
  if (value === undefined || value === '') return undefined;
  try {
    return normalize(value);
  } catch (error) {
    if (error instanceof SiteError || error instanceof ArticleError) throw new ApiError(400, error.code, error.message);
    throw error;
  }
}
