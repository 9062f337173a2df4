import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { CloseCode, PROTOCOL_VERSION } from '../shared/protocol.js';
import type { Config } from './config.js';
import { createApp } from './app.js';
import { openStore, type Store } from './store.js';
import { acquireDataLock } from './data-lock.js';
import { applyPendingRestore } from './pending-restore.js';
import { createHub, wireFrame, type Hub, type HubPresenceOptions } from './live/hub.js';
import { Connection, type ConnectionContext } from './live/connection.js';
import { checkUpgrade, rejectUpgrade, type UpgradePolicy } from './live/upgrade.js';
import { startHeartbeat } from './live/heartbeat.js';
import { createRefusalLog } from './live/refusal-log.js';
import { createReadRecorder } from './reads.js';
import { listen } from './listen.js';
import { NO_EVENTS, type ServerEvents } from './events.js';
import { createAdminFeatures } from './admin/features.js';
import { createIpLimits } from './trust/ip-limits.js';
import { createSeenKeys } from './trust/dedupe.js';
import { readerOf } from './trust/reader.js';
import { createTopicLimits } from './trust/topic-limits.js';
import { HTTP_SERVER_OPTIONS, guardConnections } from './trust/connection-limits.js';

/**
 * Connections the kernel may queue before we accept them (capped by net.core.somaxconn). After a
 * deploy every open page reconnects within about a second; Node's default of 511 drops the rest
 * of the SYNs, and each dropped page waits a full TCP retransmit before it tries again.
 */
export const LISTEN_BACKLOG = 4096;

/** How often every socket is pinged; a peer that missed the previous pong is terminated. */
export const PING_INTERVAL_MS = 30_000;

/**
 * How long a closed socket waits for the page's answering close frame before it is cut. A
 * page that never answers (it stopped reading) would otherwise hold its socket, and SIGTERM,
 * for ws's 30 s default.
 */
export const CLOSE_GRACE_MS = 2_000;

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
  /** Stops accepting, commits pending reads, closes sockets with 1001, closes LMDB. */
  close(): Promise<void>;
}

