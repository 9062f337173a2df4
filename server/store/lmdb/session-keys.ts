import type { RootDatabase } from 'lmdb';
import type { SessionKeys } from '../port.js';

/** Admin session keys in the `admin-sessions` table, each with its expiry time. */
export function openSessionKeys(root: RootDatabase): SessionKeys {
  const db = root.openDB<number, string>({ name: 'admin-sessions' });
  return {
    async add(key, expiresAt, now, max) {
      const live: { key: string; expires: number }[] = [];
      for (const { key: stored, value } of db.getRange()) {
        if (value <= now) void db.remove(stored);
        else live.push({ key: stored, expires: value });
      }
      live.sort((a, b) => a.expires - b.expires);
      for (const { key: dropped } of live.slice(0, Math.max(0, live.length - max + 1))) void db.remove(dropped);
      await db.put(key, expiresAt);
    },
    expiresAt: async (key) => db.get(key),
    async remove(key) {
      await db.remove(key);
    },
  };
}
