import { createHmac, randomBytes } from 'node:crypto';
import type { SessionKeys } from '../store/port.js';

/** How long a dashboard login lasts: a month of mornings. */
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

/** At most this many live sessions; the oldest are dropped first. */
export const MAX_SESSIONS = 50;

/** Admin login sessions, kept in the store beside the counts so a restart (or another node) keeps people logged in. */
export interface Sessions {
  /** Starts a session; resolves with the cookie value once it is stored. */
  create(now: number): Promise<string>;
  /** True while the session behind this cookie value exists and has not expired. */
  valid(cookie: string | undefined, now: number): Promise<boolean>;
  /** Ends the session behind this cookie value (logout). */
  revoke(cookie: string | undefined): Promise<void>;
}

/**
 * Opens the session table. Sessions are stored under an HMAC of the cookie value keyed by
 * ADMIN_TOKEN: the file never holds a usable cookie, and changing the token logs everyone out.
 */
export function openSessions(keys: SessionKeys, adminToken: string): Sessions {
  const keyOf = (cookie: string): string => createHmac('sha256', adminToken).update(cookie).digest('base64url');
  return {
    async create(now) {
      const cookie = randomBytes(32).toString('base64url');
      await keys.add(keyOf(cookie), now + SESSION_TTL_MS, now, MAX_SESSIONS);
      return cookie;
    },
    async valid(cookie, now) {
      if (cookie === undefined || !/^[\w-]{43}$/.test(cookie)) return false;
      const expires = await keys.expiresAt(keyOf(cookie));
      return expires !== undefined && expires > now;
    },
    async revoke(cookie) {
      if (cookie !== undefined && cookie !== '') await keys.remove(keyOf(cookie));
    },
  };
}
