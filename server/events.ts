/**
 * What the server reports as it runs. metrics.ts turns these into Prometheus figures and the
 * dashboard into its live feed; the core calls them and knows nothing of either.
 * Listeners must be cheap and must not throw: they run on the hot path.
 */
export interface ServerEvents {
  /** A read was counted and committed; `reads` is the new total. */
  readCounted(site: string, article: string, reads: number, at: number): void;
  /** A `read` (or an upgrade) was refused, by error code. */
  readRefused(code: string): void;
  /** A bot was seen at upgrade, by reason (`user_agent`, `empty_user_agent`). */
  botSeen(reason: string): void;
  /** An LMDB commit holding reads took `ms`. */
  committed(ms: number): void;
  /** A broadcast of one article: `ms` from its first change to the last frame handed off. */
  broadcast(ms: number, frames: number): void;
}

/** Events that go nowhere. */
export const NO_EVENTS: ServerEvents = {
  readCounted() {},
  readRefused() {},
  botSeen() {},
  committed() {},
  broadcast() {},
};

/** One sink that forwards every event to each of `sinks`. */
export function combineEvents(...sinks: Partial<ServerEvents>[]): ServerEvents {
  const names = Object.keys(NO_EVENTS) as (keyof ServerEvents)[];
  return Object.fromEntries(
    names.map((name) => {
      const targets = sinks.map((s) => s[name]).filter((f) => f !== undefined) as ((...args: unknown[]) => void)[];
      return [name, (...args: unknown[]) => { for (const target of targets) target(...args); }];
    }),
  ) as unknown as ServerEvents;
}
