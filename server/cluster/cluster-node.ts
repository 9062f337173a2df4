import { randomBytes } from 'node:crypto';
import type { Hub } from '../live/hub.js';
import type { RedisStore } from '../store/redis/open-redis-store.js';
import { redactUrl } from '../store/redis/connect.js';
import { connectClusterClients } from './clients.js';
import { createCountsFanout } from './counts-fanout.js';
import { createLocalPresence } from './local-presence.js';
import { clusterNames } from './names.js';
import { parsePresence } from './presence-message.js';
import type { RemotePresence } from './remote-presence.js';
import { createSelfPing } from './self-ping.js';

/** The longest gap between two presence messages of a node whose readers keep changing. */
export const PRESENCE_SYNC_MS = 1000;
// While Redis is away, say so in the log at most once a minute.
const LOG_EVERY_MS = 60_000;

/** Cluster mode's windows, all derived from CLUSTER_HEARTBEAT_SECONDS (5 s: 1 s, 10 s, 25 s, 12.5 s, 15 s). */
export interface ClusterTimings {
  heartbeatMs: number;
  /** At most one presence message per this long (only when readers changed). */
  syncMs: number;
  /** A full presence snapshot at least this often: the node's sign of life. */
  snapshotMs: number;
  /** A node not heard from for this long drops out of `live`. */
  staleMs: number;
  /** A self-ping not back within this long turns /healthz 503. */
  pingWindowMs: number;
  /** The heartbeat key's time to live. */
  heartbeatTtlMs: number;
}

/** The windows for a heartbeat every `heartbeatSeconds`. */
export function clusterTimings(heartbeatSeconds: number): ClusterTimings {
  const heartbeatMs = heartbeatSeconds * 1000;
  return { heartbeatMs, syncMs: Math.min(PRESENCE_SYNC_MS, heartbeatMs / 5), snapshotMs: heartbeatMs * 2, staleMs: heartbeatMs * 5, pingWindowMs: heartbeatMs * 2.5, heartbeatTtlMs: heartbeatMs * 3 };
}

/** A random id per process: a restarted node is a new node, and its old self simply goes stale. */
export const newNodeId = (): string => randomBytes(6).toString('hex');

/** Options of startClusterNode(). */
export interface ClusterNodeOptions {
  url: string;
  prefix: string;
  self: string;
  timings: ClusterTimings;
  hub: Pick<Hub, 'publish' | 'topics'>;
  store: Pick<RedisStore, 'readsOf' | 'whenReady'>;
  /** Other nodes' readers: the same table the hub was created with. */
  remote: RemotePresence;
  /** Told of every counted read on any node (the dashboard feed). */
  counted?(site: string, article: string, reads: number): void;
  log: (message: string) => void;
}

/** A running cluster node: its health and its stop. */
export interface ClusterNode {
  /** Why this node cannot serve right now (for /healthz), or undefined. */
  problem(): string | undefined;
  /** Tells the others this node has no readers any more, then closes its connections. */
  close(): Promise<void>;
}

/**
 * Joins the cluster: subscribes to the counts, presence and own ping channels, publishes this
 * node's readers on the presence cadence and a heartbeat with a self-ping, and re-reads every
 * shown count after each reconnect. Rejects with a StoreError when Redis cannot be reached.
 */
export async function startClusterNode(options: ClusterNodeOptions): Promise<ClusterNode> {
  const { url, self, timings, hub, store, remote, counted, log } = options;
  const names = clusterNames(options.prefix);
  let loggedAt = -Infinity;
  const { subscriber, publisher, close } = await connectClusterClients(url, (error) => {
    if (performance.now() - loggedAt < LOG_EVERY_MS) return;
    loggedAt = performance.now();
    log(`cluster: REDIS_URL ${redactUrl(url)} cannot be reached (${error.message || error.name}); live figures and other nodes' counts wait until it can`);
  });
  const selfPing = createSelfPing({ windowMs: timings.pingWindowMs });
  const local = createLocalPresence({ self, hub, publish: (payload) => publisher.publish(names.presence, payload), snapshotMs: timings.snapshotMs });
  const fanout = createCountsFanout({ hub, store, counted, log });
  // Presence and pings are state: a failed publish is sent again on the next tick.
  const ignore = (): void => {};

  await subscriber.subscribe(names.counts, (payload) => fanout.message(payload));
  await subscriber.subscribe(names.presence, (payload) => {
    const message = parsePresence(payload);
    if (message === undefined) return;
    if (message.hello && message.node !== self) local.requestFull();
    remote.apply(message);
  });
  await subscriber.subscribe(names.ping(self), (payload) => selfPing.pong(payload));

  function beat(): void {
    publisher.publish(names.ping(self), selfPing.ping()).catch(ignore);
    publisher.set(names.heartbeat(self), String(Date.now()), { PX: timings.heartbeatTtlMs }).catch(ignore);
  }
  function hello(): void {
    publisher.publish(names.presence, local.hello()).catch(ignore);
  }
  // 'ready' after the first connection means the client reconnected and resubscribed (it
  // emits 'ready' once its SUBSCRIBEs are answered): repair what was missed meanwhile.
  subscriber.on('ready', () => {
    beat();
    hello();
    void fanout.resync();
  });
  publisher.on('ready', () => local.requestFull());
  hello();
  beat();
  const syncTimer = setInterval(() => {
    void local.tick();
    remote.expire();
  }, timings.syncMs);
  const beatTimer = setInterval(beat, timings.heartbeatMs);
  syncTimer.unref();
  beatTimer.unref();

  return {
    problem: () => selfPing.problem(subscriber.isReady),
    async close() {
      clearInterval(syncTimer);
      clearInterval(beatTimer);
      if (publisher.isReady) await Promise.allSettled([publisher.publish(names.presence, local.goodbye()), publisher.del(names.heartbeat(self))]);
      await close();
    },
  };
}
