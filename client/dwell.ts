/**
 * Extra wait after the server's dwell time before a `read` is sent: the server starts its
 * dwell clock when the `subscribe` frame arrives, a little after the page sent it.
 */
export const READ_MARGIN_MS = 250;

/** Adds up the milliseconds a page was active, from timestamps rather than timer ticks. */
export interface ActiveClock {
  /** Whether time is being added up right now; setting the current state changes nothing. */
  active: boolean;
  /** Active milliseconds so far. */
  elapsed(): number;
}

/** A stopped ActiveClock reading `now()`. */
export function createActiveClock(now: () => number): ActiveClock {
  let total = 0;
  let since = -1;
  const elapsed = (): number => total + (since < 0 ? 0 : now() - since);
  return {
    get active() {
      return since >= 0;
    },
    set active(on) {
      total = elapsed();
      since = on ? now() : -1;
    },
    elapsed,
  };
}

/**
 * Milliseconds until a `read` may be sent, 0 when it may be sent now: the reader needs
 * `dwellMs` of active time, and the connection needs `dwellMs` (plus a margin) since it
 * subscribed. Infinity when only more active time would help and the page is not active.
 */
export function readDueIn(active: boolean, activeMs: number, sinceSubscribeMs: number, dwellMs: number): number {
  const reading = dwellMs - activeMs;
  if (reading > 0 && !active) return Infinity;
  return Math.max(0, reading, dwellMs + READ_MARGIN_MS - sinceSubscribeMs);
}
