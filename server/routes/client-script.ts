import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { RETAINED_304_HEADERS, etag } from 'hono/etag';
import { ApiError } from '../http/errors.js';

/** Options for clientScriptRoutes(). */
export interface ClientScriptOptions {
  /** The built bundle. @default dist/client/counter.js under the project root */
  scriptPath?: string;
}

/**
 * Five minutes: bloggers paste one unversioned URL into their templates, so a long max-age
 * would pin readers to an old element after an upgrade; the ETag makes the revalidation
 * that follows a cheap 304.
 */
const CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=86400';

interface Variant {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}

/** GET /counter.js — the <read-counter> element, built by scripts/build-client.mjs. */
export function clientScriptRoutes({ scriptPath = defaultScriptPath() }: ClientScriptOptions = {}): Hono {
  let variants: { plain: Variant; gzip: Variant } | undefined;
  const load = () => {
    if (variants) return variants;
    if (!existsSync(scriptPath)) {
      throw new ApiError(503, 'client_not_built', `${scriptPath} is missing: run \`npm run build\` to build the element`);
    }
    const plain = new Uint8Array(readFileSync(scriptPath));
    const hash = createHash('sha256').update(plain).digest('base64url').slice(0, 22);
    // Compressed once here: the file never changes while the process runs.
    variants = { plain: { body: plain, etag: `"${hash}"` }, gzip: { body: new Uint8Array(gzipSync(plain, { level: 9 })), etag: `"${hash}-gz"` } };
    return variants;
  };

  // The ETag is set below from the file's hash, computed once; etag() answers If-None-Match.
  const revalidate = etag({ retainedHeaders: [...RETAINED_304_HEADERS, 'access-control-allow-origin', 'cross-origin-resource-policy'] });
  return new Hono().get('/counter.js', revalidate, (c) => {
    const all = load();
    const variant = /\bgzip\b/.test(c.req.header('Accept-Encoding') ?? '') ? all.gzip : all.plain;
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', CACHE_CONTROL);
    c.header('ETag', variant.etag);
    c.header('Vary', 'Accept-Encoding');
    // Loaded from every blog's origin, including pages served with COEP.
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    c.header('X-Content-Type-Options', 'nosniff');
    if (variant === all.gzip) c.header('Content-Encoding', 'gzip');
    return c.body(variant.body);
  });
}

// From dist/server/routes/ when built, from server/routes/ under vitest: the project root
// is the nearest folder above with a package.json either way.
function defaultScriptPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'client', 'counter.js');
}
