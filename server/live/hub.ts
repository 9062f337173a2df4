import type { SubscribeMode } from '../../shared/protocol.js';
import { countJson, wireFrame, type Framed } from './frame.js';
import { createPresenceCadence, type PresenceOptions } from './presence.js';
import { createTopics, readersMoved, versionFrame, type Peer, type Topic } from './topics.js';
import { createBroadcaster, type BroadcastOptions, type BroadcastStats } from './broadcast.js';
import { createSiteChannels, type RenderSite } from './site-channels.js';

export { wireFrame, type Framed } from './frame.js';
export type { Peer, Topic } from './topics.js';
export type { RenderSite } from './site-channels.js';

/** Counters the metrics endpoint reads. */
export type HubStats = BroadcastStats;

/** The presence cadence's settings, as createHub() takes them. */
export type HubPresenceOptions = Partial<Pick<PresenceOptions<Topic>, 'now' | 'quietMs' | 'minWaitMs' | 'maxWaitMs' | 'msPerPage'>>;

/** Readers on other nodes, as cluster mode keeps them (server/cluster/remote-presence.ts). */
export interface RemoteReaders {
  /** Pages reading the article on other nodes now. */
  of(site: string, article: string): number;
  /** The articles of a site read on other nodes, with their readers. */
  ofSite(site: string): Iterable<[article: string, readers: number]>;
}

/** Options for createHub(): the broadcast scheduler's, and where counts and presence come from. */
export interface HubOptions extends BroadcastOptions {
  /**
   * Committed total of an article not yet in memory. Asynchronous for a store behind a port:
   * the topic's pages then get their first count by broadcast once it is known.
   */
  loadReads(site: string, article: string): number | Promise<number>;
  /** Told when a new topic's total could not be read (its pages wait for the next publish). @default nowhere */
  onLoadFailed?(site: string, article: string, error: unknown): void;
  /** When a change of `live` alone is sent (tests shorten it). @default presence.ts's constants, on performance.now */
  presence?: HubPresenceOptions;
  /** Cluster mode: readers on other nodes, added to every `live`. @default none (one node) */
  remote?: RemoteReaders;
}

/** Told of what happens on the hub. Called on the hot path: must be cheap and must not throw. */
export interface HubObserver {
  /** A broadcast ended: `ms` from its topic's first change to the last frame handed off. */
  broadcast?(ms: number, frames: number): void;
}

/** Subscriptions per article and the coalesced broadcast of their counts. Knows nothing of HTTP. */
export interface Hub {
  /**
   * Adds a peer to an article; returns the topic so the caller can send the first count
   * (exactFrame) when `topic.countKnown`. Otherwise the count reaches the page by broadcast.
   */
  subscribe(peer: Peer, site: string, article: string, mode: SubscribeMode): Topic;
  /** Changes a subscription's mode (reading ↔ watching). */
  changeMode(topic: Topic, from: SubscribeMode, to: SubscribeMode): void;
  unsubscribe(peer: Peer, topic: Topic, mode: SubscribeMode): void;
  /** Records a committed total and schedules its broadcast. */
  publish(site: string, article: string, reads: number): void;
  /** Pages reading an article now (on every node, in cluster mode). */
  live(site: string, article: string): number;
  /** Pages reading each article of a site now (on every node); articles nobody reads are left out. */
  liveOf(site: string): Map<string, number>;
  /** Cluster mode: another node's readers of an article changed; its pages get it on the presence cadence. */
  remoteChanged(site: string, article: string): void;
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
  /** The topics of one site with at least one peer. */
  topicsOf(site: string): Iterable<Topic>;
  /**
   * Puts a peer on a site's channel (leaving the one it was on) and sends it `render()` now.
   * The channel's frames go through the same scheduler and back-pressure rule as counts.
   */
  watchSite(peer: Peer, site: string, render: RenderSite): void;
  /** Takes a peer off its site's channel; returns the site when the peer was its last watcher. */
  unwatchSite(peer: Peer): string | undefined;
  /** A site's figures changed: its watchers are sent `render()` (coalesced, latest wins). Its `live` is followed by the hub. */
  siteChanged(site: string): void;
  /** Hands one frame to every watcher of a site now: an event, which a lagging socket misses. */
  sendToSite(site: string, json: string): void;
  /** Sites with at least one watcher. */
  watchedSites(): IterableIterator<string>;
  /** Adds an observer (metrics). */
  observe(observer: HubObserver): void;
  /** Sends what is pending now, synchronously (used at shutdown). */
  flush(): void;
  readonly stats: HubStats;
  close(): void;
}

