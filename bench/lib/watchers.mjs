// Watchers: sockets that subscribe to articles and log every count they receive, so that a
// phase can be replayed afterwards for latency, convergence and counts going backwards.
import { Histogram, WatcherCheck, summarizeWatchers } from './stats.mjs';
import { RawSocket, now, parseFrame } from './raw-socket.mjs';
import { OPENING_AT_ONCE, connectTarget, failureReasons, generatorName, limited } from './connect.mjs';

/** Every (socket, article) a watcher follows: its slot id indexes the arrays below. */
const slotArticle = /** @type {string[]} */ ([]);
const slotLast = /** @type {number[]} */ ([]);
/** The `live` of the slot's last count (-1 before any), and when it last changed. */
const slotLive = /** @type {number[]} */ ([]);
const slotLiveAt = /** @type {number[]} */ ([]);
/** 1 once the slot's page left on purpose (churn): it is no longer a page to converge. */
const slotLeft = /** @type {number[]} */ ([]);
/** Slots that existed when the phase was armed; pages that arrive later have no base. */
let armedSlots = 0;
/** @type {RawSocket[]} */
const watchers = [];
let armed = /** @type {Set<string>} */ (new Set());
// The receipt log of the armed phase: slot, count, time. Typed arrays, grown by doubling.
let logSlots = new Int32Array(1 << 16);
let logReads = new Float64Array(1 << 16);
let logTimes = new Float64Array(1 << 16);
let logLength = 0;
/** @type {Map<string, number>} expected final count per armed article */
let finals = new Map();

function logReceipt(slot, reads, at) {
  if (logLength === logSlots.length) {
    const grow = (/** @type {any} */ a) => {
      const b = new a.constructor(a.length * 2);
      b.set(a);
      return b;
    };
    logSlots = grow(logSlots);
    logReads = grow(logReads);
    logTimes = grow(logTimes);
  }
  logSlots[logLength] = slot;
  logReads[logLength] = reads;
  logTimes[logLength] = at;
  logLength++;
}

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
    if (reads > slotLast[slot]) slotLast[slot] = reads;
    const live = frame.live ?? -1;
    if (live !== slotLive[slot]) {
      slotLive[slot] = live;
      slotLiveAt[slot] = at;
    }
    if (armed.has(frame.article)) logReceipt(slot, reads, at);
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
  for (const article of articles) {
    slots.set(article, slotArticle.length);
    slotArticle.push(article);
    slotLast.push(-1);
    slotLive.push(-1);
    slotLiveAt.push(NaN);
    slotLeft.push(0);
  }
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

/** Starts logging counts of `articles`; returns the count each watcher holds now. */
export function arm({ articles }) {
  armed = new Set(articles);
  armedSlots = slotArticle.length;
  logLength = 0;
  finals = new Map();
  const bases = {};
  for (let slot = 0; slot < slotArticle.length; slot++) {
    const article = slotArticle[slot];
    if (!armed.has(article) || slotLeft[slot] === 1) continue;
    const b = (bases[article] ??= { min: Infinity, max: -Infinity });
    b.min = Math.min(b.min, slotLast[slot]);
    b.max = Math.max(b.max, slotLast[slot]);
  }
  return { bases };
}

/** How many armed watcher slots hold their article's expected final count. */
export function converged({ expected }) {
  finals = new Map(Object.entries(expected));
  let done = 0;
  let total = 0;
  for (let slot = 0; slot < slotArticle.length; slot++) {
    const final = finals.get(slotArticle[slot]);
    if (final === undefined || slotLeft[slot] === 1) continue;
    total++;
    if (slotLast[slot] === final) done++;
  }
  return { done, total, frames: logLength };
}

/**
 * Replays the phase's log through one WatcherCheck per slot: latency of every read at every
 * watcher, convergence, and counts that went backwards.
 */
export function analyze({ sendTimes, bases }) {
  const histogram = new Histogram();
  /** @type {(WatcherCheck | undefined)[]} */
  const checks = [];
  // Pages that arrived after arm() have no base; pages that left are no longer pages.
  for (let slot = 0; slot < armedSlots; slot++) {
    const article = slotArticle[slot];
    if (!armed.has(article) || slotLeft[slot] === 1) continue;
    checks[slot] = new WatcherCheck(bases[article], sendTimes[article] ?? [], histogram);
  }
  let firstAt = Infinity;
  let lastAt = -Infinity;
  /** Per value sent (article and count): when its first and last copy arrived here. */
  const spans = new Map();
  for (let i = 0; i < logLength; i++) {
    const at = logTimes[i];
    checks[logSlots[i]]?.receive(logReads[i], at);
    if (at < firstAt) firstAt = at;
    if (at > lastAt) lastAt = at;
    const key = `${slotArticle[logSlots[i]]}\n${logReads[i]}`;
    const span = spans.get(key);
    if (span === undefined) spans.set(key, [at, at]);
    else if (at > span[1]) span[1] = at;
  }
  const summary = summarizeWatchers(checks.filter((c) => c !== undefined));
  return { ...summary, firstAt, lastAt, spans: [...spans], histogram: histogram.toJSON() };
}

/** Closes every watcher socket. */
export function closeWatchers() {
  for (const socket of watchers) socket.destroy();
}

/** Watcher sockets open now. */
export const watcherStatus = () => watchers.filter((s) => s.open).length;

