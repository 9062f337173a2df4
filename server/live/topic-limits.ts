import type { SubscribeMode } from '../../shared/protocol.js';
import type { Hub, Peer, Topic } from './hub.js';

/** A subscription taken, or why it was refused (nothing changed then). */
export type Admission = { ok: true; topic: Topic } | { ok: false; message: string };

/** Subscriptions bounded per client network and watched articles bounded per site, around the hub. */
export interface TopicLimits {
  /** Subscribes `peer` unless its network or its site is at its cap. */
  subscribe(peer: Peer, network: string, site: string, article: string, mode: SubscribeMode): Admission;
  /** Gives back what subscribe() took. */
  unsubscribe(peer: Peer, network: string, topic: Topic, mode: SubscribeMode): void;
}

/** Options for createTopicLimits(). */
export interface TopicLimitOptions {
  hub: Hub;
  /** Subscriptions all sockets of one network (IP, or IPv6 /64) may hold together. */
  maxPerNetwork: number;
  /** Articles of one site with at least one page on them, server-wide. */
  maxPerSite: number;
}

/**
 * Creates the limits. Each watched article costs the hub about 2.4 KB, so without them one
 * host could make the server hold any number (MAX_CONNECTIONS_PER_IP × MAX_SUBSCRIPTIONS of
 * them per IP, and any number of IPs). Memory: one counter per network with subscriptions
 * and one per site with watched articles.
 */
export function createTopicLimits({ hub, maxPerNetwork, maxPerSite }: TopicLimitOptions): TopicLimits {
  const perNetwork = new Map<string, number>();
  const perSite = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, by: number): void => {
    const value = (map.get(key) ?? 0) + by;
    if (value > 0) map.set(key, value);
    else map.delete(key);
  };

  return {
    subscribe(peer, network, site, article, mode) {
      if ((perNetwork.get(network) ?? 0) >= maxPerNetwork) {
        return { ok: false, message: `this network already holds ${maxPerNetwork} subscriptions (MAX_SUBSCRIPTIONS_PER_IP)` };
      }
      const topic = hub.subscribe(peer, site, article, mode);
      // Alone on the topic: the hub just created it. Only a new article can be over the site's
      // cap; pages on articles already watched always get in.
      if (topic.peers.size === 1) {
        if ((perSite.get(site) ?? 0) >= maxPerSite) {
          hub.unsubscribe(peer, topic, mode);
          return { ok: false, message: `${maxPerSite} articles of this site are already being watched (MAX_WATCHED_ARTICLES_PER_SITE)` };
        }
        add(perSite, site, 1);
      }
      add(perNetwork, network, 1);
      return { ok: true, topic };
    },
    unsubscribe(peer, network, topic, mode) {
      if (!topic.peers.has(peer)) return;
      hub.unsubscribe(peer, topic, mode);
      add(perNetwork, network, -1);
      if (topic.peers.size === 0) add(perSite, topic.site, -1);
    },
  };
}