/**
 * Creates the hub: the topic registry (topics.ts), the coalesced broadcast of `reads`
 * (broadcast.ts) and the cadence of `live` (presence.ts), put together. A change of `reads` is
 * broadcast at once; a change of `live` alone waits for the presence cadence, and is folded
 * into any `reads` broadcast that goes out first.
 */
export function createHub(options: HubOptions): Hub {
  const topics = createTopics();
  const remote = options.remote;
  const observers: HubObserver[] = [];
  const broadcast = createBroadcaster({
    ...options,
    onBroadcast(ms, frames) {
      options.onBroadcast?.(ms, frames);
      for (const observer of observers) observer.broadcast?.(ms, frames);
    },
  });
  const presenceOptions = { now: () => performance.now(), ...options.presence };
  const presence = createPresenceCadence<Topic>({ ...presenceOptions, size: (topic) => topic.peers.size, due: presenceDue });
  const sites = createSiteChannels({ broadcast, presence: presenceOptions });

  /** A change of `live` alone is due: broadcast it unless every page already has it. */
  function presenceDue(topic: Topic): void {
    if (!topics.isOpen(topic) || !topic.countKnown) return;
    // A pass already pending frames the latest readers when it gets to them.
    if (topic.frameVersion !== topic.version && topic.dirty) return;
    if (topic.frameVersion === topic.version && !readersMoved(topic) && !topic.offFrame) return;
    broadcast.changed(topic);
  }

  function readersChanged(topic: Topic, by: number): void {
    topic.readers += by;
    presence.changed(topic);
    sites.liveChanged(topic.site);
  }

  /** A topic nobody showed yet, with its total from the store: at once when the store answers synchronously. */
  function openTopic(site: string, article: string): Topic {
    const loaded = options.loadReads(site, article);
    const topic = topics.open(site, article, () => (typeof loaded === 'number' ? loaded : 0));
    topic.remote = remote?.of(site, article) ?? 0;
    if (typeof loaded === 'number') return topic;
    topic.countKnown = false;
    loaded.then(
      (reads) => {
        if (!topics.isOpen(topic)) return;
        // A publish may have told a newer total meanwhile: latest wins.
        topic.reads = Math.max(reads, topic.reads);
        topic.countKnown = true;
        broadcast.changed(topic);
      },
      (error: unknown) => options.onLoadFailed?.(site, article, error),
    );
    return topic;
  }

  return {
    stats: broadcast.stats,
    subscribe(peer, site, article, mode) {
      const topic = topics.find(site, article) ?? openTopic(site, article);
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
        topics.drop(topic);
        broadcast.forget(topic);
        presence.forget(topic);
        if (mode === 'reading') sites.liveChanged(topic.site);
        return;
      }
      if (mode === 'reading') readersChanged(topic, -1);
    },
    publish(site, article, reads) {
      const topic = topics.find(site, article);
      if (topic === undefined || (reads <= topic.reads && topic.countKnown)) return;
      // While the store is still answering, topic.reads is 0 and any publish is newer.
      topic.reads = reads;
      topic.countKnown = true;
      broadcast.changed(topic);
    },
    live: (site, article) => (topics.find(site, article)?.readers ?? 0) + (remote?.of(site, article) ?? 0),
    liveOf(site) {
      const byArticle = new Map<string, number>();
      for (const topic of topics.ofSite(site)) if (topic.readers > 0) byArticle.set(topic.article, topic.readers);
      for (const [article, readers] of remote?.ofSite(site) ?? []) byArticle.set(article, (byArticle.get(article) ?? 0) + readers);
      return byArticle;
    },
    remoteChanged(site, article) {
      const topic = topics.find(site, article);
      if (topic !== undefined) {
        topic.remote = remote?.of(site, article) ?? 0;
        presence.changed(topic);
      }
      sites.liveChanged(site);
    },
    markSent(peer, topic) {
      if (!topic.peers.has(peer)) return;
      // What the caller sent is exactly what exactFrame() would frame: note it the same way.
      if (readersMoved(topic)) topic.offFrame = true;
      else versionFrame(topic);
      topic.peers.set(peer, topic.version);
    },
    exactFrame(topic) {
      if (!readersMoved(topic)) return versionFrame(topic);
      topic.offFrame = true;
      return wireFrame(countJson(topic));
    },
    topics: () => topics.all(),
    topicsOf: (site) => topics.ofSite(site),
    watchSite: (peer, site, render) => sites.watch(peer, site, render),
    unwatchSite: (peer) => sites.unwatch(peer),
    siteChanged: (site) => sites.changed(site),
    sendToSite: (site, json) => sites.send(site, json),
    watchedSites: () => sites.sites(),
    observe: (observer) => void observers.push(observer),
    flush: () => broadcast.flush(),
    close() {
      broadcast.close();
      presence.close();
      sites.close();
      topics.clear();
    },
  };
}
