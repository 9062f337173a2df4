import { createClient, defineScript, type CommandParser } from '@redis/client';
import { StoreError } from '../port.js';
import { ADD_SESSION_LUA, DAY_SECRET_LUA, INCREMENT_LUA, MERGE_LUA } from './scripts.js';
import { redactUrl } from './url.js';

// Kept here too: the store's callers import it from this file.
export { redactUrl };

// Reconnect quickly, then once a second: /healthz should turn green within seconds of Redis returning.
const MAX_RECONNECT_DELAY_MS = 1000;
// A refused read should be refused at once, not after a long TCP connect.
const CONNECT_TIMEOUT_MS = 5000;

/** A script called with its keys and arguments; the client sends EVALSHA, and EVAL once on NOSCRIPT. */
function script(lua: string, numberOfKeys: number) {
  return defineScript({
    SCRIPT: lua,
    NUMBER_OF_KEYS: numberOfKeys,
    parseCommand(parser: CommandParser, keys: readonly string[], args: readonly string[]) {
      for (const key of keys) parser.pushKey(key);
      // One by one: an import passes hundreds of thousands of arguments, past what a spread takes.
      for (const arg of args) parser.push(arg);
    },
    transformReply: (reply: unknown): unknown => reply,
  });
}

const SCRIPTS = {
  increment: script(INCREMENT_LUA, 7),
  daySecret: script(DAY_SECRET_LUA, 2),
  merge: script(MERGE_LUA, 0),
  addSession: script(ADD_SESSION_LUA, 1),
};

/**
 * The connection rules every readcounter client shares (the store's, and cluster mode's two):
 * no offline queue, so nothing refused while Redis is away is sent later; the first connect
 * fails fast (the caller reports it); after it, reconnect forever, at most a second apart.
 * Pass `socket` to createClient and call `ready` once the client is first ready.
 */
export function reconnectRules(): { disableOfflineQueue: true; socket: { connectTimeout: number; reconnectStrategy(retries: number, cause: Error): number | Error }; ready(): void } {
  let ready = false;
  return {
    disableOfflineQueue: true,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries, cause) => (ready ? Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS) : cause),
    },
    ready: () => void (ready = true),
  };
}

/** The StoreError of a first connect that failed, naming REDIS_URL (password hidden) and the fix. */
export function unreachable(url: string, error: unknown): StoreError {
  return new StoreError(`REDIS_URL ${redactUrl(url)} cannot be reached: ${(error as Error).message || (error as Error).name}. Check that Redis runs there and that the address and password are right.`);
}

function createRedisClient(url: string) {
  const { ready, ...rules } = reconnectRules();
  return createClient({ url, scripts: SCRIPTS, ...rules }).once('ready', ready);
}

/** The client the Redis store uses, with the store's scripts attached. */
export type RedisStoreClient = ReturnType<typeof createRedisClient>;

/**
 * Connects to `url` and resolves once Redis answers. Rejects with a StoreError naming
 * REDIS_URL (password hidden) when it cannot connect. Errors after that are passed to
 * `onError` (the client reconnects by itself).
 */
export async function connectRedis(url: string, onError: (error: Error) => void): Promise<RedisStoreClient> {
  let client: RedisStoreClient;
  try {
    client = createRedisClient(url);
  } catch (error) {
    throw new StoreError(`REDIS_URL ${redactUrl(url)} cannot be used: ${(error as Error).message}. It must look like redis://host:6379 or rediss://user:password@host:6380.`);
  }
  let opening = true;
  client.on('error', (error: Error) => {
    if (!opening) onError(error);
  });
  try {
    await client.connect();
  } catch (error) {
    if (client.isOpen) client.destroy();
    throw unreachable(url, error);
  }
  opening = false;
  return client;
}
