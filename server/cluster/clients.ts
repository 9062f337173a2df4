import { createClient } from '@redis/client';
import { StoreError } from '../store/port.js';
import { redactUrl } from '../store/redis/connect.js';

// As the store's client: retry quickly, then once a second, forever.
const MAX_RECONNECT_DELAY_MS = 1000;
const CONNECT_TIMEOUT_MS = 5000;

function createClusterClient(url: string) {
  let ready = false;
  return createClient({
    url,
    // Presence and pings are state sent again on the next tick: never queue them while Redis is away.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Until the first connection, give up (the caller reports it); after it, retry forever.
      reconnectStrategy: (retries: number, cause: Error) => (ready ? Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS) : cause),
    },
  }).once('ready', () => void (ready = true));
}

/** A plain @redis/client connection, as cluster mode uses it. */
export type ClusterClient = ReturnType<typeof createClusterClient>;

/** The two connections a node adds beside the store's: one subscribed, one to publish presence and pings. */
export interface ClusterClients {
  subscriber: ClusterClient;
  publisher: ClusterClient;
  close(): Promise<void>;
}

/** Connects both, or rejects with a StoreError naming REDIS_URL (password hidden). */
export async function connectClusterClients(url: string, onError: (error: Error) => void): Promise<ClusterClients> {
  const publisher = createClusterClient(url).on('error', onError);
  const subscriber = createClusterClient(url).on('error', onError);
  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
  } catch (error) {
    for (const client of [publisher, subscriber]) if (client.isOpen) client.destroy();
    throw new StoreError(`REDIS_URL ${redactUrl(url)} cannot be reached: ${(error as Error).message || (error as Error).name}. Check that Redis runs there and that the address and password are right.`);
  }
  return {
    subscriber,
    publisher,
    async close() {
      await Promise.all([publisher, subscriber].map((client) => (client.isOpen ? client.close() : undefined)));
    },
  };
}
