import type { SubscribeMode } from '../../shared/protocol.js';

/** A socket as the hub sees it: something to hand a ready frame to. */
export interface Peer {
  send(frame: Buffer): void;
  readonly bufferedAmount: number;
}

/** One (site, article) and the pages showing it. Owned by the hub; read-only elsewhere. */
export interface Topic {
  readonly site: string;
  readonly article: string;
  readonly peers: Set<Peer>;
  /** Pages subscribed in `reading` mode: the `live` figure. */
  readers: number;
  /** Latest committed total. */
  reads: number;
  /** Peers skipped because their buffer was full; they are sent the latest frame when it drains. */
  lagging: Set<Peer> | undefined;
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

/** Options for createHub(). */
export interface HubOptions {
  /** Committed total of an article not yet in memory. */
  loadReads(site: string, article: string): number;
  /** @default Date.now */
  now?: () => number;
  /** Shortest gap between two broadcasts of one article, in ms. @default 0 */
  minIntervalMs?: number;
  /** A socket with more than this many bytes queued is skipped for one round. @default 64 KiB */
  maxBufferedBytes?: number;
  /** How often lagging peers are retried, in ms. @default 50 */
  lagRetryMs?: number;
  /** Told of each broadcast: ms from the topic's first change to the last frame handed off. */
  onBroadcast?: (ms: number, frames: number) => void;
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
  /** Every topic with at least one peer. */
  topics(): IterableIterator<Topic>;
  /** Sends what is pending now, synchronously (used at shutdown). */
  flush(): void;
  readonly stats: HubStats;
  close(): void;
}

/** The frame every watcher of a topic is sent, serialized once per broadcast. */
export function countFrame(topic: Topic): Buffer {
  return Buffer.from(JSON.stringify({ type: 'count', article: topic.article, reads: topic.reads, live: topic.readers }));
}

const topicKey = (site: string, article: string): string => `${site}\n${article}`;

/**
 * Creates the hub. Broadcasts adapt to load: a change marks its topic dirty; one flush per
 * event-loop turn (setImmediate, after I/O) sends each dirty topic's latest value once.
 * While a flush is being handed to sockets, newer values just overwrite the topic's state,
 * so however fast reads arrive, no backlog builds and the next round carries the latest.
 */
export function createHub(options: HubOptions): Hub {
  const now = options.now ?? Date.now;
  const minIntervalMs = options.minIntervalMs ?? 0;
  const maxBufferedBytes = options.maxBufferedBytes ?? 64 * 1024;
  const lagRetryMs = options.lagRetryMs ?? 50;
  const topics = new Map<string, Topic>();
  const stats: HubStats = { broadcasts: 0, framesSent: 0, framesSkipped: 0 };
  let dirty: Topic[] = [];
  let flushScheduled: NodeJS.Immediate | undefined;
  let delayedFlush: NodeJS.Timeout | undefined;
  let lagTimer: NodeJS.Timeout | undefined;

  function markDirty(topic: Topic): void {
    if (topic.dirty) return;
    topic.dirty = true;
    topic.dirtySince = performance.now();
    dirty.push(topic);
    flushScheduled ??= setImmediate(flush);
  }

  function flush(): void {
    flushScheduled = undefined;
    const due = dirty;
    dirty = [];
    let waitMs = Infinity;
    const at = now();
    for (const topic of due) {
      const wait = topic.lastBroadcastAt + minIntervalMs - at;
      if (wait > 0 && topic.peers.size > 0) {
        dirty.push(topic);
        waitMs = Math.min(waitMs, wait);
        continue;
      }
      topic.dirty = false;
      topic.lastBroadcastAt = at;
      broadcast(topic);
    }
    if (waitMs !== Infinity && delayedFlush === undefined) {
      delayedFlush = setTimeout(() => {
        delayedFlush = undefined;
        flush();
      }, waitMs);
    }
  }

  function broadcast(topic: Topic): void {
    if (topic.peers.size === 0) return;
    const frame = countFrame(topic);
    stats.broadcasts++;
    topic.lagging = undefined;
    const sentBefore = stats.framesSent;
    for (const peer of topic.peers) sendOrLag(topic, peer, frame);
    options.onBroadcast?.(performance.now() - topic.dirtySince, stats.framesSent - sentBefore);
  }

  function sendOrLag(topic: Topic, peer: Peer, frame: Buffer): void {
    if (peer.bufferedAmount > maxBufferedBytes) {
      stats.framesSkipped++;
      (topic.lagging ??= new Set()).add(peer);
      lagTimer ??= setTimeout(retryLagging, lagRetryMs);
      return;
    }
    peer.send(frame);
    stats.framesSent++;
  }

  // A skipped peer must still converge when no newer value comes: resend the latest
  // frame to each lagging peer once its buffer has drained.
  function retryLagging(): void {
    lagTimer = undefined;
    for (const topic of topics.values()) {
      const lagging = topic.lagging;
      if (lagging === undefined) continue;
      topic.lagging = undefined;
      const frame = countFrame(topic);
      for (const peer of lagging) if (topic.peers.has(peer)) sendOrLag(topic, peer, frame);
    }
  }

  return {
    stats,
    subscribe(peer, site, article, mode) {
      const key = topicKey(site, article);
      let topic = topics.get(key);
      if (topic === undefined) {
        const reads = options.loadReads(site, article);
        topic = { site, article, peers: new Set(), readers: 0, reads, lagging: undefined, dirty: false, dirtySince: 0, lastBroadcastAt: -Infinity };
        topics.set(key, topic);
      }
      topic.peers.add(peer);
      if (mode === 'reading') {
        topic.readers++;
        markDirty(topic);
      }
      return topic;
    },
    changeMode(topic, from, to) {
      if (from === to) return;
      topic.readers += to === 'reading' ? 1 : -1;
      markDirty(topic);
    },
    unsubscribe(peer, topic, mode) {
      if (!topic.peers.delete(peer)) return;
      topic.lagging?.delete(peer);
      if (topic.peers.size === 0) {
        topics.delete(topicKey(topic.site, topic.article));
        return;
      }
      if (mode === 'reading') {
        topic.readers--;
        markDirty(topic);
      }
    },
    publish(site, article, reads) {
      const topic = topics.get(topicKey(site, article));
      if (topic === undefined || reads <= topic.reads) return;
      topic.reads = reads;
      markDirty(topic);
    },
    live: (site, article) => topics.get(topicKey(site, article))?.readers ?? 0,
    topics: () => topics.values(),
    flush() {
      if (flushScheduled !== undefined) clearImmediate(flushScheduled);
      flushScheduled = undefined;
      for (const topic of dirty) topic.lastBroadcastAt = -Infinity;
      flush();
    },
    close() {
      if (flushScheduled !== undefined) clearImmediate(flushScheduled);
      clearTimeout(delayedFlush);
      clearTimeout(lagTimer);
      topics.clear();
      dirty = [];
    },
  };
}
