// Pure figures for the viral-post scenarios (hot-post, open-*, reconnect-storm): the element's
// reconnect delay, CPU shares, and folding page status from several generators. No I/O here,
// so test/bench/viral-stats.test.ts can pin every rule down.

/** The element's first reconnect ceiling and its cap, as in client/backoff.ts. */
export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 30_000;
/** Retries from a 2 s window after a 1001 close of a stable connection, as in client/backoff.ts. */
export const RESTART_RETRIES = 10;

/**
 * Delay before reconnect attempt `attempt` (0 for the first retry, below 0 for the restart
 * retries after a 1001: a 2 s window), as the element draws it: uniform in [0, min(30 s, 1 s · 2^attempt)).
 * @param {number} attempt @param {() => number} [random]
 */
export function backoffDelayMs(attempt, random = Math.random) {
  return Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt < 0 ? 1 : attempt)));
}

/** Server CPU over a window as a percentage of one core. NaN for an empty window. */
export function cpuPercent(/** @type {number} */ cpuMs, /** @type {number} */ windowMs) {
  return windowMs > 0 ? (cpuMs / windowMs) * 100 : NaN;
}

/** CPU ms per 1,000 connections. NaN when none opened. */
export function perThousand(/** @type {number} */ cpuMs, /** @type {number} */ connections) {
  return connections > 0 ? (cpuMs / connections) * 1000 : NaN;
}

/**
 * How long after `since` a figure last changed: 0 when it had settled before `since`, NaN
 * when it never settled (`settled` false).
 * @param {number} changedAt @param {number} since @param {boolean} [settled]
 */
export function settleMs(changedAt, since, settled = true) {
  if (!settled) return NaN;
  return Number.isFinite(changedAt) ? Math.max(0, changedAt - since) : 0;
}

/**
 * Page status from every generator folded into one: counts summed, the latest `…At` time
 * kept (every process shares CLOCK_MONOTONIC), the earliest `first…At`. Non-numbers (an
 * infinite time crosses IPC as null) are left out.
 * @param {Array<Record<string, number>>} parts
 */
export function foldStatus(parts) {
  /** @type {Record<string, number>} */
  const out = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (typeof value !== 'number') continue;
      if (key.startsWith('first') && key.endsWith('At')) out[key] = key in out ? Math.min(out[key], value) : value;
      else if (key.endsWith('At')) out[key] = key in out ? Math.max(out[key], value) : value;
      else out[key] = (out[key] ?? 0) + value;
    }
  }
  return out;
}
