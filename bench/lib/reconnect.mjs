// A reconnect storm, inside a load generator: when the server goes away, every page comes back
// as the element does (client/connection.ts): after a close it waits a random delay, uniform in
// [0, min(30 s, 1 s · 2^attempt)), attempt 0 for the first retry and +1 per failed
// attempt, reset after 10 s of uptime: to 0, or to −RESTART_RETRIES when that connection ended
// with 1001 (the restart retries, each from a 2 s window). Then it opens a new connection and
// subscribes again.
import { now } from './raw-socket.mjs';
import { backoffDelayMs, RESTART_RETRIES } from './viral-stats.mjs';
import { connectPage, pages, replacePage } from './watchers.mjs';

/** Uptime after which the element starts its backoff over (client/backoff.ts). */
const STABLE_UPTIME_MS = 10_000;

/** The storm being watched, or undefined. */
let storm;
/** @type {Set<ReturnType<typeof setTimeout>>} */
const timers = new Set();

/**
 * The first `count` open pages on `article` each send one `read` (each counts once; the
 * server must keep these reads across the restart).
 */
export function readSome({ article, count }) {
  let sent = 0;
  for (const socket of pages()) {
    if (sent === count) break;
    if (socket.open && socket.state.ready && socket.state.slots.has(article)) sent += socket.send(`{"type":"read","article":${JSON.stringify(article)}}`) ? 1 : 0;
  }
  return { sent };
}

/**
 * Arms every open page on `article` to reconnect when its socket closes. A page is back once
 * its first count after the restart arrives; it is right when that count is `expected`
 * (or any count, when `expected` is null: a server that keeps nothing).
 */
export function armStorm({ article, expected }) {
  storm = { article, expected, pages: 0, firstCloseAt: Infinity, attempts: 0, back: 0, right: 0, wrong: 0, lastBackAt: -Infinity, lastRightAt: -Infinity };
  // A deploy finds pages that have been open a while: their connections count as stable.
  const openedAt = now() - STABLE_UPTIME_MS;
  for (const socket of pages()) {
    if (!socket.open || !socket.state.ready || !socket.state.slots.has(article)) continue;
    storm.pages++;
    Object.assign(socket.state, { onClose: onPageClose, attempt: 0, openedAt, stormBack: false });
  }
  return { pages: storm.pages };
}

/** @param {import('./raw-socket.mjs').RawSocket} socket @param {string} reason */
function onPageClose(socket, reason) {
  const page = socket.state;
  if (storm === undefined || page.left) return;
  const at = now();
  storm.firstCloseAt = Math.min(storm.firstCloseAt, at);
  if (page.openedAt >= 0 && at - page.openedAt >= STABLE_UPTIME_MS) page.attempt = reason === 'close 1001' ? -RESTART_RETRIES : 0;
  page.openedAt = -1;
  const timer = setTimeout(() => {
    timers.delete(timer);
    reconnect(socket);
  }, backoffDelayMs(page.attempt++));
  timers.add(timer);
}

/** @param {import('./raw-socket.mjs').RawSocket} old */
function reconnect(old) {
  if (storm === undefined) return;
  const page = old.state;
  storm.attempts++;
  const next = connectPage(page);
  page.done = (/** @type {boolean} */ ok, /** @type {number} */ at, /** @type {number} */ reads) => {
    page.done = undefined;
    if (!ok || storm === undefined) return;
    page.openedAt = at;
    if (page.stormBack) return;
    page.stormBack = true;
    storm.back++;
    storm.lastBackAt = Math.max(storm.lastBackAt, at);
    if (storm.expected === null || reads === storm.expected) {
      storm.right++;
      storm.lastRightAt = Math.max(storm.lastRightAt, at);
    } else storm.wrong++;
  };
  replacePage(old, next);
}

/** How far the storm has come: pages back, right, wrong, and when. */
export function stormStatus() {
  if (storm === undefined) return { pages: 0 };
  const { pages: total, back, right, wrong, attempts, firstCloseAt, lastBackAt, lastRightAt } = storm;
  return { pages: total, back, right, wrong, attempts, firstCloseAt, lastBackAt, lastRightAt };
}

/** Stops reconnecting (before the sockets are closed for good). */
export function stopStorm() {
  storm = undefined;
  for (const timer of timers) clearTimeout(timer);
  timers.clear();
  for (const socket of pages()) socket.state.onClose = undefined;
  return { stopped: true };
}
