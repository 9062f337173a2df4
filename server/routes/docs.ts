import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { ApiError } from '../http/errors.js';
import { escapeHtml } from '../http/escape-html.js';
import { FAVICON } from '../http/favicon.js';

/** Options for docsRoutes(). */
export interface DocsOptions {
  /** Folder holding the Markdown docs (and recipes/). @default docs/ beside server/ (dist/docs/ once built) */
  docsDir?: string;
}

interface Doc {
  path: string;
  title: string;
  text: string;
}

// Only plain names, looked up in a map built at start: no request path ever reaches the file system.
const DOC_NAME = /^[a-z0-9-]+\.md$/;

/**
 * GET /docs — a list of the docs; GET /docs/NAME.md and /docs/recipes/NAME.md — each as
 * UTF-8 plain text, which every browser shows as is: a deployed server carries its own manual
 * for exactly its version, with no renderer to keep safe.
 */
export function docsRoutes({ docsDir = defaultDocsDir() }: DocsOptions = {}): Hono {
  const docs = loadDocs(docsDir);
  const app = new Hono();
  app.get('/docs', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.html(indexPage([...docs.values()]));
  });
  app.get('/docs/*', (c) => {
    const doc = docs.get(c.req.path.slice('/docs/'.length));
    if (doc === undefined) throw new ApiError(404, 'not_found', `no such doc; the list is at /docs`);
    c.header('Cache-Control', 'public, max-age=300');
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(doc.text, 200, { 'Content-Type': 'text/plain; charset=utf-8' });
  });
  return app;
}

function loadDocs(dir: string): Map<string, Doc> {
  const docs = new Map<string, Doc>();
  for (const folder of ['', 'recipes/']) {
    const full = join(dir, folder);
    if (!existsSync(full)) continue;
    for (const name of readdirSync(full).filter((n) => DOC_NAME.test(n)).sort()) {
      const text = readFileSync(join(full, name), 'utf8');
      const title = /^# (.+)$/m.exec(text)?.[1]?.replace(/`/g, '') ?? name;
      docs.set(folder + name, { path: folder + name, title, text });
    }
  }
  return docs;
}

function defaultDocsDir(): string {
  // server/routes/ → docs/ in the checkout; dist/server/routes/ → dist/docs/ (scripts/copy-docs.mjs).
  return fileURLToPath(new URL('../../docs/', import.meta.url));
}

function indexPage(docs: Doc[]): string {
  const item = (d: Doc) => `<li><a href="/docs/${escapeHtml(d.path)}">${escapeHtml(d.title)}</a> <small>${escapeHtml(d.path)}</small></li>`;
  const main = docs.filter((d) => !d.path.startsWith('recipes/'));
  const recipes = docs.filter((d) => d.path.startsWith('recipes/'));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>readcounter docs</title><link rel="icon" href="${FAVICON}">
<style>body{font:17px/1.6 system-ui,sans-serif;max-width:44rem;margin:0 auto;padding:2rem 1.25rem;color-scheme:light dark}small{color:GrayText}</style>
</head><body><h1>readcounter docs</h1><p><a href="/">← readcounter</a></p>
<ul>${main.map(item).join('')}</ul>
<h2>Recipes</h2><ul>${recipes.map(item).join('')}</ul>
</body></html>`;
}
