import { createClient } from '@redis/client';
import { reconnectRules, unreachable } from '../store/redis/connect.js';

// Presence and pings are state sent again on the next tick: like the store's, never queued while Redis is away.
function createClusterClient(url: string) {
  const { ready, ...rules } = reconnectRules();
  return createClient({ url, ...rules }).once('ready', ready);
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
    throw unreachable(url, error);
  }
  return {
    subscriber,
    publisher,
    async close() {
      await Promise.all([publisher, subscriber].map((client) => (client.isOpen ? client.close() : undefined)));
    },
  };
}
