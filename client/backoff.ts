/** Ceiling of the first reconnect delay, in ms; it doubles with each failed attempt. */
export const BACKOFF_BASE_MS = 1000;

/**
 * Largest reconnect delay ceiling, in ms. Half a minute keeps a restarted server from a
 * stampede of every open page, yet a reader who stays on the page sees it come back soon.
 */
export const BACKOFF_CAP_MS = 30_000;

/**
 * Uptime after which a connection counts as stable and the backoff starts over. A server
 * that accepts and then drops us at once (crash loop, 1008) must not reset it.
 */
export const STABLE_UPTIME_MS = 10_000;

/**
 * Retries, each uniform in [0, 2 s), after the server closed a stable connection with 1001
 * (going away: it restarts, and is back within seconds), before the usual backoff from its
 * first window: retries that fail while it restarts must not push every page to windows of
 * 4–16 s. About 10 s of restart (a deploy's stop and start) covered at one knock per page a second on average. Once
 * per stable connection, so a server that keeps restarting is still backed off from.
 */
export const RESTART_RETRIES = 10;

/**
 * Delay before reconnect attempt `attempt` (0 for the first; below 0 for the restart
 * retries, which draw from a 2 s window): "full jitter", drawn afresh for every attempt,
 * uniform in [0, min(cap, base · 2^attempt)), so pages dropped together do not come back
 * together.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt < 0 ? 1 : attempt)));
}
