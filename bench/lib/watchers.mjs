// Watchers: sockets that subscribe to articles and note every count they receive in
// watch-log.mjs, so that a phase can be replayed afterwards.
import { addSlot, noteCount, slotLast, slotLeft, slotLive, slotLiveAt } from './watch-log.mjs';
import { RawSocket, now, parseFrame } from './raw-socket.mjs';
import { OPENING_AT_ONCE, connectTarget, failureReasons, generatorName, limited } from './connect.mjs';

/** @type {RawSocket[]} */
const watchers = [];

const watcherHandlers = {
  /** @param {RawSocket} socket */
  onOpen(socket) {
    for (const article of socket.state.articles) socket.send(JSON.stringify({ type: 'subscribe', article, mode: socket.state.mode }));
  },
  /** @param {RawSocket} socket @param {Buffer} data @param {number} start @param {number} end @param {number} at */
  onText(socket, data, start, end, at) {
    const frame = parseFrame(data, start, end);
    // `counted` is the count of a page's own read (reconnect-storm pages read).
    if (frame.type !== 'count' && frame.type !== 'counted') return;
    const slot = socket.state.slots.get(frame.article);
    if (slot === undefined) return;
    const reads = /** @type {number} */ (frame.reads);
    noteCount(slot, frame.article, reads, frame.live ?? -1, at);
    if (!socket.state.ready && ++socket.state.counts === socket.state.articles.length) {
      socket.state.ready = true;
      socket.state.firstAt = at;
      socket.state.done?.(true, at, reads);
    }
  },
  /** @param {RawSocket} socket @param {string} reason */
  onClose(socket, reason) {
    socket.state.closeReason = reason;
    socket.state.done?.(false);
    socket.state.onClose?.(socket, reason);
  },
};

/**
 * Opens `count` watcher sockets; socket i follows `articles` (all of them, or the one at
 * i mod length when `spread`). Resolves once each has its first counts, or failed. Sockets
 * not yet started `withinMs` after the start are not opened at all (counted as failed), so a
 * server that admits pages slowly still ends in bounded time with what it let in.
 */
export async function openWatchers({ count, articles, spread = false, mode = 'watching', first = 0, withinMs = Infinity }) {
  const jobs = [];
  const deadline = now() + withinMs;
  let late = 0;
  for (let i = 0; i < count; i++) {
    const mine = spread ? [articles[(first + i) % articles.length]] : articles;
    jobs.push(() => (now() > deadline ? (late++, false) : openPage(first + i, mine, mode).state.opened));
  }
  const results = await limited(jobs, OPENING_AT_ONCE);
  const reasons = failureReasons(watchers);
  if (late > 0) reasons[`not started within ${withinMs / 1000} s`] = late;
  return { opened: results.filter(Boolean).length, failed: results.filter((r) => !r).length, reasons };
}

/**
 * Opens one page: a socket that follows `articles` in `mode`. Its `state.opened` resolves
 * true once it has a count of each (then `state.firstAt` is when), false on failure or
 * after `timeoutMs`; `state.startedAt` is when the connection was started.
 * @param {number} index @param {string[]} articles @param {string} mode
 */
export function openPage(index, articles, mode, timeoutMs = 30_000) {
  const slots = new Map();
  for (const article of articles) slots.set(article, addSlot(article));
  /** @type {(ok: boolean) => void} */
  let resolve = () => {};
  const opened = new Promise((r) => (resolve = r));
  const startedAt = now();
  const socket = connectPage({ index, articles, mode, slots, startedAt, firstAt: NaN, left: false, opened });
  const timer = setTimeout(() => socket.state.done?.(false), timeoutMs);
  socket.state.done = (/** @type {boolean} */ ok) => {
    clearTimeout(timer);
    socket.state.done = undefined;
    resolve(ok);
  };
  watchers.push(socket);
  return socket;
}

/**
 * A new connection for a page (its first, or a reconnect): same index, source address and
 * slots; it subscribes again when the upgrade is accepted.
 * @param {Record<string, any>} page the page's state, kept across connections
 */
export function connectPage(page) {
  const socket = new RawSocket(connectTarget(page.index, `bench-watcher/${generatorName()}-${page.index}`), watcherHandlers);
  Object.assign(page, { counts: 0, ready: false, closeReason: undefined });
  socket.state = page;
  return socket;
}

/** The page socket that replaced `old` (after a reconnect) takes its place in the list. */
export function replacePage(old, next) {
  const i = watchers.indexOf(old);
  if (i >= 0) watchers[i] = next;
  else watchers.push(next);
}

/** Every page socket this generator holds (open or not). */
export const pages = () => watchers;

/** A page leaves (its tab closes): the socket is closed and the page is no longer counted. */
export function leavePage(/** @type {RawSocket} */ socket) {
  socket.state.left = true;
  for (const slot of socket.state.slots.values()) slotLeft[slot] = 1;
  socket.destroy();
}

/**
 * Pages open on `article` (not left): how many, how many of them are `reading` and have their
 * first count (the true `live` is the sum over generators), how many show `live` and `reads`
 * (when given), and when the last of them last saw its `live` change.
 */
export function pageStatus({ article, live, reads }) {
  let total = 0;
  let reading = 0;
  let holdLive = 0;
  let holdReads = 0;
  let dropped = 0;
  let liveChangedAt = -Infinity;
  for (const socket of watchers) {
    const slot = socket.state.slots.get(article);
    if (slot === undefined || socket.state.left) continue;
    if (!socket.open) {
      if (socket.state.firstAt > 0) dropped++;
      continue;
    }
    total++;
    if (socket.state.ready && socket.state.mode === 'reading') reading++;
    if (slotLive[slot] === live) holdLive++;
    if (slotLast[slot] === reads) holdReads++;
    if (slotLiveAt[slot] > liveChangedAt) liveChangedAt = slotLiveAt[slot];
  }
  return { total, reading, holdLive, holdReads, dropped, liveChangedAt };
}

/** Closes every watcher socket. */
export function closeWatchers() {
  for (const socket of watchers) socket.destroy();
}

/** Watcher sockets open now. */
export const watcherStatus = () => watchers.filter((s) => s.open).length;

