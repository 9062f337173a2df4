import type { Framed } from './frame.js';
import { versionFrame, type Peer, type Topic } from './topics.js';

/** Counters the metrics endpoint reads. */
export interface BroadcastStats {
  broadcasts: number;
  framesSent: number;
  framesSkipped: number;
}

/** Options for createBroadcaster(); createHub() passes its own through. */
export interface BroadcastOptions {
  /** The clock minIntervalMs is measured on. @default Date.now */
  now?: () => number;
  /** Shortest gap between the starts of two broadcasts of one article, in ms. @default 0 */
  minIntervalMs?: number;
  /** A socket with more than this many bytes queued is skipped for one round. @default 64 KiB */
  maxBufferedBytes?: number;
  /** How often lagging peers are retried, in ms. @default 50 */
  lagRetryMs?: number;
  /** Frames handed to sockets per event-loop turn before reads get their turn. @default 1024 */
  framesPerTurn?: number;
  /** Told of each broadcast: ms from the topic's first change to the last frame handed off. */
  onBroadcast?: (ms: number, frames: number) => void;
}

/** The coalesced scheduler: takes changed topics and brings every peer to their latest frame. */
export interface Broadcaster {
  /** The topic's state changed: a new version, sent to every peer as soon as sockets drain. */
  changed(topic: Topic): void;
  /** Forgets a topic that has no peers left. */
  forget(topic: Topic): void;
  /**
   * Hands `frame` to every peer of the topic now, once: an event rather than state, so a peer
   * over the back-pressure limit misses it (the topic's next state brings it up to date).
   */
  sendNow(topic: Topic, frame: Framed): void;
  /** Finishes every pending pass synchronously, whatever the budget and intervals (shutdown). */
  flush(): void;
  readonly stats: BroadcastStats;
  close(): void;
}

/** A broadcast under way: where it is among the topic's peers. */
interface Pass {
  cursor: MapIterator<[Peer, number]>;
  startVersion: number;
  frames: number;
  lagged: number;
}

/**
 * Creates the scheduler. Broadcasts adapt to load: a change marks its topic dirty, and a pass
 * over its peers hands each one the latest frame, `framesPerTurn` sockets per event-loop turn.
 * Between turns reads are taken in and committed, and new pages are let in; a value committed
 * mid-pass goes to the peers not yet visited at once, and the next pass (which starts as soon
 * as this one ends) brings the others up to date. Each peer remembers the version it was sent,
 * so nobody gets the same value twice, a slow socket skipped for its full buffer is simply
 * still behind on the next pass, and no backlog can build however fast reads arrive.
 */
