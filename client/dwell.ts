/**
 * Extra wait after the server's dwell time before a `read` is sent: the server starts its
 * dwell clock when the `subscribe` frame arrives, a little after the page sent it.
 */
export const READ_MARGIN_MS = 250;

/** Adds up the milliseconds a page was active, from timestamps rather than timer ticks. */
export class ActiveClock {
  #total = 0;
  #since = -1;
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Whether time is being added up right now. */
  get active(): boolean {
    return this.#since >= 0;
  }

  /** Starts or stops adding up time; repeating the current state changes nothing. */
  set active(on: boolean) {
    this.#total = this.elapsed();
    this.#since = on ? this.#now() : -1;
  }

  /** Active milliseconds so far. */
  elapsed(): number {
    return this.#total + (this.#since < 0 ? 0 : this.#now() - this.#since);
  }
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
