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
import { createHub, type Hub } from './live/hub.js';
import { Connection, type ConnectionContext } from './live/connection.js';
import { checkUpgrade, rejectUpgrade } from './live/upgrade.js';
import { createRefusalLog } from './live/refusal-log.js';
import { createReadRecorder } from './reads.js';
import { listen } from './listen.js';
import { NO_EVENTS, type ServerEvents } from './events.js';
import { createAdminFeatures } from './admin/features.js';
import { createIpLimits } from './trust/ip-limits.js';
import { createSeenKeys } from './trust/dedupe.js';
import { readerOf } from './trust/reader.js';

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
  const { config, now = Date.now, log = console.log, events: extraEvents = NO_EVENTS, pingIntervalMs = PING_INTERVAL_MS } = options;
  // Held until close(): a second server, or `readcounter restore`, on this DATA_DIR is refused.
  const lock = await acquireDataLock(config.dataDir);
  let store: Store;
  try {
    const restored = applyPendingRestore(config.dataDir, now());
    if (restored !== undefined) log(`restored the staged backup into DATA_DIR${restored.kept === undefined ? '' : `; the previous store is kept as ${restored.kept}`}`);
    store = openStore(config.dataDir, log);
  } catch (error) {
    await lock.release();
    throw error;
  }
  // Before the hub: metrics and the dashboard feed listen to the events the hub and reads report.
  const features = createAdminFeatures({ config, store, hub: () => hub, connections: () => connections.size, now, log, extra: extraEvents });
  const events = features.events;
  const hub = createHub({ loadReads: store.reads, now, minIntervalMs: config.broadcastIntervalMs, onBroadcast: events.broadcast });
  const limits = createIpLimits({ maxConnections: config.maxConnectionsPerIp, maxReadsPerMinute: config.maxReadsPerIpPerMinute, now });
  const seenKey = config.dedupe === 'daily' ? createSeenKeys(store) : undefined;
  const reads = createReadRecorder({ store, hub, now, events, limits, seenKey });
  const context: ConnectionContext = {
    hub,
    reads,
    now,
    dwellMs: config.dwellSeconds * 1000,
    maxSubscriptions: config.maxSubscriptions,
    maxFramesPerSecond: config.maxFramesPerSecond,
    parseLimits: { maxFrameBytes: config.maxFrameBytes, maxArticleBytes: config.maxArticleBytes },
    events,
    hello: JSON.stringify({ type: 'hello', version: PROTOCOL_VERSION, dwellSeconds: config.dwellSeconds }),
    feed: features.feed,
  };
  const connections = new Set<Connection>();
  const byWs = new WeakMap<WebSocket, Connection>();
  const app = createApp({ store, hub, now, log, admin: features.admin, feed: features.feed, metrics: features.metrics, dwellSeconds: config.dwellSeconds, upgradePolicy: { allowedSites: config.allowedSites } });
  const logRefusal = createRefusalLog({ log, now, allowedSites: config.allowedSites });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: config.maxFrameBytes, clientTracking: false });
  let closing = false;

  // Shared listeners: `this` is the socket, so no closure is kept per connection.
  function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    // A socket we are closing still delivers frames until the page answers the close; once
    // shutdown began they must not reach the hub or the store, which may already be closed.
    if (closing) return;
    byWs.get(this)?.receive(data, isBinary);
  }
  function onPong(this: WebSocket): void {
    const connection = byWs.get(this);
    if (connection !== undefined) connection.alive = true;
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
    const decision = checkUpgrade(req, { allowedSites: config.allowedSites });
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
    wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off('close', releaseSlot);
      const connection = new Connection(ws, decision.site, reader, context, socket);
      connection.admin = features.admin.upgradeIsAdmin(req);
      connections.add(connection);
      byWs.set(ws, connection);
      ws.on('message', onMessage).on('pong', onPong).on('close', onClose).on('error', onError);
    });
  });

  const pinger = setInterval(() => {
    for (const connection of connections) {
      if (!connection.alive) {
        connection.ws.terminate();
        continue;
      }
      connection.alive = false;
      connection.ws.ping();
    }
  }, pingIntervalMs);
  pinger.unref();

  try {
    await listen(server, { port: config.port, host: config.host });
    await features.listenMetrics();
  } catch (error) {
    clearInterval(pinger);
    server.close();
    await store.close();
    await lock.release();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
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
        clearInterval(pinger);
        const stopped = new Promise((resolve) => server.close(resolve));
        server.closeIdleConnections();
        reads.stop();
        await reads.drain();
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
