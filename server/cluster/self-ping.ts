/** Options of createSelfPing(). */
export interface SelfPingOptions {
  /** A self-ping not back within this long makes the node unhealthy. */
  windowMs: number;
  /** A monotonic clock in ms. @default performance.now */
  now?: () => number;
}

/**
 * End-to-end health: the node publishes a ping on its own channel and expects it back through
 * its subscription. Publishes that succeed while nothing is delivered (a dead subscription, a
 * stuck Redis) show up here, not as a green /healthz.
 */
export interface SelfPing {
  /** The next ping's payload. */
  ping(): string;
  /** A message arrived on the node's ping channel. */
  pong(payload: string): void;
  /** Why the node is not healthy, or undefined when it is. `subscribed`: the subscriber connection is ready. */
  problem(subscribed: boolean): string | undefined;
}

/** Creates the check; it counts as fresh from its creation (the subscription was just made). */
export function createSelfPing({ windowMs, now = () => performance.now() }: SelfPingOptions): SelfPing {
  let sent = 0;
  let backAt = now();
  return {
    ping: () => String(++sent),
    pong(payload) {
      // Only a ping of this process: a node id reused by another process would not count.
      const n = Number(payload);
      if (Number.isInteger(n) && n >= 1 && n <= sent) backAt = now();
    },
    problem(subscribed) {
      if (!subscribed) return 'the Redis subscription is down; the node is reconnecting';
      const silentMs = now() - backAt;
      if (silentMs > windowMs) return `the node's self-ping through Redis has not come back for ${Math.round(silentMs / 1000)} s`;
      return undefined;
    },
  };
}
