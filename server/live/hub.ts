import type { SubscribeMode } from '../../shared/protocol.js';
import { countJson, wireFrame, type Framed } from './frame.js';
import { createPresenceCadence, type PresenceOptions } from './presence.js';

export { wireFrame, type Framed } from './frame.js';

/** A socket as the hub sees it: something to hand a ready frame to. */
export interface Peer {
  /** Sends a JSON payload as one text message. */
  send(frame: Buffer): void;
  /**
   * Writes a whole WebSocket text frame, header and payload as built by wireFrame(), to the
   * socket in one write. Optional; without it the hub hands the payload to send().
   */
  sendWire?(wire: Buffer): void;
  readonly bufferedAmount: number;
}

/** One (site, article) and the pages showing it. Owned by the hub; read-only elsewhere. */
export interface Topic {
  readonly site: string;
  readonly article: string;
  /** Every page showing the article, with the version of the count it was last sent. */
  readonly peers: Map<Peer, number>;
  /** Pages subscribed in `reading` mode: the `live` figure. */
  readers: number;
  /** Latest committed total. */
  reads: number;
  /**
   * Goes up by one with every change of `reads`, and when a change of `readers` alone is due
   * (presence has its own cadence: see presence.ts). Every peer recorded at a version was
   * sent that version's frame, byte for byte.
   */
  version: number;
  /** The frame of `frameVersion`, built once when first needed. */
  frame: Framed | undefined;
  frameVersion: number;
  /** `readers` as `frame` shows it. */
  framedReaders: number;
  /** Some page was sent an exact state that `frame` does not show: the next presence check must broadcast. */
  offFrame: boolean;
  dirty: boolean;
  /** performance.now() when the topic was first marked dirty since its last broadcast. */
  dirtySince: number;
  lastBroadcastAt: number;
}

/** Counters the metrics endpoint reads. */
export interface HubStats {
  broadcasts: number;
  framesSent: number;
  framesSkipped: number;
}

/** The presence cadence's settings, as createHub() takes them. */
export type HubPresenceOptions = Partial<Pick<PresenceOptions<Topic>, 'now' | 'quietMs' | 'minWaitMs' | 'maxWaitMs' | 'msPerPage'>>;

/** Options for createHub(). */
export interface HubOptions {
  /** Committed total of an article not yet in memory. */
  loadReads(site: string, article: string): number;
  /** @default Date.now */
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
  /** When a change of `live` alone is sent (tests shorten it). @default presence.ts's constants, on performance.now */
  presence?: HubPresenceOptions;
}

/** Subscriptions per article and the coalesced broadcast of their counts. Knows nothing of HTTP. */
export interface Hub {
  /** Adds a peer to an article; returns the topic so the caller can send the first count. */
  subscribe(peer: Peer, site: string, article: string, mode: SubscribeMode): Topic;
  /** Changes a subscription's mode (reading ↔ watching). */
  changeMode(topic: Topic, from: SubscribeMode, to: SubscribeMode): void;
  unsubscribe(peer: Peer, topic: Topic, mode: SubscribeMode): void;
  /** Records a committed total and schedules its broadcast. */
  publish(site: string, article: string, reads: number): void;
  /** Pages reading an article now. */
  live(site: string, article: string): number;
  /**
   * Records that `peer` was just sent the topic's current `reads` and `readers` by its caller
   * (a `counted` reply), so the next pass skips it.
   */
  markSent(peer: Peer, topic: Topic): void;
  /**
   * A new page's first count: the topic's exact state, as the shared frame of its version when
   * that still shows it (no allocation), else framed for this page alone.
   */
  exactFrame(topic: Topic): Framed;
  /** Every topic with at least one peer. */
  topics(): IterableIterator<Topic>;
  /** Sends what is pending now, synchronously (used at shutdown). */
  flush(): void;
  readonly stats: HubStats;
  close(): void;
}

/** A broadcast under way: where it is among the topic's peers, and the frame of each version. */
interface Pass {
  cursor: MapIterator<[Peer, number]>;
  startVersion: number;
  frames: number;
  lagged: number;
}

const topicKey = (site: string, article: string): string => `${site}\n${article}`;

/**
 * Creates the hub. Broadcasts adapt to load: a change marks its topic dirty, and a pass over
 * its peers hands each one the latest frame, `framesPerTurn` sockets per event-loop turn.
 * Between turns reads are taken in and committed; a value committed mid-pass goes to the
 * peers not yet visited at once, and the next pass (which starts as soon as this one ends)
 * brings the others up to date. Each peer remembers the version it was sent, so nobody gets
 * the same value twice, a slow socket skipped for its full buffer is simply still behind on
 * the next pass, and no backlog can build however fast reads arrive.
 */
