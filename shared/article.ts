/** Longest article key accepted, in UTF-8 bytes of its normalized form. */
export const MAX_ARTICLE_BYTES = 512;

// Raw input is checked against this before any work, so a megabyte of `%41`
// costs nothing. Every normalized byte can take at most 3 raw characters (`%XX`),
// plus room for a query or hash that is dropped.
const MAX_RAW_LENGTH = MAX_ARTICLE_BYTES * 3 + 1024;

/** Thrown by normalizeArticle() for a value that cannot be an article key. */
export class ArticleError extends Error {
  readonly code = 'bad_article';
  override name = 'ArticleError';
}

// C0 controls, DEL, C1 controls, lone surrogates (the `u` flag lets a valid pair through), and
// invisible format characters (bidi controls, zero-width space, BOM…) that would make a key look
// like another; ZWNJ/ZWJ stay, as Persian, Indic and emoji text needs them.
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f]|\p{Cs}|(?![\u200c\u200d])\p{Cf}/u;
const encoder = new TextEncoder();

/**
 * The one definition of an article key, as the server accepts it: articleKeyOf(), refusing keys
 * with control or invisible characters (the element sends such a key unchecked, and is refused).
 */
export function normalizeArticle(input: unknown, maxBytes = MAX_ARTICLE_BYTES): string {
  const key = articleKeyOf(input, maxBytes);
  if (FORBIDDEN.test(key)) throw new ArticleError('article must not contain control or invisible characters');
  return key;
}

/**
 * The one definition of an article key, shared by client and server.
 * Turns a path such as `/posts/Hello/?utm=x#top` into `/posts/Hello`: query and hash
 * dropped, percent-escapes decoded, Unicode in NFC, `.` and `..` segments resolved, repeated
 * and trailing slashes merged. The result is
 * stable: normalizing it again gives the same key. Throws ArticleError on anything else,
 * including a key over `maxBytes` (never more than MAX_ARTICLE_BYTES).
 */
export function articleKeyOf(input: unknown, maxBytes = MAX_ARTICLE_BYTES): string {
  const limit = Math.min(maxBytes, MAX_ARTICLE_BYTES);
  if (typeof input !== 'string') throw new ArticleError('article must be a string');
  if (input.length > MAX_RAW_LENGTH) {
    throw new ArticleError(`article must be at most ${limit} bytes`);
  }
  const path = input.replace(/[?#].*$/s, '');
  if (!path.startsWith('/')) {
    throw new ArticleError(`article must be a path starting with "/", got ${preview(input)}`);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    throw new ArticleError(`article has an invalid percent-escape: ${preview(input)}`);
  }
  // `/a/../b` is the page `/b` for every browser and server, so it must be its counter too;
  // empty segments go as well, which merges repeated and trailing slashes.
  const segments: string[] = [];
  for (const segment of decoded.normalize('NFC').split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '' && segment !== '.') segments.push(segment);
  }
  // Re-escape the three characters that would change meaning if decoded twice,
  // so that normalizeArticle(normalizeArticle(x)) === normalizeArticle(x).
  const key = `/${segments.join('/')}`.replace(/[%?#]/g, encodeURIComponent);
  if (encoder.encode(key).length > limit) {
    throw new ArticleError(`article must be at most ${limit} bytes`);
  }
  return key;
}

function preview(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
