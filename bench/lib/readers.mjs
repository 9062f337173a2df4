// Readers: a pool of connections that each count an article once (subscribe in reading mode,
// read, unsubscribe), replaced by new connections when spent; bursts, steady rates, ingest.
import { Histogram } from './stats.mjs';
import { RawSocket, now, parseFrame } from './raw-socket.mjs';
import { OPENING_AT_ONCE, connectTarget, failureReasons, generatorName, limited } from './connect.mjs';

/** A reader sends subscribe, read, unsubscribe: 3 frames; 120 ms apart stays under 30 frames/s. */
const READER_GAP_MS = 120;

/** @type {RawSocket[]} */
const readers = [];
/** @type {RawSocket[]} */
let idle = [];
let idleHead = 0;
/** Readers resting after a read, oldest first: [socket, readyAt]. */
let cooling = /** @type {Array<[RawSocket, number]>} */ ([]);
let coolingHead = 0;
let openingReaders = 0;
let readerSerial = 0;
/** @type {string[]} reads waiting for a free reader */
let queue = [];
let queueHead = 0;
/** @type {Map<string, number[]>} send time of every read of the phase, per article */
let sent = new Map();
let counted = new Map();
let errors = {};
let inFlight = 0;
let replyLatency = new Histogram();
let leadMs = 0;
/** Reads handed to a connection in this phase. */
let fired = 0;
/** @type {number[]} arrival time of each `counted` reply of the phase */
let countedAt = [];
/** @type {((socket: RawSocket) => void) | undefined} set while ingest runs */
let ingestNext;
/** @type {(() => void) | undefined} */
let onSettled;

const readerHandlers = {
  /** @param {RawSocket} socket */
  onOpen(socket) {
    socket.state.opened = true;
  },
  /** @param {RawSocket} socket @param {Buffer} data @param {number} start @param {number} end @param {number} at */
  onText(socket, data, start, end, at) {
    const frame = parseFrame(data, start, end);
    if (frame.type === 'hello') {
      socket.state.resolveOpen?.(true);
      // A new connection goes to the front of the line: it can read anything, while the
      // readers queued behind it may all have counted the article being read.
      if (idleHead > 0) idle[--idleHead] = socket;
      else idle.unshift(socket);
      pump();
      return;
    }
    if (socket.state.ingest !== undefined && frame.type === 'count' && socket.state.ingest.counts < socket.state.ingest.articles.length) {
      socket.state.ingest.counts++;
      socket.state.ingest.onCount();
      return;
    }
    if (frame.type !== 'counted' && frame.type !== 'error') return;
    const article = socket.state.reading;
    if (article === undefined || (frame.article !== undefined && frame.article !== article)) return;
    socket.state.reading = undefined;
    inFlight--;
    replyLatency.add(at - socket.state.sentAt);
    if (frame.type === 'counted') {
      counted.set(article, (counted.get(article) ?? 0) + 1);
      countedAt.push(at);
    } else errors[frame.code] = (errors[frame.code] ?? 0) + 1;
    if (ingestNext !== undefined) {
      ingestNext(socket);
      if (inFlight === 0) onSettled?.();
      return;
    }
    socket.send(JSON.stringify({ type: 'unsubscribe', article }));
    if (queueHead < queue.length && socket.state.used.has(queue[queueHead]) && openingReaders < Math.min(OPENING_AT_ONCE, queue.length - queueHead)) {
      // Spent for the reads waiting (it has counted their article): a new page view takes over now.
      retire(socket);
    } else cooling.push([socket, at + READER_GAP_MS]);
    pump();
    if (inFlight === 0 && queueHead === queue.length) onSettled?.();
  },
  /** @param {RawSocket} socket @param {string} reason */
  onClose(socket, reason) {
    if (!socket.state.retired) socket.state.closeReason = reason;
    socket.state.resolveOpen?.(false);
    if (socket.state.reading !== undefined) {
      inFlight--;
      errors.closed = (errors.closed ?? 0) + 1;
      socket.state.reading = undefined;
      if (inFlight === 0 && queueHead === queue.length) onSettled?.();
    }
    socket.state.dead = true;
  },
};

