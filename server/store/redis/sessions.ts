import type { SessionKeys } from '../port.js';
import type { RedisStoreClient } from './connect.js';
import type { Guard } from './guard.js';
import type { RedisKeys } from './keys.js';

/** Admin session keys in one sorted set scored by expiry, shared by every node. */
export function openRedisSessions(client: RedisStoreClient, keys: RedisKeys, guard: Guard): SessionKeys {
  return {
    add: (key, expiresAt, now, max) =>
      guard(async () => void (await client.addSession([keys.sessions], [key, String(expiresAt), String(now), String(max)]))),
    expiresAt: (key) =>
      guard(async () => {
        const score = await client.zScore(keys.sessions, key);
        return score === null ? undefined : score;
      }),
    remove: (key) => guard(async () => void (await client.zRem(keys.sessions, key))),
  };
}
