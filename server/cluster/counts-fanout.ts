import type { Hub } from '../live/hub.js';
import type { RedisStore } from '../store/redis/open-redis-store.js';
import { parseCountMessage } from '../store/redis/keys.js';
import { rereadShownCounts } from '../live/reread.js';

/** Options of createCountsFanout(). */
export interface CountsFanoutOptions {
  hub: Pick<Hub, 'publish' | 'topics'>;
  /** The store's own connection may come back after the subscriber's: resync waits for it. */
  store: Pick<RedisStore, 'readsOf' | 'whenReady'>;
  /** Told of every counted read on any node, as its message arrives (the dashboard feed). @default nobody */
  counted?(site: string, article: string, reads: number): void;
  log: (message: string) => void;
}

/** Every node's counted reads, from the counts channel, onto this node's pages. */
export interface CountsFanout {
  /** A payload from the counts channel: an article's new absolute total. */
  message(payload: string): void;
  /**
   * Re-reads the count of every article this node's pages show (one round trip per site) and
   * publishes it. Run after every (re)subscribe: Pub/Sub is at most once, and a message sent
   * while the subscription was down is gone (socket.io#4845).
   */
  resync(): Promise<void>;
}

/** Creates the fan-out. A message is an absolute total, so a lost, repeated or late one is harmless (latest wins in the hub). */
export function createCountsFanout({ hub, store, counted, log }: CountsFanoutOptions): CountsFanout {
  return {
    message(payload) {
      const count = parseCountMessage(payload);
      if (count === undefined) return;
      hub.publish(count.site, count.article, count.reads);
      // An import's new total is not a read: the dashboard's feed shows reads only.
      if (!count.merged) counted?.(count.site, count.article, count.reads);
    },
    async resync() {
      await store.whenReady();
      const failed = await rereadShownCounts(hub, store);
      if (failed !== undefined) log(`could not re-read the counts after reconnecting to Redis (${failed.message}); pages get them with the next read`);
    },
  };
}