function openReader() {
  const index = readerSerial++;
  openingReaders++;
  return new Promise((resolve) => {
    const socket = new RawSocket(connectTarget(index, `bench-reader/${generatorName()}-${index}`), readerHandlers);
    // Settles once: hello, close or timeout; only then may another connection start.
    const settle = (ok) => {
      clearTimeout(timer);
      if (socket.state.resolveOpen === undefined) return;
      socket.state.resolveOpen = undefined;
      openingReaders--;
      resolve(ok);
    };
    const timer = setTimeout(() => {
      settle(false);
      socket.destroy();
    }, 30_000);
    socket.state = { used: new Set(), reading: undefined, sentAt: 0, opened: false, retired: false, closeReason: undefined, resolveOpen: settle };
    readers.push(socket);
  });
}

/** Opens a pool of `count` idle reader sockets. */
export async function openReaders({ count }) {
  const results = await limited(Array.from({ length: count }, () => openReader), OPENING_AT_ONCE);
  return { opened: results.filter(Boolean).length, failed: results.filter((r) => !r).length, reasons: failureReasons(readers) };
}

/**
 * The longest-idle reader that has not yet read `article`, or undefined. Readers come back
 * to the end of the line after each read, so a reader at the front that has already counted
 * the article means every idle one has: it is traded for a new connection (a new page view).
 */
function acquire(article) {
  const at = now();
  while (coolingHead < cooling.length && cooling[coolingHead][1] <= at) idle.push(cooling[coolingHead++][0]);
  if (coolingHead > 4096) {
    cooling = cooling.slice(coolingHead);
    coolingHead = 0;
  }
  while (idleHead < idle.length) {
    const socket = idle[idleHead];
    if (socket.state.dead) {
      idleHead++;
      continue;
    }
    if (!socket.state.used.has(article)) {
      idleHead++;
      compactIdle();
      return socket;
    }
    // Trade no more readers for new connections than there are reads waiting for one.
    if (openingReaders >= Math.min(OPENING_AT_ONCE, queue.length - queueHead)) return undefined;
    idleHead++;
    retire(socket);
  }
  compactIdle();
  return undefined;
}

/** Closes a reader that cannot serve the reads waiting, and opens a new connection in its place. */
function retire(socket) {
  socket.state.retired = true;
  socket.destroy();
  void openReader();
}

function compactIdle() {
  if (idleHead > 4096) {
    idle = idle.slice(idleHead);
    idleHead = 0;
  }
}

/**
 * Subscribes `socket` in reading mode and sends its read, at once or `leadMs` later (so the
 * `live` change of the subscription is not in the way of the read being timed).
 */
function fire(socket, article) {
  fired++;
  socket.state.used.add(article);
  socket.state.reading = article;
  inFlight++;
  socket.send(`{"type":"subscribe","article":${JSON.stringify(article)},"mode":"reading"}`);
  if (leadMs > 0) setTimeout(sendRead, leadMs, socket, article);
  else sendRead(socket, article);
}

function sendRead(socket, article) {
  const at = now();
  socket.state.sentAt = at;
  socket.send(`{"type":"read","article":${JSON.stringify(article)}}`);
  let times = sent.get(article);
  if (times === undefined) sent.set(article, (times = []));
  times.push(at);
}

function pump() {
  while (queueHead < queue.length) {
    const socket = acquire(queue[queueHead]);
    if (socket === undefined) break;
    fire(socket, queue[queueHead++]);
  }
  if (queueHead > 4096 && queueHead === queue.length) {
    queue = [];
    queueHead = 0;
  }
}

let poll;
function startPolling() {
  // Cooling readers come back on this tick when no reply arrives to trigger pump().
  poll ??= setInterval(pump, 5);
}

function resetPhase() {
  fired = 0;
  sent = new Map();
  counted = new Map();
  countedAt = [];
  errors = {};
  replyLatency = new Histogram();
}

/**
 * Sends reads: `count` at once (a burst), or `rate` per second for `durationMs`, on
 * `articles` (round robin or random). Resolves when every read has its reply, or at the
 * deadline with what was left counted as unanswered.
 */
