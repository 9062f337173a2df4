import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';
import { ApiError } from '../http/errors.js';

// Built by scripts/build-dashboard.mjs. From dist/server/dashboard/ it is beside counter.js;
// from the TypeScript sources (tests) it is in dist/ at the repository root.
const CANDIDATES = ['../../client/dashboard.js', '../../dist/client/dashboard.js'].map((p) => fileURLToPath(new URL(p, import.meta.url)));

let cached: string | undefined;

/** Answers GET /dashboard/live.js with the built live script. */
export function dashboardScript(c: Context): Response {
  cached ??= load();
  c.header('Cache-Control', 'no-cache');
  return c.body(cached, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
}

function load(): string {
  for (const path of CANDIDATES) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      // try the next place
    }
  }
  throw new ApiError(503, 'not_built', 'the dashboard script is not built: run npm run build');
}