/** Opens the store and starts HTTP + WebSocket on config.host:config.port. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { config, now = Date.now, log = console.log, events: extraEvents = NO_EVENTS, pingIntervalMs = PING_INTERVAL_MS, presence } = options;
  // Held until close(): a second server, or `readcounter restore`, on this DATA_DIR is refused.
  const lock = await acquireDataLock(config.dataDir);
  let store: Store;
  try {
    const restored = applyPendingRestore(config.dataDir, now());
    if (restored !== undefined) log(`restored the staged backup into DATA_DIR${restored.kept === undefined ? '' : `; the previous store is kept as ${restored.kept}`}`);
    store = openStore(config.dataDir, log, { maxSites: config.maxSites, maxArticlesPerSite: config.maxArticlesPerSite });
  } catch (error) {
    await lock.release();
    throw error;
  }
  // Before the hub: metrics and the dashboard feed listen to the events the hub and reads report.
  const features = createAdminFeatures({ config, store, hub: () => hub, connections: () => connections.size, now, log, extra: extraEvents });
  const events = features.events;
  const hub = createHub({ loadReads: store.reads, now, minIntervalMs: config.broadcastIntervalMs, onBroadcast: events.broadcast, presence });
  const limits = createIpLimits({ maxConnections: config.maxConnectionsPerIp, maxReadsPerMinute: config.maxReadsPerIpPerMinute, now });
  const seenKey = config.dedupe === 'daily' ? createSeenKeys(store) : undefined;
  const reads = createReadRecorder({ store, hub, now, events, limits, seenKey, maxReadsPerNetworkPerArticlePerDay: config.maxReadsPerIpPerArticlePerDay });
  // `readcounter import` merged counts beside us: open pages get the new totals.
  lock.onImported(() => {
    for (const topic of hub.topics()) hub.publish(topic.site, topic.article, store.reads(topic.site, topic.article));
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
  const connections = new Set<Connection>();
  const byWs = new WeakMap<WebSocket, Connection>();
  // PUBLIC_URL, else what a blogger trying it locally opens: known once listening (PORT=0).
  const upgradePolicy: UpgradePolicy = { allowedSites: config.allowedSites, allowedOrigins: config.allowedOrigins, ownOrigin: config.publicUrl };
  const app = createApp({ store, hub, now, log, admin: features.admin, feed: features.feed, metrics: features.metrics, dwellSeconds: config.dwellSeconds, publicUrl: config.publicUrl, upgradePolicy });
  const logRefusal = createRefusalLog({ log, now, allowedSites: config.allowedSites });
  const server = createAdaptorServer({ fetch: app.fetch, serverOptions: HTTP_SERVER_OPTIONS }) as Server;
  // Behind a proxy every connection comes from the proxy: the per-network cap would cap everyone.
  guardConnections(server, { maxPerNetwork: config.trustProxy === 'none' ? config.maxTcpConnectionsPerIp : undefined, softLimit: config.maxTcpConnections });
  // Not an inline literal: ws has closeTimeout (8.18+), @types/ws does not know it yet.
  const wsOptions = { noServer: true, perMessageDeflate: false, maxPayload: config.maxFrameBytes, clientTracking: false, closeTimeout: CLOSE_GRACE_MS };
  const wss = new WebSocketServer(wsOptions);
  let closing = false;

  // Shared listeners: `this` is the socket, so no closure is kept per connection.
  function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    // Once shutdown began, frames must not reach the hub or the store, which may already be
    // closed; a `read` is answered `shutting_down` while the socket is still open.
    if (closing) byWs.get(this)?.receiveWhileStopping(data, isBinary);
    else byWs.get(this)?.receive(data, isBinary);
  }
  function onPong(this: WebSocket, payload: Buffer): void {
    const connection = byWs.get(this);
    if (connection !== undefined) heartbeat.pong(connection, payload);
  }
  function onClose(this: WebSocket): void {
    const connection = byWs.get(this);
    if (connection === undefined) return;
    connections.delete(connection);
    limits.disconnect(connection.reader.limitKey);
    connection.closed();
  }
  function onError(this: WebSocket): void {
    // ws closes the socket itself (1009 for an oversized frame, 1002 for a protocol error).
  }

  server.on('upgrade', (req, socket, head) => {
    if (closing) return rejectUpgrade(socket, 503, 'shutting_down', 'the server is shutting down');
    const decision = checkUpgrade(req, upgradePolicy);
    if (!decision.ok) {
      events.readRefused(decision.code);
      if (decision.code === 'origin_not_allowed') logRefusal(req.headers.origin!);
      return rejectUpgrade(socket, decision.status, decision.code, decision.message);
    }
    const reader = readerOf(req, decision.site, config);
    if (reader.bot !== undefined) events.botSeen(reader.bot);
    if (!limits.connect(reader.limitKey)) {
      events.readRefused('too_many_connections');
      return rejectUpgrade(socket, 429, 'too_many_connections', `at most ${config.maxConnectionsPerIp} open connections per client IP`);
    }
    // If the handshake itself fails, ws destroys the socket without calling back: give the slot back.
    const releaseSlot = (): void => limits.disconnect(reader.limitKey);
    socket.once('close', releaseSlot);
    // ws writes the 101 response and calls back synchronously; corked, the response and the
    // `hello` frame leave in one write instead of two.
    socket.cork();
    wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off('close', releaseSlot);
      const connection = new Connection(ws, decision.site, reader, context, socket);
      connection.admin = features.admin.upgradeIsAdmin(req);
      connections.add(connection);
      byWs.set(ws, connection);
      ws.on('message', onMessage).on('pong', onPong).on('close', onClose).on('error', onError);
    });
    socket.uncork();
  });

  const heartbeat = startHeartbeat(connections, pingIntervalMs);

  try {
    await listen(server, { port: config.port, host: config.host, backlog: LISTEN_BACKLOG });
    await features.listenMetrics();
  } catch (error) {
    heartbeat.stop();
    server.close();
    await store.close();
    await lock.release();
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
    connections,
    close() {
      closed ??= (async () => {
        closing = true;
        heartbeat.stop();
        const stopped = new Promise((resolve) => server.close(resolve));
        server.closeIdleConnections();
        reads.stop();
        await reads.drain();
        // A whole turn of the event loop, through its I/O phase: frames that already arrived are
        // read, and their reads answered `shutting_down`, before the close frames go out.
        for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
        hub.flush();
        for (const connection of connections) connection.ws.close(CloseCode.goingAway, 'server shutting down');
        hub.close();
        await features.close();
        await store.close();
        await lock.release();
        server.closeAllConnections();
        await stopped;
      })();
      return closed;
    },
  };
}
