import { redisKeys } from '../store/redis/keys.js';

/** The Redis channel and key names cluster mode adds beside the store's (docs/cluster.md). */
export interface ClusterNames {
  /** Pub/Sub channel: every counted read's new absolute total (published by the store's script). */
  counts: string;
  /** Pub/Sub channel: each node's per-article reader counts (presence-message.ts). */
  presence: string;
  /** Pub/Sub channel only `node` listens to: its self-ping. */
  ping(node: string): string;
  /** String with a TTL: `node` is alive (its heartbeat). */
  heartbeat(node: string): string;
}

/** The names of the install under `prefix`. */
export function clusterNames(prefix: string): ClusterNames {
  return {
    counts: redisKeys(prefix).counts,
    presence: `${prefix}presence`,
    ping: (node) => `${prefix}ping:${node}`,
    heartbeat: (node) => `${prefix}node:${node}`,
  };
}
