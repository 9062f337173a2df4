import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A throwaway blog on its own origin, embedding the counter like a real one would. */
export interface TestBlog {
  /** http://127.0.0.1:PORT */
  url: string;
  /** The site its counts belong to: 127.0.0.1:PORT. */
  site: string;
  close(): Promise<void>;
}

/**
 * Serves small pages that load `${counterUrl}/counter.js`:
 * - `/posts/SLUG` — a post with one `<read-counter>`; `?counters=2` puts two on it, `?live`
 *   adds `show-live`, `?canonical=URL` adds a canonical link, `?lang=de` sets the language,
 *   `?twice` includes the script a second time.
 * - `/index?articles=/posts/a,/posts/b` — an index page with one `readonly` counter per article.
 * - `/away` — a page without any counter.
 * - `/posts/SLUG?csp` — the post under a strict Content-Security-Policy (the directives
 *   docs/element.md asks for, and `style-src 'self'`), styled from `/style.css`;
 *   `?csp=no-connect` leaves the counter out of `connect-src`.
 * - `/spa/SLUG` — a post in a layout whose counter (no `article`) stays while a router
 *   changes the page; `/hash-app` — a hash router whose routes (`#/posts/x`) each set a
 *   canonical link. The tests drive both through the history API, as a router would.
 * - `?counter=URL` on any page loads the counter from that server instead (another node of a
 *   cluster), so two pages of one blog can talk to two nodes.
 */
export async function startBlog(counterUrl: string): Promise<TestBlog> {
  // The counter server of the page being rendered; a request is rendered synchronously, so one variable serves.
  let pageCounterUrl = counterUrl;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://blog');
    pageCounterUrl = url.searchParams.get('counter') ?? counterUrl;
    if (url.pathname === '/style.css') {
      res.writeHead(200, { 'Content-Type': 'text/css' });
      return res.end(STYLE);
    }
    const body = url.pathname.startsWith('/posts/')
      ? post(url)
      : url.pathname.startsWith('/spa/')
        ? spa(url)
        : url.pathname === '/hash-app'
          ? hashApp()
          : url.pathname === '/index'
            ? index(url)
            : url.pathname === '/away'
              ? layout('Elsewhere', '<p>A page without a counter.</p>', '')
              : undefined;
    const headers: Record<string, string> = { 'Content-Type': 'text/html; charset=utf-8' };
    const csp = url.searchParams.get('csp');
    if (csp !== null) headers['Content-Security-Policy'] = strictPolicy(counterUrl, csp !== 'no-connect');
    res.writeHead(body === undefined ? 404 : 200, headers);
    res.end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, site: `127.0.0.1:${port}`, close: () => closeServer(server) };

  function layout(title: string, main: string, head: string, lang = 'en', css = `<style>${STYLE}</style>`): string {
    return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>${head}
<script type="module" src="${pageCounterUrl}/counter.js"></script>
${css}</head><body><header>A small blog</header><main>${main}</main></body></html>`;
  }

  function spa(url: URL): string {
    const main = `<p class="byline">March 3, 2026 · <read-counter>– reads</read-counter></p><article><h1>${url.pathname}</h1></article>`;
    return layout('A single-page blog', main, '');
  }

  function hashApp(): string {
    // The router: each route #/posts/x shows its post and says so in a canonical link.
    const router = `<script>
const route = () => {
  document.querySelector('link[rel=canonical]')?.remove();
  if (!location.hash.startsWith('#/')) return;
  const link = Object.assign(document.createElement('link'), { rel: 'canonical', href: location.hash.slice(1) });
  document.head.append(link);
};
addEventListener('hashchange', route);
route();
</script>`;
    return layout('A hash-routed blog', '<p class="byline"><read-counter>– reads</read-counter></p><article id="comments"></article>', router);
  }

  function post(url: URL): string {
    const counters = Number(url.searchParams.get('counters') ?? '1');
    const live = url.searchParams.has('live') ? ' show-live' : '';
    const one = (i: number) => `<read-counter id="c${i}"${live}>– reads</read-counter>`;
    const canonical = url.searchParams.get('canonical');
    let head = canonical === null ? '' : `<link rel="canonical" href="${canonical}">`;
    // A second copy of the module (another URL, so another instance), as two templates might add.
    if (url.searchParams.has('twice')) head += `<script type="module" src="${counterUrl}/counter.js?v=2"></script>`;
    const main = `<article><h1>On reading slowly</h1>
<p class="byline">March 3, 2026 · 4 min read · ${one(1)}</p>
<p>Most of what we read online is skimmed. This post is about the other kind of reading: the kind where you stay.</p>
<p>Nothing here is tracked but the number below the title, and only once you have read for a while.</p>
${counters > 1 ? `<p class="byline">Read by ${one(2)}</p>` : ''}
</article>`;
    const css = url.searchParams.has('csp') ? '<link rel="stylesheet" href="/style.css">' : undefined;
    return layout('On reading slowly', main, head, url.searchParams.get('lang') ?? 'en', css);
  }

  function index(url: URL): string {
    const articles = (url.searchParams.get('articles') ?? '').split(',').filter(Boolean);
    const items = articles.map(
      (article, i) => `<li><a href="${article}">${article}</a> · <read-counter id="c${i + 1}" article="${article}" readonly></read-counter></li>`,
    );
    return layout('All posts', `<h1>All posts</h1><ul>${items.join('')}</ul>`, '');
  }
}

const STYLE = `body{margin:0;font:18px/1.65 Georgia,"Times New Roman",serif;color:#222;background:#fffdf8}
header{border-bottom:1px solid #eee;padding:1rem 1.5rem;font:600 1rem system-ui,sans-serif}
main{max-width:38rem;margin:0 auto;padding:2rem 1.25rem}
h1{font-size:2rem;line-height:1.2;margin:0 0 .5rem}
.byline{color:#666;font:15px system-ui,sans-serif;margin-bottom:1.5rem}
li{margin:.4rem 0}`;

/**
 * A strict policy with exactly what docs/element.md says to add for the counter: its
 * script, and its socket plus the HTTP origin it asks about a refused socket.
 */
export function strictPolicy(counterUrl: string, connect = true): string {
  const socket = counterUrl.replace(/^http/, 'ws');
  const counter = connect ? ` ${counterUrl} ${socket}` : '';
  return `default-src 'self'; script-src 'self' ${counterUrl}; connect-src 'self'${counter}; style-src 'self'; img-src 'self'`;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
