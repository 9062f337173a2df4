// The watchers' memory: each (socket, article) slot's latest count and `live`, and the receipt
// log of the armed phase, replayed afterwards for latency, convergence and counts going backwards.
import { Histogram, WatcherCheck, summarizeWatchers } from './stats.mjs';

/** Every (socket, article) a watcher follows: its slot id indexes the arrays below. */
export const slotArticle = /** @type {string[]} */ ([]);
export const slotLast = /** @type {number[]} */ ([]);
/** The `live` of the slot's last count (-1 before any), and when it last changed. */
export const slotLive = /** @type {number[]} */ ([]);
export const slotLiveAt = /** @type {number[]} */ ([]);
/** 1 once the slot's page left on purpose (churn): it is no longer a page to converge. */
export const slotLeft = /** @type {number[]} */ ([]);
/** Slots that existed when the phase was armed; pages that arrive later have no base. */
let armedSlots = 0;
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

/** A new slot for a page following `article`; returns its id. */
export function addSlot(article) {
  slotArticle.push(article);
  slotLast.push(-1);
  slotLive.push(-1);
  slotLiveAt.push(NaN);
  slotLeft.push(0);
  return slotArticle.length - 1;
}

/** A count arrived at a slot at `at`: kept as its latest, and logged while its article is armed. */
export function noteCount(slot, article, reads, live, at) {
  if (reads > slotLast[slot]) slotLast[slot] = reads;
  if (live !== slotLive[slot]) {
    slotLive[slot] = live;
    slotLiveAt[slot] = at;
  }
  if (armed.has(article)) logReceipt(slot, reads, at);
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
