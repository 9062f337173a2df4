import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { SessionKeys } from '../store/port.js';
import { openSessions, type Sessions } from './sessions.js';
import { bearerToken, tokenMatches } from './token.js';
import { sessionCookie, sessionCookieFromHeader } from './cookie.js';
import { originIsOwnHost } from '../http/same-host.js';
import { ApiError } from '../http/errors.js';
import { clientIp, limitKey, type ProxyTrust } from '../trust/client-ip.js';
import { createLoginThrottle } from './login-throttle.js';

/** Said wherever an admin feature answers 404 because ADMIN_TOKEN is unset. */
export const ADMIN_OFF_MESSAGE =
  'the dashboard, stats API and export are off because ADMIN_TOKEN is not set: set it to a secret of at least 16 characters (e.g. ADMIN_TOKEN=$(openssl rand -hex 32)) and restart';

/** How a request presented itself: a valid token or session, none at all, or a wrong one. */
export type AdminCheck = 'ok' | 'missing' | 'wrong';

/** Who may see the dashboard, stats, export and metrics. */
export interface Admin {
  /** False when ADMIN_TOKEN is unset: every admin feature answers 404. */
  readonly enabled: boolean;
  /** Login sessions; undefined when admin is off. */
  readonly sessions: Sessions | undefined;
  /**
   * True when `token`, typed into the login form, is the admin token (constant time). A wrong
   * one counts against the client's network; throws ApiError 429 while that network is throttled.
   */
  login(c: Context, token: string): Promise<boolean>;
  /**
   * Checks `Authorization: Bearer` first, then the session cookie. A wrong one counts against
   * the client's network; throws ApiError 429 (with Retry-After) while that network is throttled.
   */
  check(c: Context): Promise<AdminCheck>;
  /**
   * True when a WebSocket upgrade comes from the dashboard: a live session cookie, sent by a
   * page of this server's own origin (SameSite=Strict already keeps it off cross-site upgrades).
   * False at once, without a lookup, for an upgrade with no session cookie (every blog page).
   */
  upgradeIsAdmin(req: IncomingMessage): false | Promise<boolean>;
}

/** Options for createAdmin(). */
export interface AdminOptions {
  /** ADMIN_TOKEN; undefined turns admin off. */
  token: string | undefined;
  /** Where sessions are kept (the store's). */
  sessionKeys: SessionKeys;
  now: () => number;
  /** Where the client IP comes from, for throttling failed attempts per network. @default socket address */
  trust?: ProxyTrust;
  /** MAX_LOGIN_FAILURES_PER_MINUTE. @default 10 */
  maxFailuresPerMinute?: number;
  /** Where a burst of failures is reported, once. @default nowhere */
  log?: (message: string) => void;
}

/** Creates the admin gate. */
export function createAdmin({ token, sessionKeys, now, trust = NO_PROXY, maxFailuresPerMinute = 10, log = () => {} }: AdminOptions): Admin {
  const sessions = token === undefined ? undefined : openSessions(sessionKeys, token);
  const matches = (given: string): boolean => token !== undefined && tokenMatches(given, token);
  const throttle = createLoginThrottle({ maxFailuresPerMinute, now, log });
  // Runs a credential check for the client's network: refused while it is throttled (so a
  // locked-out guesser learns nothing, right token or not), a failure counted against it.
  const attempt = async (c: Context, passes: () => boolean | Promise<boolean>): Promise<boolean> => {
    const network = networkOf(c, trust);
    const wait = throttle.retryAfter(network);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      throw new ApiError(429, 'too_many_attempts', `too many wrong admin tokens from your network; try again in ${wait} s`);
    }
    const ok = await passes();
    if (!ok) throttle.fail(network);
    return ok;
  };

  return {
    enabled: token !== undefined,
    sessions,
    login: (c, given) => attempt(c, () => matches(given)),
    async check(c) {
      if (token === undefined) return 'missing';
      const header = c.req.header('authorization');
      if (header !== undefined) {
        return (await attempt(c, () => matches(bearerToken(header) ?? ''))) ? 'ok' : 'wrong';
      }
      const cookie = sessionCookie(c);
      if (cookie === undefined) return 'missing';
      return (await attempt(c, () => sessions!.valid(cookie, now()))) ? 'ok' : 'wrong';
    },
    upgradeIsAdmin(req) {
      const { origin, host, cookie } = req.headers;
      const session = sessionCookieFromHeader(cookie);
      if (sessions === undefined || session === undefined || !originIsOwnHost(origin, host)) return false;
      // A store that cannot answer (Redis down) shows the feed as not logged in, never crashes.
      return sessions.valid(session, now()).catch(() => false);
    },
  };
}

const NO_PROXY: ProxyTrust = { trustProxy: 'none', xffHop: 1 };

// The client's network as the per-IP limits key it; a request not from a socket (app.request in
// a test) has none, and shares one key.
function networkOf(c: Context, trust: ProxyTrust): string {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming === undefined ? 'unknown' : limitKey(clientIp(incoming, trust));
}
