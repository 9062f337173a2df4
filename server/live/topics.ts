import { countJson, liveOf, wireFrame, type Framed } from './frame.js';

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
  /** Pages subscribed in `reading` mode on this node. */
  readers: number;
  /** Pages reading the article on other nodes (cluster mode; 0 otherwise). `live` = readers + remote. */
  remote: number;
  /** Latest committed total. */
  reads: number;
  /**
   * False while a new topic's total is still being read from the store (and no publish has told
   * it yet): nothing is sent to its pages until it is known, so no page is ever shown a 0 it never had.
   */
  countKnown: boolean;
  /**
   * Goes up by one with every change of `reads`, and when a change of `readers` alone is due
   * (presence has its own cadence: see presence.ts). Every peer recorded at a version was
   * sent that version's frame, byte for byte.
   */
  version: number;
  /** The frame of `frameVersion`, built once when first needed. */
  frame: Framed | undefined;
  frameVersion: number;
  /** `live` (readers + remote) as `frame` shows it. */
  framedLive: number;
  /** Some page was sent an exact state that `frame` does not show: the next presence check must broadcast. */
  offFrame: boolean;
  dirty: boolean;
  /** performance.now() when the topic was first marked dirty since its last broadcast. */
  dirtySince: number;
  lastBroadcastAt: number;
  /** Frames the topic's state; unset, a `count` frame. A site channel (site-channels.ts) sets its own. */
  readonly render?: () => string;
}

/** Who watches what: every topic with at least one page, by key and by site. */
export interface Topics {
  find(site: string, article: string): Topic | undefined;
  /** The topic of an article, created with `loadReads()` as its total if nobody showed it yet. */
  open(site: string, article: string, loadReads: () => number): Topic;
  /** Forgets a topic whose last page left. */
  drop(topic: Topic): void;
  /** False once the topic was dropped (a newer topic may stand for the same article). */
  isOpen(topic: Topic): boolean;
  /** The open topics of one site, without walking the others'. */
  ofSite(site: string): Iterable<Topic>;
  all(): IterableIterator<Topic>;
  clear(): void;
}

const topicKey = (site: string, article: string): string => `${site}\n${article}`;
const NO_TOPICS: ReadonlySet<Topic> = new Set();

/** Creates an empty registry. */
export function createTopics(): Topics {
  const byKey = new Map<string, Topic>();
  const bySite = new Map<string, Set<Topic>>();
  return {
    find: (site, article) => byKey.get(topicKey(site, article)),
    open(site, article, loadReads) {
      const key = topicKey(site, article);
      let topic = byKey.get(key);
      if (topic !== undefined) return topic;
      topic = newTopic(site, article, loadReads());
      byKey.set(key, topic);
      let ofSite = bySite.get(site);
      if (ofSite === undefined) bySite.set(site, (ofSite = new Set()));
      ofSite.add(topic);
      return topic;
    },
    drop(topic) {
      const key = topicKey(topic.site, topic.article);
      if (byKey.get(key) !== topic) return;
      byKey.delete(key);
      const ofSite = bySite.get(topic.site);
      ofSite?.delete(topic);
      if (ofSite?.size === 0) bySite.delete(topic.site);
    },
    isOpen: (topic) => byKey.get(topicKey(topic.site, topic.article)) === topic,
    ofSite: (site) => bySite.get(site) ?? NO_TOPICS,
    all: () => byKey.values(),
    clear() {
      byKey.clear();
      bySite.clear();
    },
  };
}

/** A topic nobody has been sent anything of yet. */
export function newTopic(site: string, article: string, reads: number): Topic {
  return { site, article, peers: new Map(), readers: 0, remote: 0, reads, countKnown: true, version: 0, frame: undefined, frameVersion: -1, framedLive: 0, offFrame: false, dirty: false, dirtySince: 0, lastBroadcastAt: -Infinity };
}

/** The one frame of the topic's current version, built when first needed. */
export function versionFrame(topic: Topic): Framed {
  if (topic.frameVersion !== topic.version || topic.frame === undefined) {
    topic.frame = wireFrame(topic.render?.() ?? countJson(topic));
    topic.frameVersion = topic.version;
    topic.framedLive = liveOf(topic);
  }
  return topic.frame;
}

/** True when the version's frame is built and shows another `live` than there is now. */
export function readersMoved(topic: Topic): boolean {
  return topic.frameVersion === topic.version && topic.framedLive !== liveOf(topic);
}
