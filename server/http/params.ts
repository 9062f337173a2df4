import type { Context } from 'hono';
import { ArticleError, normalizeArticle } from '../../shared/article.js';
import { SiteError, normalizeSite } from '../../shared/site.js';
import { ApiError } from './errors.js';

/** The optional `site` query value, normalized, or a 400 `bad_site`. */
export const siteQuery = (c: Context): string | undefined => optionalQuery(c, 'site', normalizeSite);

/** The optional `article` query value, normalized, or a 400 `bad_article`. */
export const articleQuery = (c: Context): string | undefined => optionalQuery(c, 'article', normalizeArticle);

/** The required `site` query value, normalized, or a 400 `bad_site`. */
export function requiredSiteQuery(c: Context): string {
  const site = siteQuery(c);
  if (site === undefined) throw new ApiError(400, 'bad_site', 'the "site" query parameter is required, e.g. site=example.com');
  return site;
}

/** The `site` and `article` query parameters, both required, validated and normalized, or a 400 ApiError. */
export function siteAndArticle(c: Context): { site: string; article: string } {
  const site = requiredSiteQuery(c);
  const article = articleQuery(c);
  if (article === undefined) throw new ApiError(400, 'bad_article', 'the "article" query parameter is required, e.g. article=/posts/hello');
  return { site, article };
}

/**
 * Every `article` query value (repeated parameters), normalized, first appearance kept,
 * later duplicates dropped; a 400 `bad_article` for none, a bad one, or more than `max`.
 */
export function articleListQuery(c: Context, max: number): string[] {
  const values = c.req.queries('article') ?? [];
  if (values.length === 0) throw new ApiError(400, 'bad_article', 'at least one "article" query parameter is required, e.g. article=/posts/a&article=/posts/b');
  // Counted before normalizing, so a long list costs nothing.
  if (values.length > max) throw new ApiError(400, 'too_many_articles', `at most ${max} "article" parameters per request, got ${values.length}; split the list`);
  const keys = new Set<string>();
  for (const value of values) keys.add(normalizeOrThrow(value, normalizeArticle));
  return [...keys];
}

function optionalQuery(c: Context, name: string, normalize: (value: string) => string): string | undefined {
  const value = c.req.query(name);
  if (value === undefined || value === '') return undefined;
  return normalizeOrThrow(value, normalize);
}

function normalizeOrThrow(value: string, normalize: (value: string) => string): string {
  try {
    return normalize(value);
  } catch (error) {
    if (error instanceof SiteError || error instanceof ArticleError) throw new ApiError(400, error.code, error.message);
    throw error;
  }
}
