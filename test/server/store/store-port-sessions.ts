import { describe, expect, it } from 'vitest';
import { freshStore, type OpenStorePort } from './store-port-handle.js';

/** Admin session keys. */
export function describeSessions(name: string, open: OpenStorePort): void {
  describe(`${name}: sessions`, () => {
    const t = freshStore(open);

    it('stores a key until it expires, and forgets it on remove', async () => {
      await t.store.sessions.add('k1', 5000, 1000, 50);
      expect(await t.store.sessions.expiresAt('k1')).toBe(5000);
      expect(await t.store.sessions.expiresAt('unknown')).toBeUndefined();
      await t.store.sessions.remove('k1');
      expect(await t.store.sessions.expiresAt('k1')).toBeUndefined();
    });

    it('drops expired keys when another is added', async () => {
      await t.store.sessions.add('old', 2000, 1000, 50);
      await t.store.sessions.add('live', 9000, 1000, 50);
      await t.store.sessions.add('new', 9000, 2000, 50);
      expect(await t.store.sessions.expiresAt('old')).toBeUndefined();
      expect(await t.store.sessions.expiresAt('live')).toBe(9000);
    });

    it('keeps at most max keys, dropping the soonest-expiring first', async () => {
      await t.store.sessions.add('b', 3000, 0, 3);
      await t.store.sessions.add('a', 2000, 0, 3);
      await t.store.sessions.add('c', 4000, 0, 3);
      await t.store.sessions.add('d', 5000, 0, 3);
      expect(await t.store.sessions.expiresAt('a')).toBeUndefined();
      expect(await Promise.all(['b', 'c', 'd'].map((key) => t.store.sessions.expiresAt(key)))).toEqual([3000, 4000, 5000]);
    });
  });
}