export function createBroadcaster(options: BroadcastOptions): Broadcaster {
  // Long only as a factory: the scheduler's state and its small steps (changed, runTurn, pass, flush) share one closure.
  const now = options.now ?? Date.now;
  const minIntervalMs = checkOption('minIntervalMs', options.minIntervalMs ?? 0, 0);
  const maxBufferedBytes = checkOption('maxBufferedBytes', options.maxBufferedBytes ?? 64 * 1024, 0);
  const lagRetryMs = checkOption('lagRetryMs', options.lagRetryMs ?? 50, 1);
  // Zero would never hand out a frame and spin on setImmediate forever.
  const framesPerTurn = checkOption('framesPerTurn', options.framesPerTurn ?? 1024, 1);
  const passes = new Map<Topic, Pass>();
  const lagging = new Set<Topic>();
  const stats: BroadcastStats = { broadcasts: 0, framesSent: 0, framesSkipped: 0 };
  let dirty: Topic[] = [];
  let turn: NodeJS.Immediate | undefined;
  let delayedFlush: NodeJS.Timeout | undefined;
  let lagTimer: NodeJS.Timeout | undefined;

  function markDirty(topic: Topic): void {
    if (topic.dirty) return;
    topic.dirty = true;
    topic.dirtySince = performance.now();
    dirty.push(topic);
    turn ??= setImmediate(runTurn, framesPerTurn);
  }

  /** One turn: continues the passes under way and starts due ones, within `budget` frames. */
  function runTurn(budget: number, force = false): void {
    // One loop over the due topics within the turn's frame budget; its branches are the budget's bookkeeping.
    turn = undefined;
    const due = dirty;
    dirty = [];
    let waitMs = Infinity;
    // Work that may go on at the next turn: a pass under way, or one the budget held back.
    let more = false;
    const at = now();
    for (const topic of due) {
      if (topic.peers.size === 0) {
        topic.dirty = false;
        passes.delete(topic);
        continue;
      }
      let pass = passes.get(topic);
      if (pass === undefined) {
        // `force` (shutdown) ignores minIntervalMs.
        const wait = force ? 0 : topic.lastBroadcastAt + minIntervalMs - at;
        if (wait > 0 || budget <= 0) {
          dirty.push(topic);
          if (wait > 0) waitMs = Math.min(waitMs, wait);
          else more = true;
          continue;
        }
        topic.lastBroadcastAt = at;
        pass = { cursor: topic.peers.entries(), startVersion: topic.version, frames: 0, lagged: 0 };
        passes.set(topic, pass);
        stats.broadcasts++;
      }
      budget = step(topic, pass, budget);
      if (passes.has(topic)) {
        dirty.push(topic);
        more = true;
      }
    }
    if (more) turn ??= setImmediate(runTurn, framesPerTurn);
    if (waitMs !== Infinity && delayedFlush === undefined) {
      delayedFlush = setTimeout(() => {
        delayedFlush = undefined;
        runTurn(framesPerTurn);
      }, waitMs);
    }
  }

  /** Hands the latest frame to up to `budget` peers of a pass; returns the budget left. */
  function step(topic: Topic, pass: Pass, budget: number): number {
    while (budget > 0) {
      const next = pass.cursor.next();
      if (next.done === true) return finish(topic, pass), budget;
      const [peer, sent] = next.value;
      if (sent === topic.version) continue;
      if (peer.bufferedAmount > maxBufferedBytes) {
        stats.framesSkipped++;
        pass.lagged++;
        continue;
      }
      handTo(peer, versionFrame(topic));
      topic.peers.set(peer, topic.version);
      pass.frames++;
      budget--;
    }
    return budget;
  }

  function handTo(peer: Peer, frame: Framed): void {
    if (peer.sendWire !== undefined) peer.sendWire(frame.wire);
    else peer.send(frame.payload);
    stats.framesSent++;
  }

  function finish(topic: Topic, pass: Pass): void {
    passes.delete(topic);
    topic.dirty = false;
    options.onBroadcast?.(performance.now() - topic.dirtySince, pass.frames);
    // Peers visited before a newer value arrived still hold an older one: go round again.
    if (topic.version !== pass.startVersion) markDirty(topic);
    else if (pass.lagged > 0) {
      // A skipped peer must still converge when no newer value comes: retry once it drains.
      lagging.add(topic);
      lagTimer ??= setTimeout(retryLagging, lagRetryMs);
    }
  }

  function retryLagging(): void {
    lagTimer = undefined;
    for (const topic of lagging) markDirty(topic);
    lagging.clear();
  }

  return {
    stats,
    changed(topic) {
      topic.version++;
      topic.offFrame = false;
      markDirty(topic);
    },
    forget(topic) {
      passes.delete(topic);
      lagging.delete(topic);
    },
    sendNow(topic, frame) {
      for (const peer of topic.peers.keys()) {
        if (peer.bufferedAmount > maxBufferedBytes) stats.framesSkipped++;
        else handTo(peer, frame);
      }
    },
    flush() {
      // Every pass to its end, however many peers: shutdown must not leave a page behind.
      // Two rounds at most: the second only reaches peers visited before a mid-pass change.
      for (let round = 0; dirty.length > 0 && round < 2; round++) {
        if (turn !== undefined) clearImmediate(turn);
        runTurn(Infinity, true);
      }
      if (turn !== undefined) clearImmediate(turn);
      turn = undefined;
    },
    close() {
      if (turn !== undefined) clearImmediate(turn);
      clearTimeout(delayedFlush);
      clearTimeout(lagTimer);
      passes.clear();
      lagging.clear();
      dirty = [];
    },
  };
}

function checkOption(name: string, value: number, min: number): number {
  if (Number.isNaN(value) || typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${value}`);
  if (value < min) throw new RangeError(`${name} must be at least ${min}, got ${value}`);
  return value;
}
