import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import { SiteError, siteFromOrigin } from '../../shared/site.js';

/** The outcome of checking an upgrade request: the site it belongs to, or an HTTP refusal. */
export type UpgradeDecision =
  | { ok: true; site: string }
  | { ok: false; status: number; code: string; message: string };

/** What the check needs from the configuration. */
export interface UpgradePolicy {
  /** Normalized sites allowed to connect; empty means any. */
  allowedSites: readonly string[];
  /** The allowed sites as `scheme://site`: the page's scheme must match too. */
  allowedOrigins?: readonly string[];
  /** This server's own origin as `scheme://site` (PUBLIC_URL), always allowed; never a request header. */
  ownOrigin?: string | undefined;
}

/**
 * Decides, from headers alone and before any socket opens, whether a `GET /ws` upgrade may
 * proceed and which site it counts for. The server's own origin (its landing page demo, from
 * PUBLIC_URL, never from `Host`) is always allowed.
 */
export function checkUpgrade(req: IncomingMessage, policy: UpgradePolicy): UpgradeDecision {
  const path = (req.url ?? '').split('?')[0];
  if (path !== '/ws') return refuse(404, 'not_found', 'WebSocket upgrades are served at /ws');
  const origin = req.headers.origin;
  if (origin === undefined || origin === '' || origin === 'null') {
    return refuse(403, 'origin_required', 'an Origin header is required; browsers send one on every WebSocket upgrade');
  }
  let site: string;
  try {
    site = siteFromOrigin(origin);
  } catch (error) {
    if (error instanceof SiteError) return refuse(403, 'bad_origin', error.message);
    throw error;
  }
  if (policy.allowedSites.length > 0 && !isAllowed(origin, site, policy)) {
    return refuse(403, 'origin_not_allowed', `origin ${JSON.stringify(origin)} is not in ALLOWED_ORIGINS`);
  }
  return { ok: true, site };
}

/** Answers a refused upgrade with an HTTP status and a JSON error body, then closes the socket. */
export function rejectUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

// Scheme and site must both match: http://b.test is another origin than https://b.test.
function isAllowed(origin: string, site: string, { allowedSites, allowedOrigins, ownOrigin }: UpgradePolicy): boolean {
  const key = `${new URL(origin).protocol}//${site}`;
  return key === ownOrigin || (allowedOrigins === undefined ? allowedSites.includes(site) : allowedOrigins.includes(key));
}

function refuse(status: number, code: string, message: string): UpgradeDecision {
  return { ok: false, status, code, message };
}
