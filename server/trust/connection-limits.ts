import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { networkOf } from './client-ip.js';

/**
 * Timeouts for the HTTP server, tighter than Node's (60 s for headers, 300 s for a request,
 * checked every 30 s): a connection that sends nothing, or headers byte by byte, holds a file
 * descriptor for at most about 11 s. A browser sends its headers at once.
 */
export const HTTP_SERVER_OPTIONS = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
} as const;

/**
 * Past the soft limit a network still gets this many connections: room for a health checker,
 * or a new reader's page and its socket, while the networks holding many wait.
 */
export const RESERVE_PER_NETWORK = 4;

/** Options for guardConnections(). */
export interface ConnectionLimitOptions {
  /** TCP connections (pages, API calls and WebSockets) one network may hold; undefined: no cap. */
  maxPerNetwork: number | undefined;
  /** Open connections past which only networks under RESERVE_PER_NETWORK get in. */
  softLimit: number;
}

/** The guard: counts for tests and metrics, and the hand-over of upgraded sockets. */
export interface ConnectionGuard {
  /**
   * The caller will report this socket's close itself (closed()): an upgraded WebSocket already
   * has a close listener of its own, and a second one costs the socket a listener array.
   */
  adopt(socket: Duplex): void;
  /** An adopted socket closed. */
  closed(socket: Duplex): void;
  readonly open: number;
  readonly networks: number;
  readonly refused: number;
}

const REFUSAL = 'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 10\r\nContent-Length: 0\r\n\r\n';

/**
 * Bounds the TCP connections `server` accepts, so one host cannot take every file descriptor:
 * at most `maxPerNetwork` per network (the IPv4 address, or the IPv6 /64), and past
 * `softLimit` in all only RESERVE_PER_NETWORK per network, up to a hard cap 10 % above it.
 * A refused connection gets a bare 503 and is closed at once. Also applies the timeouts of
 * HTTP_SERVER_OPTIONS that can be set after creation.
 */
export function guardConnections(server: Server, { maxPerNetwork, softLimit }: ConnectionLimitOptions): ConnectionGuard {
  // Long only as a factory: small methods closing over the state above, none over ~40 lines.
  const held = new Map<string, number>();
  let open = 0;
  let refused = 0;
  server.headersTimeout = HTTP_SERVER_OPTIONS.headersTimeout;
  server.requestTimeout = HTTP_SERVER_OPTIONS.requestTimeout;
  server.keepAliveTimeout = HTTP_SERVER_OPTIONS.keepAliveTimeout;
  // Node drops connections past this before they reach us: the reserve cannot grow without end
  // when an attacker holds many networks (an IPv6 /48 holds 65,536 /64s).
  server.maxConnections = softLimit + Math.ceil(softLimit / 10);

  // One listener shared by every socket, so an idle connection costs no closure of its own.
  // The network is worked out again from the address Node cached when we first asked for it
  // (it stays readable after the close): a property of our own would grow every socket.
  function release(this: Socket): void {
    const network = networkOf(this.remoteAddress);
    open--;
    const left = (held.get(network) ?? 1) - 1;
    if (left > 0) held.set(network, left);
    else held.delete(network);
  }

  server.on('connection', (socket: Socket) => {
    const network = networkOf(socket.remoteAddress);
    const mine = held.get(network) ?? 0;
    if ((maxPerNetwork !== undefined && mine >= maxPerNetwork) || (open >= softLimit && mine >= RESERVE_PER_NETWORK)) {
      refused++;
      socket.end(REFUSAL);
      socket.destroySoon();
      return;
    }
    open++;
    held.set(network, mine + 1);
    // `on`, not `once`: a socket closes once, and once() would add a wrapper object per socket.
    socket.on('close', release);
  });

  return {
    adopt(socket) {
      socket.off('close', release);
    },
    closed(socket) {
      release.call(socket as Socket);
    },
    get open() { return open; },
    get networks() { return held.size; },
    get refused() { return refused; },
  };
}