export function createHub(options: HubOptions): Hub {
  const now = options.now ?? Date.now;
  const minIntervalMs = checkOption('minIntervalMs', options.minIntervalMs ?? 0, 0);
  const maxBufferedBytes = checkOption('maxBufferedBytes', options.maxBufferedBytes ?? 64 * 1024, 0);
  const lagRetryMs = checkOption('lagRetryMs', options.lagRetryMs ?? 50, 1);
  // Zero would never hand out a frame and spin on setImmediate forever.
  const framesPerTurn = checkOption('framesPerTurn', options.framesPerTurn ?? 1024, 1);
  const topics = new Map<string, Topic>();
  const passes = new Map<Topic, Pass>();
  const lagging = new Set<Topic>();
  const stats: HubStats = { broadcasts: 0, framesSent: 0, framesSkipped: 0 };
  const presence = createPresenceCadence<Topic>({ now: () => performance.now(), ...options.presence, size: (topic) => topic.peers.size, due: presenceDue });
  let dirty: Topic[] = [];
  let turn: NodeJS.Immediate | undefined;
  let delayedFlush: NodeJS.Timeout | undefined;
  let lagTimer: NodeJS.Timeout | undefined;

  function changed(topic: Topic): void {
    topic.version++;
    topic.offFrame = false;
    markDirty(topic);
  }

  function markDirty(topic: Topic): void {
    if (topic.dirty) return;
    topic.dirty = true;
    topic.dirtySince = performance.now();
    dirty.push(topic);
    turn ??= setImmediate(flush, framesPerTurn);
  }

  /** The one frame of the topic's current version, built when first needed. */
  function versionFrame(topic: Topic): Framed {
    if (topic.frameVersion !== topic.version || topic.frame === undefined) {
      topic.frame = wireFrame(countJson(topic));
      topic.frameVersion = topic.version;
      topic.framedReaders = topic.readers;
    }
    return topic.frame;
  }

  /** True when the version's frame is built and shows fewer or more readers than there are. */
  const readersMoved = (topic: Topic): boolean => topic.frameVersion === topic.version && topic.framedReaders !== topic.readers;

  function exactFrame(topic: Topic): Framed {
    if (!readersMoved(topic)) return versionFrame(topic);
    topic.offFrame = true;
    return wireFrame(countJson(topic));
  }

  /** A change of `live` alone is due: broadcast it unless every page already has it. */
  function presenceDue(topic: Topic): void {
    if (topics.get(topicKey(topic.site, topic.article)) !== topic) return;
    // A pass already pending frames the latest readers when it gets to them.
    if (topic.frameVersion !== topic.version && topic.dirty) return;
    if (topic.frameVersion === topic.version && !readersMoved(topic) && !topic.offFrame) return;
    changed(topic);
  }

  function readersChanged(topic: Topic, by: number): void {
    topic.readers += by;
    presence.changed(topic);
  }

  /**
   * One turn: continues the passes under way and starts due ones, within `budget` frames.
   * `force` ignores minIntervalMs (shutdown).
   */
  function flush(budget: number, force = false): void {
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
    if (more) turn ??= setImmediate(flush, framesPerTurn);
    if (waitMs !== Infinity && delayedFlush === undefined) {
      delayedFlush = setTimeout(() => {
        delayedFlush = undefined;
        flush(framesPerTurn);
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
      const frame = versionFrame(topic);
      if (peer.sendWire !== undefined) peer.sendWire(frame.wire);
      else peer.send(frame.payload);
      topic.peers.set(peer, topic.version);
      pass.frames++;
      stats.framesSent++;
      budget--;
    }
    return budget;
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
    for (const topic of lagging) if (topics.get(topicKey(topic.site, topic.article)) === topic) markDirty(topic);
    lagging.clear();
  }

  return {
    stats,
    subscribe(peer, site, article, mode) {
      const key = topicKey(site, article);
      let topic = topics.get(key);
      if (topic === undefined) {
        const reads = options.loadReads(site, article);
        topic = { site, article, peers: new Map(), readers: 0, reads, version: 0, frame: undefined, frameVersion: -1, framedReaders: 0, offFrame: false, dirty: false, dirtySince: 0, lastBroadcastAt: -Infinity };
        topics.set(key, topic);
      }
      if (mode === 'reading') readersChanged(topic, 1);
      // The caller sends this peer exactFrame(topic) itself.
      topic.peers.set(peer, topic.version);
      return topic;
    },
    changeMode(topic, from, to) {
      if (from !== to) readersChanged(topic, to === 'reading' ? 1 : -1);
    },
    unsubscribe(peer, topic, mode) {
      if (!topic.peers.delete(peer)) return;
      if (topic.peers.size === 0) {
        topics.delete(topicKey(topic.site, topic.article));
        passes.delete(topic);
        lagging.delete(topic);
        presence.forget(topic);
        return;
      }
      if (mode === 'reading') readersChanged(topic, -1);
    },
    publish(site, article, reads) {
      const topic = topics.get(topicKey(site, article));
      if (topic === undefined || reads <= topic.reads) return;
      topic.reads = reads;
      changed(topic);
    },
    live: (site, article) => topics.get(topicKey(site, article))?.readers ?? 0,
    markSent(peer, topic) {
      if (!topic.peers.has(peer)) return;
      // What the caller sent is exactly what exactFrame() would frame: note it the same way.
      if (readersMoved(topic)) topic.offFrame = true;
      else versionFrame(topic);
      topic.peers.set(peer, topic.version);
    },
    exactFrame,
    topics: () => topics.values(),
    flush() {
      // Every pass to its end, however many peers: shutdown must not leave a page behind.
      // Two rounds at most: the second only reaches peers visited before a mid-pass change.
      for (let round = 0; dirty.length > 0 && round < 2; round++) {
        if (turn !== undefined) clearImmediate(turn);
        flush(Infinity, true);
      }
      if (turn !== undefined) clearImmediate(turn);
      turn = undefined;
    },
    close() {
      if (turn !== undefined) clearImmediate(turn);
      clearTimeout(delayedFlush);
      clearTimeout(lagTimer);
      presence.close();
      topics.clear();
      passes.clear();
      lagging.clear();
      dirty = [];
    },
  };
}

function checkOption(name: string, value: number, min: number): number {
  if (!Number.isFinite(value) && value !== Infinity) throw new TypeError(`createHub: ${name} must be a number, got ${value}`);
  if (value < min) throw new RangeError(`createHub: ${name} must be at least ${min}, got ${value}`);
  return value;
}
