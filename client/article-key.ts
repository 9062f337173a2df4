import { articleKeyOf } from '../shared/article.js';

/**
 * The article key an element stands for: its `article` attribute (a path, or a URL whose
 * path is taken), else the path of a canonical link on the same host, else this page's
 * path. Normalized like the server does (a key the server refuses for invisible characters
 * is refused there, with an error frame); throws ArticleError for an invalid key.
 */
export function resolveArticle(attribute: string | null): string {
  if (attribute) return articleKeyOf(attribute[0] === '/' ? attribute : new URL(attribute, location.href).pathname);
  return articleKeyOf(canonicalPath() ?? location.pathname);
}

function canonicalPath(): string | undefined {
  const link = document.querySelector<HTMLLinkElement>('link[rel~=canonical][href]');
  try {
    const url = new URL(link!.href);
    // A canonical link to another site (a syndicated copy) must not borrow that site's key.
    if (url.host === location.host) return url.pathname;
  } catch {
    // No link, or an href that is not a URL: use the page's own path.
  }
  return undefined;
}

