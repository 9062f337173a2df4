// Watchers: sockets that subscribe to articles and log every count they receive, so that a
// phase can be replayed afterwards for latency, convergence and counts going backwards.
import { Histogram, WatcherCheck, summarizeWatchers } from './stats.mjs';
import { RawSocket, parseFrame } from './raw-socket.mjs';
import { OPENING_AT_ONCE, connectTarget, failureReasons, generatorName, limited } from './connect.mjs';

/** Every (socket, article) a watcher follows: its slot id indexes the arrays below. */
const slotArticle = /** @type {string[]} */ ([]);
const slotLast = /** @type {number[]} */ ([]);
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
    if (frame.type !== 'count') return;
    const slot = socket.state.slots.get(frame.article);
    if (slot === undefined) return;
    const reads = /** @type {number} */ (frame.reads);
    if (reads > slotLast[slot]) slotLast[slot] = reads;
    if (armed.has(frame.article)) logReceipt(slot, reads, at);
    if (!socket.state.ready && ++socket.state.counts === socket.state.articles.length) {
      socket.state.ready = true;
      socket.state.done?.(true);
    }
  },
  /** @param {RawSocket} socket @param {string} reason */
  onClose(socket, reason) {
    socket.state.closeReason = reason;
    socket.state.done?.(false);
  },
};

/**
 * Opens `count` watcher sockets; socket i follows `articles` (all of them, or the one at
 * i mod length when `spread`). Resolves once each has its first counts, or failed.
 */
export async function openWatchers({ count, articles, spread = false, mode = 'watching', first = 0 }) {
  const jobs = [];
  for (let i = 0; i < count; i++) {
    const mine = spread ? [articles[(first + i) % articles.length]] : articles;
    jobs.push(() => openWatcher(first + i, mine, mode));
  }
  const results = await limited(jobs, OPENING_AT_ONCE);
  return { opened: results.filter(Boolean).length, failed: results.filter((r) => !r).length, reasons: failureReasons(watchers) };
}

function openWatcher(index, articles, mode) {
  return new Promise((resolve) => {
    const slots = new Map();
    for (const article of articles) {
      slots.set(article, slotArticle.length);
      slotArticle.push(article);
      slotLast.push(-1);
    }
    const timer = setTimeout(() => resolve(false), 30_000);
    const socket = new RawSocket(connectTarget(index, `bench-watcher/${generatorName()}-${index}`), watcherHandlers);
    socket.state = { articles, mode, slots, counts: 0, ready: false, closeReason: undefined, done: (ok) => {
      clearTimeout(timer);
      socket.state.done = undefined;
      resolve(ok);
    } };
    watchers.push(socket);
  });
}

/** Starts logging counts of `articles`; returns the count each watcher holds now. */
export function arm({ articles }) {
  armed = new Set(articles);
  logLength = 0;
  finals = new Map();
  const bases = {};
  for (let slot = 0; slot < slotArticle.length; slot++) {
    const article = slotArticle[slot];
    if (!armed.has(article)) continue;
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
    if (final === undefined) continue;
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
  for (let slot = 0; slot < slotArticle.length; slot++) {
    const article = slotArticle[slot];
    if (!armed.has(article)) continue;
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
