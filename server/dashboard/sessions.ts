import { createHmac, randomBytes } from 'node:crypto';
import type { RootDatabase } from 'lmdb';

/** How long a dashboard login lasts: a month of mornings. */
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

/** At most this many live sessions; the oldest are dropped first. */
export const MAX_SESSIONS = 50;

/** Admin login sessions, kept in LMDB beside the counts so a restart keeps people logged in. */
export interface Sessions {
  /** Starts a session; resolves with the cookie value once it is stored. */
  create(now: number): Promise<string>;
  /** True while the session behind this cookie value exists and has not expired. */
  valid(cookie: string | undefined, now: number): boolean;
  /** Ends the session behind this cookie value (logout). */
  revoke(cookie: string | undefined): Promise<void>;
}

/**
 * Opens the session table. Sessions are stored under an HMAC of the cookie value keyed by
 * ADMIN_TOKEN: the file never holds a usable cookie, and changing the token logs everyone out.
 */
export function openSessions(root: RootDatabase, adminToken: string): Sessions {
  const db = root.openDB<number, string>({ name: 'admin-sessions' });
  const keyOf = (cookie: string): string => createHmac('sha256', adminToken).update(cookie).digest('base64url');

  function prune(now: number): void {
    const live: { key: string; expires: number }[] = [];
    for (const { key, value } of db.getRange()) {
      if (value <= now) void db.remove(key);
      else live.push({ key, expires: value });
    }
    live.sort((a, b) => a.expires - b.expires);
    for (const { key } of live.slice(0, Math.max(0, live.length - MAX_SESSIONS + 1))) void db.remove(key);
  }

  return {
    async create(now) {
      prune(now);
      const cookie = randomBytes(32).toString('base64url');
      await db.put(keyOf(cookie), now + SESSION_TTL_MS);
      return cookie;
    },
    valid(cookie, now) {
      if (cookie === undefined || !/^[\w-]{43}$/.test(cookie)) return false;
      const expires = db.get(keyOf(cookie));
      return expires !== undefined && expires > now;
    },
    async revoke(cookie) {
      if (cookie !== undefined && cookie !== '') await db.remove(keyOf(cookie));
    },
  };
}
