import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';

/** What the heartbeat needs of a connection: its socket. */
interface Pinged {
  readonly ws: WebSocket;
}

/** The ping loop: every socket is pinged each round and terminated if it missed the last one. */
export interface Heartbeat {
  /** A pong arrived on `connection`'s socket with `payload`. */
  pong(connection: Pinged, payload: Buffer): void;
  stop(): void;
}

const TOKEN_BYTES = 8;

/**
 * Starts pinging `connections` every `intervalMs`. Each ping carries a random token for that
 * socket and round, and only a pong echoing it counts: a script that never reads its socket
 * cannot keep it alive with unsolicited pongs, since it never learns the token.
 */
export function startHeartbeat(connections: Iterable<Pinged>, intervalMs: number): Heartbeat {
  // The token each socket still owes; a socket not in here answered its last ping.
  const owed = new WeakMap<Pinged, Buffer>();
  const timer = setInterval(() => {
    const all = [...connections];
    const tokens = randomBytes(all.length * TOKEN_BYTES);
    all.forEach((connection, i) => {
      if (owed.has(connection)) return connection.ws.terminate();
      const token = tokens.subarray(i * TOKEN_BYTES, (i + 1) * TOKEN_BYTES);
      owed.set(connection, token);
      connection.ws.ping(token);
    });
  }, intervalMs);
  timer.unref();
  return {
    pong(connection, payload) {
      if (owed.get(connection)?.equals(payload) === true) owed.delete(connection);
    },
    stop: () => clearInterval(timer),
  };
}
