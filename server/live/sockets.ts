import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { CloseCode } from '../../shared/protocol.js';
import type { Config } from '../config.js';
import type { ServerEvents } from '../events.js';
import type { IpLimits } from '../trust/ip-limits.js';
import { readerOf, type Reader } from '../trust/reader.js';
import { Connection, type ConnectionContext } from './connection.js';
import { checkUpgrade, rejectUpgrade, type UpgradePolicy } from './upgrade.js';
import { startHeartbeat } from './heartbeat.js';
import { createRefusalLog } from './refusal-log.js';
import type { ConnectionGuard } from '../trust/connection-limits.js';

/**
 * How long a closed socket waits for the page's answering close frame before it is cut. A
 * page that never answers (it stopped reading) would otherwise hold its socket, and SIGTERM,
 * for ws's 30 s default.
 */
export const CLOSE_GRACE_MS = 2_000;

/** What the socket lifecycle needs: settings, the per-connection context and the trust checks. */
export interface SocketsOptions {
  config: Config;
  context: ConnectionContext;
  limits: IpLimits;
  events: ServerEvents;
  /** Who may connect; `ownOrigin` may be filled in once the server listens. */
  policy: UpgradePolicy;
  /** The TCP connection guard, told when an upgraded socket closes (it stops listening itself). */
  tcp: Pick<ConnectionGuard, 'adopt' | 'closed'>;
  /** Whether an upgrade carried a live admin session (the dashboard's socket). */
  isAdmin(req: IncomingMessage): false | Promise<boolean>;
  log: (message: string) => void;
  now: () => number;
  pingIntervalMs: number;
}

/** Every page's socket, from upgrade to close. */
export interface Sockets {
  /** The `upgrade` listener of the HTTP server. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Open connections. */
  readonly connections: ReadonlySet<Connection>;
  /** Refuses new upgrades and answers frames with `shutting_down` from now on; stops pinging. */
  stopAccepting(): void;
  /** Closes every socket with 1001. */
  closeAll(): void;
}

/**
 * The socket lifecycle, named by its steps: upgrade (every refusal, as an HTTP status before
 * the socket opens) → open (a Connection) → message → close, with the ping loop beside them.
 * Every socket's events reach the same code through its class (`this` is the socket), so no
 * closure or listener is kept per connection.
 */
export function createSockets(options: SocketsOptions): Sockets {
  // Long only as a factory: the lifecycle's steps (upgrade, open, message, close, stop) share the sockets' state.
  const { config, context, limits, events, policy, pingIntervalMs } = options;
  const connections = new Set<Connection>();
  const logRefusal = createRefusalLog({ log: options.log, now: options.now, allowedSites: config.allowedSites });
  const heartbeat = startHeartbeat(connections, pingIntervalMs);
  let stopping = false;

  // A page's socket hands its events to its Connection from emit(), instead of holding
  // listeners: ws keeps each socket's listeners in an object of their own, and four of them
  // cost an idle page ~250 bytes of heap (a WeakMap from socket to Connection ~30 more).
  class PageSocket extends WebSocket {
    connection: Connection | undefined = undefined;

    override emit(event: string | symbol, ...args: unknown[]): boolean {
      const connection = this.connection;
      if (connection !== undefined) {
        if (event === 'message') {
          // Once shutdown began, frames must not reach the hub or the store, which may already
          // be closed; a `read` is answered `shutting_down` while the socket is still open.
          if (stopping) connection.receiveWhileStopping(args[0] as RawData, args[1] as boolean);
          else connection.receive(args[0] as RawData, args[1] as boolean);
        } else if (event === 'pong') heartbeat.pong(connection, args[0] as Buffer);
        else if (event === 'close') onClose(connection);
      }
      // An `error` needs no handling: ws closes the socket itself (1009 for an oversized frame,
      // 1002 for a protocol error). Listeners added by others (tests) still hear the rest.
      return event === 'error' ? this.listenerCount('error') > 0 && super.emit(event, ...args) : super.emit(event, ...args);
    }
  }
  // Not an inline literal: ws has closeTimeout (8.18+), @types/ws does not know it yet.
  const wsOptions = { noServer: true, perMessageDeflate: false, maxPayload: config.maxFrameBytes, clientTracking: false, closeTimeout: CLOSE_GRACE_MS, WebSocket: PageSocket };
  const wss = new WebSocketServer(wsOptions);

  function onClose(connection: Connection): void {
    connections.delete(connection);
    limits.disconnect(connection.limitKey);
    options.tcp.closed(connection.socket);
    // A stopping server drops its topics whole: unsubscribing 19,000 pages one by one would
    // only delay the exit.
    if (!stopping) connection.closed();
  }

  function open(ws: PageSocket, socket: Duplex, req: IncomingMessage, site: string, reader: Reader): void {
    options.tcp.adopt(socket);
    const connection = new Connection(ws, site, reader, context, socket);
    connection.admin = options.isAdmin(req);
    connections.add(connection);
    ws.connection = connection;
  }

  return {
    connections,
    upgrade(req, socket, head) {
      if (stopping) return rejectUpgrade(socket, 503, 'shutting_down', 'the server is shutting down');
      const decision = checkUpgrade(req, policy);
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
        open(ws, socket, req, decision.site, reader);
      });
      socket.uncork();
    },
    stopAccepting() {
      stopping = true;
      heartbeat.stop();
    },
    closeAll() {
      for (const connection of connections) connection.ws.close(CloseCode.goingAway, 'server shutting down');
    },
  };
}