export async function read({ articles, count, rate, durationMs, random = false, deadlineMs = 60_000, lead = 0 }) {
  resetPhase();
  leadMs = lead;
  startPolling();
  const start = now();
  let issued = 0;
  const pick = () => (random ? articles[Math.floor(Math.random() * articles.length)] : articles[issued % articles.length]);
  if (rate === undefined) {
    for (; issued < count; issued++) queue.push(pick());
    pump();
  } else {
    const total = Math.round((rate * durationMs) / 1000);
    await new Promise((resolve) => {
      const tick = setInterval(() => {
        const due = Math.min(total, Math.floor(((now() - start) * rate) / 1000));
        for (; issued < due; issued++) queue.push(pick());
        pump();
        if (issued >= total) {
          clearInterval(tick);
          resolve(undefined);
        }
      }, 2);
    });
  }
  // Reads still queued (waiting for a free connection) halfway to the deadline are dropped,
  // so that every read sent has the rest of the time to be answered.
  const giveUp = setTimeout(() => {
    queue.length = queueHead;
    if (inFlight === 0) onSettled?.();
  }, Math.max(0, start + (durationMs ?? 0) + leadMs + (deadlineMs - (durationMs ?? 0) - leadMs) / 2 - now()));
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, start + deadlineMs - now()));
    onSettled = () => {
      clearTimeout(timer);
      resolve(undefined);
    };
    if (inFlight === 0 && queueHead === queue.length) onSettled();
  });
  clearTimeout(giveUp);
  onSettled = undefined;
  const unsent = issued - fired;
  queue = [];
  queueHead = 0;
  const sendTimes = Object.fromEntries([...sent].map(([a, t]) => [a, t.sort((x, y) => x - y)]));
  // The last read actually sent (a lead or a queue can hold reads back past the schedule).
  const sendDone = Math.max(start, ...[...sent.values()].map((t) => t[t.length - 1] ?? start));
  return {
    issued,
    unsent,
    unanswered: inFlight,
    start,
    sendDone,
    end: now(),
    sendTimes,
    counted: Object.fromEntries(counted),
    errors,
    replyLatency: replyLatency.toJSON(),
    reconnects: readerSerial - readers.filter((s) => !s.state.retired).length,
  };
}

/**
 * Ingest, closed loop: each reader first subscribes (reading mode) to `perReader` articles of
 * its own, then, measured, counts them one after another: the next `read` as soon as the
 * previous one is answered, for `durationMs`. Reads per second is what the server commits.
 */
export async function ingestSetup({ perReader }) {
  resetPhase();
  const live = readers.filter((s) => s.open && !s.state.retired);
  const setupStart = now();
  let subscribed = 0;
  const total = live.length * perReader;
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, 60_000);
    for (const socket of live) {
      const articles = Array.from({ length: perReader }, (_, k) => `/ingest/${generatorName()}/${readers.indexOf(socket)}/${k}`);
      socket.state.ingest = { articles, next: 0, counts: 0, onCount: () => {
        if (++subscribed === total) {
          clearTimeout(timer);
          resolve(undefined);
        }
      } };
      for (const article of articles) socket.send(`{"type":"subscribe","article":${JSON.stringify(article)},"mode":"reading"}`);
    }
  });
  return { setupSeconds: (now() - setupStart) / 1000, subscriptions: subscribed };
}

/** The measured part of ingest: see ingestSetup(). */
export async function ingestRun({ durationMs }) {
  resetPhase();
  const live = readers.filter((s) => s.open && s.state.ingest !== undefined);
  const start = now();
  const stopAt = start + durationMs;
  let exhausted = 0;
  const next = (socket) => {
    const job = socket.state.ingest;
    if (now() >= stopAt) return;
    if (job.next >= job.articles.length) {
      exhausted++;
      return;
    }
    const article = job.articles[job.next++];
    socket.state.reading = article;
    socket.state.sentAt = now();
    inFlight++;
    socket.send(`{"type":"read","article":${JSON.stringify(article)}}`);
  };
  ingestNext = next;
  for (const socket of live) next(socket);
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  const pendingAtStop = inFlight;
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, 10_000);
    onSettled = () => {
      clearTimeout(timer);
      resolve(undefined);
    };
    if (inFlight === 0) onSettled();
  });
  onSettled = undefined;
  ingestNext = undefined;
  const countedInWindow = countedBefore(stopAt);
  return { start, stopAt, pendingAtStop, exhausted, counted: countedInWindow, errors, replyLatency: replyLatency.toJSON() };
}

/** `counted` replies that arrived before `at` (the measured window's end). */
function countedBefore(at) {
  let n = 0;
  for (const t of countedAt) if (t <= at) n++;
  return n;
}

/** Closes every reader socket and stops the pump. */
export function closeReaders() {
  for (const socket of readers) {
    socket.state.retired = true;
    socket.destroy();
  }
  clearInterval(poll);
}

/** Reader sockets open now. */
export const readerStatus = () => readers.filter((s) => s.open).length;
