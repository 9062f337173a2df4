import { Hono } from 'hono';
import { escapeHtml } from '../http/escape-html.js';
import { FAVICON } from '../http/favicon.js';

/** Options for landingRoutes(). */
export interface LandingOptions {
  /** Seconds of reading before a reader counts, as configured. @default 10 */
  dwellSeconds?: number;
  /** PUBLIC_URL: the origin shown in the snippet. @default the request's own (shown to that requester only) */
  publicUrl?: string | undefined;
}

/**
 * GET / — what this server is, the snippet to paste (with this server's own URL in it),
 * and a live counter of this very page, so `npm start` and a browser show it working.
 */
export function landingRoutes({ dwellSeconds = 10, publicUrl }: LandingOptions = {}): Hono {
  return new Hono().get('/', (c) => {
    const url = new URL(c.req.url);
    // Behind Fly's (or any TLS-terminating) proxy the request reaches us as plain http.
    const proto = c.req.header('X-Forwarded-Proto')?.split(',')[0]?.trim() === 'https' ? 'https:' : url.protocol;
    c.header('Cache-Control', 'no-cache');
    return c.html(page(publicUrl ?? `${proto}//${url.host}`, dwellSeconds));
  });
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#fbfbfa;--card:#fff;--line:#e3e3df;--accent:#0b6bcb;--code:#f3f3f0}
@media (prefers-color-scheme:dark){:root{--fg:#e6e6e3;--muted:#a0a4a8;--bg:#151617;--card:#1d1f21;--line:#2e3134;--accent:#6cb2ff;--code:#25282b}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:17px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:44rem;margin:0 auto;padding:3rem 1.25rem 4rem}
h1{font-size:2.2rem;line-height:1.2;margin:0 0 .25rem}
h2{font-size:1.15rem;margin:2.5rem 0 .5rem}
p{margin:.5rem 0}
a{color:var(--accent)}
.lede{font-size:1.15rem;color:var(--muted);margin:0 0 2rem}
.demo{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1.25rem 1.5rem;box-shadow:0 1px 2px rgb(0 0 0/.04)}
.demo .big{font-size:1.6rem;font-weight:600;margin:0}
.demo read-counter{--read-counter-min-width:6ch}
.demo read-counter::part(live){font-size:1rem;font-weight:400;color:var(--muted)}
.hint{color:var(--muted);font-size:.95rem}
pre{background:var(--code);border:1px solid var(--line);border-radius:8px;padding:.85rem 1rem;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.9rem;line-height:1.5;user-select:all}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
p code,li code{background:var(--code);padding:.1em .3em;border-radius:4px;font-size:.9em;overflow-wrap:anywhere}
ul{padding-left:1.25rem}
li{margin:.3rem 0}
.badge{vertical-align:middle;margin-right:.4rem}
footer{margin-top:3rem;color:var(--muted);font-size:.9rem}
`;

function page(origin: string, dwellSeconds: number): string {
  // Long only as markup: the landing page's HTML, read top to bottom.
  const o = escapeHtml(origin);
  const host = escapeHtml(new URL(origin).host);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>readcounter — live read counts for your blog</title>
<meta name="description" content="A self-hosted, privacy-friendly live read counter for blogs.">
<link rel="icon" href="${FAVICON}">
<style>${STYLE}</style>
<script type="module" src="/counter.js"></script>
</head>
<body>
<main>
<h1>readcounter</h1>
<p class="lede">A live read counter for your blog. Self-hosted, no cookies, nothing personal kept.</p>

<section class="demo" aria-label="Live demo">
<p class="big">This page: <read-counter article="/" show-live>…</read-counter></p>
<p class="hint">Stay ${dwellSeconds} seconds with this tab in front and you are counted. Open it in a second window and watch the number change in both, without reloading.</p>
</section>

<h2>Add it to your blog</h2>
<p>Put the script once in your layout, and the element where the count should show, in the post template:</p>
<pre><code>&lt;script type="module" src="${o}/counter.js"&gt;&lt;/script&gt;

&lt;read-counter&gt;…&lt;/read-counter&gt;</code></pre>
<p>What you put inside the element shows until the count arrives, and stays if the server cannot be reached.</p>
<p>On an index page, show a post's count without counting the visitor:</p>
<pre><code>&lt;read-counter article="/posts/hello" readonly&gt;…&lt;/read-counter&gt;</code></pre>
<p>Works with any static site generator. Copy-paste recipes: <a href="/docs/recipes/hugo.md">Hugo</a>, <a href="/docs/recipes/jekyll.md">Jekyll</a>, <a href="/docs/recipes/eleventy.md">Eleventy</a>, <a href="/docs/recipes/astro.md">Astro</a>, <a href="/docs/recipes/ghost.md">Ghost</a>, <a href="/docs/recipes/wordpress.md">WordPress</a>. Attributes, events and styling hooks: <a href="/docs/element.md">the element</a>; many counts at once: <a href="/docs/index-pages.md">index pages</a>; <a href="/docs">all docs</a>.</p>

<h2>How it counts</h2>
<ul>
<li>A reader counts once, after ${dwellSeconds} seconds of actually reading: the page visible and focused.</li>
<li>Every open copy of the post updates live when someone else finishes reading.</li>
<li>No cookies and no storage. Do Not Track and Global Privacy Control mean “show, don’t count”.</li>
<li>To leave out your own visits, run <code>localStorage.readcounter_ignore = "true"</code> in your browser’s console on your blog.</li>
</ul>

<h2>Without JavaScript</h2>
<ul>
<li>Badge: <img class="badge" src="/badge.svg?site=${host}&amp;article=/" alt="reads of this page" height="20"> <code>${o}/badge.svg?site=${host}&amp;article=/</code></li>
<li>JSON: <a href="/api/count?site=${host}&amp;article=/"><code>${o}/api/count?site=${host}&amp;article=/</code></a></li>
<li>Many at once (up to 100): <code>${o}/api/counts?site=${host}&amp;article=/&amp;article=/posts/hello</code></li>
</ul>

<footer><a href="/docs">Docs</a> · server health at <a href="/healthz">/healthz</a> · <a href="/dashboard">dashboard</a> (admin token required)</footer>
</main>
</body>
</html>
`;
}
