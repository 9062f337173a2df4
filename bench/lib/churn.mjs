// Churn on a hot post, inside a load generator: pages arrive (new connections that subscribe)
// and leave (their socket closes, as a tab does) at steady rates for a window. Each arrival's
// time from connection start to its first count is measured: how long a reader waits to get in.
import { Histogram } from './stats.mjs';
import { now } from './raw-socket.mjs';
import { leavePage, openPage, pages } from './watchers.mjs';

/** An arrival without its first count after this long is counted as failed (the target is 1 s). */
const ARRIVAL_TIMEOUT_MS = 10_000;
/** Arriving pages are numbered from here, apart from the first pages (user agent, source address). */
let nextIndex = 1_000_000;

/**
 * For `durationMs`, opens `arrivePerSecond` new pages on `article` in `mode` and closes
 * `leavePerSecond` open ones, picked at random (arrivals included). Resolves once every
 * arrival has its first count or failed (10 s at most each).
 */
export async function churn({ article, mode = 'reading', arrivePerSecond, leavePerSecond, durationMs }) {
  const candidates = pages().filter((s) => s.open && !s.state.left && s.state.ready && s.state.slots.has(article));
  const latency = new Histogram();
  /** @type {Promise<void>[]} */
  const pending = [];
  let arrivals = 0;
  let arrived = 0;
  let failed = 0;
  let left = 0;
  let lastArrivalAt = -Infinity;
  const arrive = () => {
    const socket = openPage(nextIndex++, [article], mode, ARRIVAL_TIMEOUT_MS);
    pending.push(socket.state.opened.then((/** @type {boolean} */ ok) => {
      // A failed arrival still waited: its time so far goes in, so the p99 is a lower bound, not
      // a hole. The reader gives up and closes the tab, so no page is left half in.
      if (!ok) {
        failed++;
        latency.add(now() - socket.state.startedAt);
        leavePage(socket);
        return;
      }
      arrived++;
      latency.add(socket.state.firstAt - socket.state.startedAt);
      lastArrivalAt = Math.max(lastArrivalAt, socket.state.firstAt);
      candidates.push(socket);
    }));
  };
  const leave = () => {
    while (candidates.length > 0) {
      const i = Math.floor(Math.random() * candidates.length);
      const socket = candidates[i];
      candidates[i] = candidates[candidates.length - 1];
      candidates.pop();
      if (!socket.open || socket.state.left) continue;
      leavePage(socket);
      left++;
      return true;
    }
    return false;
  };
  const start = now();
  let leaves = 0;
  await new Promise((resolve) => {
    const tick = setInterval(() => {
      const elapsed = Math.min(now() - start, durationMs);
      for (const due = Math.floor((elapsed * arrivePerSecond) / 1000); arrivals < due; arrivals++) arrive();
      // A leave with no open page to close is not offered: it shows as left < planned.
      for (const due = Math.floor((elapsed * leavePerSecond) / 1000); leaves < due; leaves++) leave();
      if (elapsed >= durationMs) {
        clearInterval(tick);
        resolve(undefined);
      }
    }, 5);
  });
  const stopAt = now();
  await Promise.all(pending);
  return { start, stopAt, lastArrivalAt, arrivals, arrived, failed, leaves, left, latency: latency.toJSON() };
}
