/** Per-IP limits: open connections, and counted reads per minute. */
export interface IpLimits {
  /** Takes a connection slot for `key`; false when the IP already has the maximum open. */
  connect(key: string): boolean;
  /** Gives the slot back when the socket closes. */
  disconnect(key: string): void;
  /** Takes one read from `key`'s budget for the current minute; false when it is spent. */
  takeRead(key: string): boolean;
  /** IPs tracked now (for tests and metrics). */
  readonly size: number;
}

/** Options for createIpLimits(). */
export interface IpLimitOptions {
  maxConnections: number;
  maxReadsPerMinute: number;
  now: () => number;
}

interface Entry {
  connections: number;
  windowStart: number;
  reads: number;
}

const MINUTE = 60_000;

/**
 * Creates the limits. Entries live while an IP has sockets open or a read window running,
 * so a client cannot reset its read budget by reconnecting, and memory stays bounded by
 * the IPs active in the last minute.
 */
export function createIpLimits({ maxConnections, maxReadsPerMinute, now }: IpLimitOptions): IpLimits {
  // Long only as a factory: small methods closing over the state above, none over ~40 lines.
  const entries = new Map<string, Entry>();
  let lastSweep = now();

  function entry(key: string): Entry {
    let found = entries.get(key);
    if (found === undefined) {
      found = { connections: 0, windowStart: -Infinity, reads: 0 };
      entries.set(key, found);
    }
    return found;
  }

  function sweep(at: number): void {
    if (at - lastSweep < MINUTE) return;
    lastSweep = at;
    for (const [key, e] of entries) if (e.connections === 0 && at - e.windowStart >= MINUTE) entries.delete(key);
  }

  return {
    get size() {
      return entries.size;
    },
    connect(key) {
      sweep(now());
      const e = entry(key);
      if (e.connections >= maxConnections) return false;
      e.connections++;
      return true;
    },
    disconnect(key) {
      const e = entries.get(key);
      if (e !== undefined) e.connections = Math.max(0, e.connections - 1);
    },
    takeRead(key) {
      const at = now();
      const e = entry(key);
      if (at - e.windowStart >= MINUTE) {
        e.windowStart = at;
        e.reads = 0;
      }
      if (e.reads >= maxReadsPerMinute) return false;
      e.reads++;
      return true;
    },
  };
}
