/** Failed admin attempts per client network: past the budget, the network waits out its minute. */
export interface LoginThrottle {
  /** Whole seconds until `network` may try again; 0 when it may try now. */
  retryAfter(network: string): number;
  /** Counts a failed attempt (wrong token, form login or session) from `network`. */
  fail(network: string): void;
  /** Networks tracked now. */
  readonly size: number;
}

/** Options for createLoginThrottle(). */
export interface LoginThrottleOptions {
  /** Failed attempts a network may make per minute. */
  maxFailuresPerMinute: number;
  now: () => number;
  log: (message: string) => void;
}

interface Entry {
  windowStart: number;
  failures: number;
  /** When this network last ran out of attempts, for logging a burst once. */
  lockedAt: number;
}

const MINUTE = 60_000;
// A network that ran out again within this long is the same burst: it is not logged again.
const BURST_GAP_MS = 10 * MINUTE;
// Bounds memory against failures from many networks (an IPv6 attacker holds many /64s).
const MAX_NETWORKS = 10_000;

/**
 * Creates the throttle. Keyed by network (limitKey: the IPv4 address, the IPv6 /64), so the
 * right token from any other network is never held back by someone else's guesses.
 */
export function createLoginThrottle({ maxFailuresPerMinute, now, log }: LoginThrottleOptions): LoginThrottle {
  // Long only as a factory: small methods closing over the state above, none over ~40 lines.
  const entries = new Map<string, Entry>();

  function current(network: string, at: number): Entry | undefined {
    const entry = entries.get(network);
    if (entry !== undefined && at - entry.windowStart >= MINUTE) {
      entry.windowStart = at;
      entry.failures = 0;
    }
    return entry;
  }

  function forget(at: number): void {
    for (const [network, entry] of entries) {
      if (at - entry.windowStart >= MINUTE && at - entry.lockedAt >= BURST_GAP_MS) entries.delete(network);
    }
    // Still full: drop the oldest; Map keeps insertion order.
    while (entries.size >= MAX_NETWORKS) entries.delete(entries.keys().next().value!);
  }

  return {
    get size() {
      return entries.size;
    },
    retryAfter(network) {
      const at = now();
      const entry = current(network, at);
      if (entry === undefined || entry.failures < maxFailuresPerMinute) return 0;
      return Math.max(1, Math.ceil((entry.windowStart + MINUTE - at) / 1000));
    },
    fail(network) {
      const at = now();
      let entry = current(network, at);
      if (entry === undefined) {
        if (entries.size >= MAX_NETWORKS) forget(at);
        entry = { windowStart: at, failures: 0, lockedAt: -Infinity };
        entries.set(network, entry);
      }
      if (++entry.failures !== maxFailuresPerMinute) return;
      // The token itself is never logged, right or wrong.
      if (at - entry.lockedAt >= BURST_GAP_MS) {
        log(`admin: ${maxFailuresPerMinute} failed logins or tokens within a minute from network ${network}; its admin requests get 429 until the minute is over (MAX_LOGIN_FAILURES_PER_MINUTE)`);
      }
      entry.lockedAt = at;
    },
  };
}
