import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { PROTOCOL_VERSION } from '../shared/protocol.js';
import type { Config } from './config.js';
import { createApp } from './app.js';
import type { Store } from './store/port.js';
import { openStore } from './open-store.js';
import { clusterTimings, newNodeId, startClusterNode, type ClusterNode } from './cluster/cluster-node.js';
import { createRemotePresence } from './cluster/remote-presence.js';
import { createHub, wireFrame, type Hub, type HubPresenceOptions } from './live/hub.js';
import type { Connection, ConnectionContext } from './live/connection.js';
import type { UpgradePolicy } from './live/upgrade.js';
import { createSockets } from './live/sockets.js';
import { createReadRecorder } from './reads.js';
import { listen } from './listen.js';
import { NO_EVENTS, type ServerEvents } from './events.js';
import { createAdminFeatures } from './dashboard/features.js';
import { createIpLimits } from './trust/ip-limits.js';
import { createSeenKeys } from './trust/dedupe.js';
import { rereadShownCounts } from './live/reread.js';
import { createTopicLimits } from './live/topic-limits.js';
import { HTTP_SERVER_OPTIONS, guardConnections } from './trust/connection-limits.js';

/**
 * Connections the kernel may queue before we accept them (capped by net.core.somaxconn). After a
 * deploy every open page reconnects within about a second; Node's default of 511 drops the rest
 * of the SYNs, and each dropped page waits a full TCP retransmit before it tries again.
 */
export const LISTEN_BACKLOG = 4096;

/** How often every socket is pinged; a peer that missed the previous pong is terminated. */
export const PING_INTERVAL_MS = 30_000;

/** Options for startServer(). */
export interface ServerOptions {
  config: Config;
  /** The server clock in epoch ms: dwell times and UTC days. Tests inject one. @default Date.now */
  now?: () => number;
  /** Where log lines go. @default console.log */
  log?: (message: string) => void;
  /** Where the server reports reads, refusals and broadcasts (metrics, dashboard feed). */
  events?: ServerEvents;
  /** @default PING_INTERVAL_MS */
  pingIntervalMs?: number;
  /** When a change of `live` alone reaches the pages (tests shorten it). @default server/live/presence.ts */
  presence?: HubPresenceOptions;
}

/** A listening server and the parts tests and the CLI may look into. */
export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  hub: Hub;
  /** Open sockets. */
  connections: ReadonlySet<Connection>;
  /** Cluster mode (REDIS_URL): this node's id; undefined on a single node. */
  nodeId: string | undefined;
  /** Stops accepting, commits pending reads, closes sockets with 1001, closes LMDB. */
  close(): Promise<void>;
}

