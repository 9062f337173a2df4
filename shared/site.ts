/** Longest site (host[:port]) accepted. DNS names stop at 253 characters; 6 more for a port. */
export const MAX_SITE_LENGTH = 260;

/** Thrown by normalizeSite() and siteFromOrigin() for a value that is not a host. */
export class SiteError extends Error {
  readonly code = 'bad_site';
  override name = 'SiteError';
}

/**
 * The site a count belongs to, from a page's `Origin` (`https://www.Example.com:443`):
 * the lowercased host, the default port dropped, a leading `www.` merged with the bare
 * host, so `https://www.example.com` and `https://example.com` share their counts.
 */
export function siteFromOrigin(origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new SiteError(`origin must be a URL such as "https://example.com", got ${preview(origin)}`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new SiteError(`origin must be an http(s) origin, got ${preview(origin)}`);
  }
  return fromUrl(url);
}

/**
 * Normalizes a `site` query value (`example.com`, `WWW.example.com`, `localhost:8080`) the
 * same way as siteFromOrigin(). A default port cannot be told apart here, so `:80` and
 * `:443` are both dropped.
 */
export function normalizeSite(input: unknown): string {
  if (typeof input !== 'string' || input === '') throw new SiteError('site must be a host such as "example.com"');
  if (input.length > MAX_SITE_LENGTH) throw new SiteError(`site must be at most ${MAX_SITE_LENGTH} characters`);
  if (!/^[a-z0-9.:[\]-]+$/i.test(input)) {
    throw new SiteError(`site must be a host such as "example.com", got ${preview(input)}`);
  }
  let url: URL;
  try {
    url = new URL(`http://${input}`);
  } catch {
    throw new SiteError(`site must be a host such as "example.com", got ${preview(input)}`);
  }
  if (url.port === '443') url.port = '';
  return fromUrl(url);
}

function fromUrl(url: URL): string {
  // `example.com.` is the same host as `example.com` in DNS, and must share its counts.
  const host = url.host.toLowerCase().replace(/\.(?=:|$)/, '');
  // `.`, `..` and `a..b` would be a site with no name or an empty label: no browser sends one.
  if (/^[.:]|^$|\.\.|\.:|\.$/.test(host)) throw new SiteError(`site must be a host such as "example.com", got ${preview(url.host)}`);
  return host.startsWith('www.') && host.length > 4 ? host.slice(4) : host;
}

function preview(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}
