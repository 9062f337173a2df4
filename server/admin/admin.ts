import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { RootDatabase } from 'lmdb';
import { openSessions, type Sessions } from './sessions.js';
import { bearerToken, tokenMatches } from './token.js';
import { sessionCookie, sessionCookieFromHeader } from './cookie.js';
import { originIsOwnHost } from '../http/same-host.js';

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
  /** True when `token` is the admin token (constant time). */
  tokenMatches(token: string): boolean;
  /** Checks `Authorization: Bearer` first, then the session cookie. */
  check(c: Context): AdminCheck;
  /**
   * True when a WebSocket upgrade comes from the dashboard: a live session cookie, sent by a
   * page of this server's own origin (SameSite=Strict already keeps it off cross-site upgrades).
   */
  upgradeIsAdmin(req: IncomingMessage): boolean;
}

/** Options for createAdmin(). */
export interface AdminOptions {
  /** ADMIN_TOKEN; undefined turns admin off. */
  token: string | undefined;
  root: RootDatabase;
  now: () => number;
}

/** Creates the admin gate. */
export function createAdmin({ token, root, now }: AdminOptions): Admin {
  const sessions = token === undefined ? undefined : openSessions(root, token);
  const matches = (given: string): boolean => token !== undefined && tokenMatches(given, token);

  return {
    enabled: token !== undefined,
    sessions,
    tokenMatches: matches,
    check(c) {
      if (token === undefined) return 'missing';
      const header = c.req.header('authorization');
      if (header !== undefined) {
        const given = bearerToken(header);
        return given !== undefined && matches(given) ? 'ok' : 'wrong';
      }
      const cookie = sessionCookie(c);
      if (cookie === undefined) return 'missing';
      return sessions!.valid(cookie, now()) ? 'ok' : 'wrong';
    },
    upgradeIsAdmin(req) {
      const { origin, host, cookie } = req.headers;
      if (sessions === undefined || !originIsOwnHost(origin, host)) return false;
      return sessions.valid(sessionCookieFromHeader(cookie), now());
    },
  };
}