/** Opens the store and starts HTTP + WebSocket on config.host:config.port. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  // Long only as the composition root: it builds each part in dependency order and hands it on; no logic of its own.
  const { config, now = Date.now, log = console.log, events: extraEvents = NO_EVENTS, pingIntervalMs = PING_INTERVAL_MS, presence } = options;
  const opened = await openStore(config, now, log);
  const { store, redis } = opened;
  // Cluster mode: other nodes' readers, added to every `live` by the hub.
  const nodeId = redis === undefined ? undefined : newNodeId();
  const timings = clusterTimings(config.clusterHeartbeatSeconds);
  const remote = nodeId === undefined ? undefined : createRemotePresence({ self: nodeId, staleMs: timings.staleMs, changed: (site, article) => hub.remoteChanged(site, article) });
  const hub = createHub({ loadReads: store.readsNow ?? store.reads, onLoadFailed: (site, article, error) => log(`could not read the count of ${site}${article}: ${(error as Error).message}; its pages get it with the next read`), now, minIntervalMs: config.broadcastIntervalMs, presence, remote });
  // Metrics and the dashboard feed listen to the events reads report, and observe the hub.
  const features = createAdminFeatures({ config, store, hub, connections: () => sockets.connections.size, now, log, extra: extraEvents, feedFromEveryNode: remote !== undefined });
  const events = features.events;
  const limits = createIpLimits({ maxConnections: config.maxConnectionsPerIp, maxReadsPerMinute: config.maxReadsPerIpPerMinute, now });
  const seenKey = config.dedupe === 'daily' ? createSeenKeys(store) : undefined;
  const reads = createReadRecorder({ store, publish: hub.publish, now, events, limits, seenKey, maxReadsPerNetworkPerArticlePerDay: config.maxReadsPerIpPerArticlePerDay });
  // `readcounter import` merged counts beside us: open pages get the new totals.
  opened.onImported(() => {
    void rereadShownCounts(hub, store);
  });
  const context: ConnectionContext = {
    hub,
    topics: createTopicLimits({ hub, maxPerNetwork: config.maxSubscriptionsPerIp, maxPerSite: config.maxWatchedArticlesPerSite }),
    reads,
    now,
    dwellMs: config.dwellSeconds * 1000,
    maxSubscriptions: config.maxSubscriptions,
    maxFramesPerSecond: config.maxFramesPerSecond,
    maxSendBacklogBytes: config.maxSendBacklogBytes,
    parseLimits: { maxFrameBytes: config.maxFrameBytes, maxArticleBytes: config.maxArticleBytes },
    events,
    hello: wireFrame(JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION, dwellSeconds: config.dwellSeconds })),
    feed: features.feed,
  };
  // PUBLIC_URL, else what a blogger trying it locally opens: known once listening (PORT=0).
  const upgradePolicy: UpgradePolicy = { allowedSites: config.allowedSites, allowedOrigins: config.allowedOrigins, ownOrigin: config.publicUrl };
  let cluster: ClusterNode | undefined;
  const app = createApp({ store, hub, now, log, admin: features.admin, feed: features.feed, metrics: features.metrics, dwellSeconds: config.dwellSeconds, publicUrl: config.publicUrl, upgradePolicy, health: () => cluster?.problem() });
  const server = createAdaptorServer({ fetch: app.fetch, serverOptions: HTTP_SERVER_OPTIONS }) as Server;
  // Behind a proxy every connection comes from the proxy: the per-network cap would cap everyone.
  const tcp = guardConnections(server, { maxPerNetwork: config.trustProxy === 'none' ? config.maxTcpConnectionsPerIp : undefined, softLimit: config.maxTcpConnections });
  const sockets = createSockets({ config, context, limits, events, policy: upgradePolicy, tcp, isAdmin: features.admin.upgradeIsAdmin, log, now, pingIntervalMs });
  server.on('upgrade', sockets.upgrade);

  try {
    // Every node's counts and presence reach this node's pages through its subscription.
    if (redis !== undefined && remote !== undefined && nodeId !== undefined) {
      const { feed } = features;
      cluster = await startClusterNode({ url: config.redisUrl!, prefix: config.redisPrefix, self: nodeId, timings, hub, store: redis, remote, counted: (site, article, reads) => feed.counted(site, article, reads, now()), log });
    }
    await listen(server, { port: config.port, host: config.host, backlog: LISTEN_BACKLOG });
    await features.listenMetrics();
  } catch (error) {
    sockets.stopAccepting();
    server.close();
    await cluster?.close();
    await opened.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  upgradePolicy.ownOrigin ??= `http://localhost:${port}`;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  let closed: Promise<void> | undefined;

  return {
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
    port,
    store,
    hub,
    connections: sockets.connections,
    nodeId,
    close() {
      closed ??= (async () => {
        sockets.stopAccepting();
        const stopped = new Promise((resolve) => server.close(resolve));
        server.closeIdleConnections();
        reads.stop();
        await reads.drain();
        // A whole turn of the event loop, through its I/O phase: frames that already arrived are
        // read, and their reads answered `shutting_down`, before the close frames go out.
        for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
        hub.flush();
        sockets.closeAll();
        // Before the hub: no other node's presence may reach a closed hub.
        await cluster?.close();
        hub.close();
        await features.close();
        await opened.close();
        server.closeAllConnections();
        await stopped;
      })();
      return closed;
    },
  };
}
