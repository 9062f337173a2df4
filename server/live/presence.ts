/** How long `live` must stay still before a changed figure is sent: churn that stops shows within this. */
export const PRESENCE_QUIET_MS = 500;
/** The longest a changed `live` waits while pages keep coming and going, on a small article. */
export const PRESENCE_MIN_WAIT_MS = 1_000;
/** …and on the largest: the wait grows with the article's pages, up to this (10,000 pages). */
export const PRESENCE_MAX_WAIT_MS = 10_000;
/**
 * Wait per page showing the article while it churns: a presence broadcast costs one frame per
 * page, so waiting this long per page caps presence at 1 / PRESENCE_MS_PER_PAGE frames a second
 * per article (1,000 at 1 ms: a few % of a core), however many pages come and go; past
 * 10,000 pages the maximum wait holds it to pages / 10 a second (2,000 at the file limit).
 */
export const PRESENCE_MS_PER_PAGE = 1;

/** Options for createPresenceCadence(). */
export interface PresenceOptions<T> {
  /** The clock, in ms. */
  now: () => number;
  /** Pages showing the subject now: the wait under churn grows with it. */
  size(subject: T): number;
  /** Called when a subject's changed `live` is due to be sent. */
  due(subject: T): void;
  /** @default PRESENCE_QUIET_MS */
  quietMs?: number;
  /** @default PRESENCE_MIN_WAIT_MS */
  minWaitMs?: number;
  /** @default PRESENCE_MAX_WAIT_MS */
  maxWaitMs?: number;
  /** @default PRESENCE_MS_PER_PAGE */
  msPerPage?: number;
}

/** Decides when a change of `live` alone is sent: never per arrival, always soon after churn stops. */
export interface PresenceCadence<T> {
  /** Notes that the subject's `live` changed. O(1); at most one timer per changing subject. */
  changed(subject: T): void;
  /** Drops a subject's pending change (it went away, or its figure was just sent anyway). */
  forget(subject: T): void;
  /** Subjects with a change not yet due. */
  readonly pending: number;
  close(): void;
}

interface Pending {
  first: number;
  last: number;
  timer: NodeJS.Timeout;
}

/**
 * A debounce with a deadline, per subject: a changed `live` is sent once it has been still for
 * `quietMs`, or once it has waited `clamp(size × msPerPage, minWaitMs, maxWaitMs)` since its
 * first unsent change, whichever comes first. So an arriving page costs O(1) (a note here),
 * a crowd of arrivals costs one broadcast per wait, and every page shows the exact figure
 * `quietMs` after the churn stops.
 */
export function createPresenceCadence<T>(options: PresenceOptions<T>): PresenceCadence<T> {
  // Long only as a factory: small methods closing over the state above, none over ~40 lines.
  const { now, size, due } = options;
  const quietMs = checkMs('quietMs', options.quietMs ?? PRESENCE_QUIET_MS);
  const minWaitMs = checkMs('minWaitMs', options.minWaitMs ?? PRESENCE_MIN_WAIT_MS);
  const maxWaitMs = checkMs('maxWaitMs', options.maxWaitMs ?? PRESENCE_MAX_WAIT_MS);
  const msPerPage = checkMs('msPerPage', options.msPerPage ?? PRESENCE_MS_PER_PAGE);
  if (maxWaitMs < minWaitMs) throw new RangeError(`maxWaitMs (${maxWaitMs}) must be at least minWaitMs (${minWaitMs})`);
  const pending = new Map<T, Pending>();

  const waitFor = (subject: T): number => Math.min(maxWaitMs, Math.max(minWaitMs, size(subject) * msPerPage));

  function check(subject: T): void {
    const entry = pending.get(subject);
    if (entry === undefined) return;
    const at = now();
    const dueAt = Math.min(entry.last + quietMs, entry.first + waitFor(subject));
    if (at >= dueAt) {
      pending.delete(subject);
      due(subject);
      return;
    }
    entry.timer = setTimeout(check, dueAt - at, subject);
  }

  return {
    changed(subject) {
      const at = now();
      const entry = pending.get(subject);
      // The timer is not moved on each change: check() finds the new due time when it fires.
      if (entry !== undefined) entry.last = at;
      else pending.set(subject, { first: at, last: at, timer: setTimeout(check, quietMs, subject) });
    },
    forget(subject) {
      const entry = pending.get(subject);
      if (entry === undefined) return;
      clearTimeout(entry.timer);
      pending.delete(subject);
    },
    get pending() {
      return pending.size;
    },
    close() {
      for (const entry of pending.values()) clearTimeout(entry.timer);
      pending.clear();
    },
  };
}

function checkMs(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number of ms ≥ 0, got ${value}`);
  return value;
}
