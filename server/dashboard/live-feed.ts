import type { Hub, Peer } from '../live/hub.js';
import type { Store } from '../store.js';
import type { ServerEvents } from '../events.js';
import { utcDay } from '../store.js';
import { liveBySite } from '../stats/site-stats.js';

/** A counted read as the feed shows it: the article and when, nothing about the reader. */
export interface FeedItem {
  article: string;
  /** The article's total after this read. */
  reads: number;
  /** Epoch ms. */
  at: number;
}

/** An admin socket as the feed sees it: a hub peer, minus the pre-framed path it does not use. */
export type AdminPeer = Pick<Peer, 'send' | 'bufferedAmount'>;

/** Options for createLiveFeed(). */
export interface LiveFeedOptions {
  store: Pick<Store, 'totals' | 'daily'>;
  /** The hub, read when a frame is built (it is created after the events that feed this). */
  hub: () => Pick<Hub, 'topicsOf'>;
  now: () => number;
  /** How often "reading now" is re-checked for watched sites, in ms. @default 1000 */
  pollMs?: number;
  /** Reads kept per site for the dashboard's first paint. @default 30 */
  recentMax?: number;
}

/** The dashboard's live channel: recent reads per site, and frames for admin sockets watching a site. */
export interface LiveFeed {
  /** Plugs into the server's events (combineEvents). */
  readonly events: Pick<ServerEvents, 'readCounted'>;
  /** Reads counted on a site since the server started, newest first. */
  recent(site: string): FeedItem[];
  /** Starts sending `site` and `feed` frames for `site` to an admin socket (replacing what it watched). */
  watch(peer: AdminPeer, site: string): void;
  /** Stops sending to an admin socket; called when it closes. */
  unwatch(peer: AdminPeer): void;
  close(): void;
}

// Open ALLOWED_ORIGINS lets any host count, so the per-site memory is capped.
const MAX_RECENT_SITES = 100;
// An admin socket this far behind is skipped: the next `site` frame brings it up to date.
const MAX_BUFFERED_BYTES = 256 * 1024;
const MAX_READING_LISTED = 50;

interface Watched {
  peers: Set<AdminPeer>;
  reads: number;
  today: number;
  day: string;
  lastFrame: string;
}

/** Creates the feed. It holds no timer while no admin socket is watching. */
export function createLiveFeed({ store, hub, now, pollMs = 1000, recentMax = 30 }: LiveFeedOptions): LiveFeed {
  const recent = new Map<string, FeedItem[]>();
  const watched = new Map<string, Watched>();
  const siteOf = new Map<AdminPeer, string>();
  let poller: NodeJS.Timeout | undefined;
  // Sites whose figures changed this turn. A `site` frame walks every topic of the hub, so it
  // is rebuilt once per event-loop turn, not once per read of a busy site.
  const changedSites = new Set<string>();
  let refreshTurn: NodeJS.Immediate | undefined;

  function refreshSoon(site: string): void {
    changedSites.add(site);
    refreshTurn ??= setImmediate(() => {
      refreshTurn = undefined;
      for (const changed of changedSites) {
        const state = watched.get(changed);
        if (state !== undefined) refresh(changed, state);
      }
      changedSites.clear();
    });
  }

  function todayReads(site: string, day: string): number {
    return store.daily(site, day, day).reduce((sum, row) => sum + row.reads, 0);
  }

  function siteFrame(site: string, state: Watched): string {
    const live = liveBySite(hub(), site);
    const reading = [...live.byArticle]
      .sort((a, b) => b[1] - a[1])
      .slice(0, MAX_READING_LISTED)
      .map(([article, n]) => ({ article, live: n }));
    return JSON.stringify({ type: 'site', site, reads: state.reads, today: state.today, live: live.total, reading });
  }

  function send(state: Watched, frame: string): void {
    const data = Buffer.from(frame);
    for (const peer of state.peers) if (peer.bufferedAmount <= MAX_BUFFERED_BYTES) peer.send(data);
  }

  function refresh(site: string, state: Watched): void {
    const day = utcDay(now());
    if (day !== state.day) {
      state.day = day;
      state.today = todayReads(site, day);
    }
    const frame = siteFrame(site, state);
    if (frame === state.lastFrame) return;
    state.lastFrame = frame;
    send(state, frame);
  }

  function poll(): void {
    for (const [site, state] of watched) refresh(site, state);
  }

  function unwatch(peer: AdminPeer): void {
    const site = siteOf.get(peer);
    if (site === undefined) return;
    siteOf.delete(peer);
    const state = watched.get(site);
    state?.peers.delete(peer);
    if (state?.peers.size === 0) watched.delete(site);
    if (watched.size === 0) {
      clearInterval(poller);
      poller = undefined;
    }
  }

  return {
    events: {
      readCounted(site, article, reads, at) {
        let items = recent.get(site);
        if (items === undefined) {
          if (recent.size >= MAX_RECENT_SITES) recent.delete(recent.keys().next().value!);
          recent.set(site, (items = []));
        }
        items.unshift({ article, reads, at });
        if (items.length > recentMax) items.pop();
        const state = watched.get(site);
        if (state === undefined) return;
        state.reads++;
        if (utcDay(at) === state.day) state.today++;
        send(state, JSON.stringify({ type: 'feed', site, article, reads, at: new Date(at).toISOString() }));
        refreshSoon(site);
      },
    },
    recent: (site) => [...(recent.get(site) ?? [])],
    watch(peer, site) {
      unwatch(peer);
      let state = watched.get(site);
      if (state === undefined) {
        let reads = 0;
        for (const t of store.totals(site)) reads += t.reads;
        const day = utcDay(now());
        state = { peers: new Set(), reads, today: todayReads(site, day), day, lastFrame: '' };
        watched.set(site, state);
      }
      state.peers.add(peer);
      siteOf.set(peer, site);
      const frame = siteFrame(site, state);
      state.lastFrame = frame;
      peer.send(Buffer.from(frame));
      if (poller === undefined) {
        poller = setInterval(poll, pollMs);
        poller.unref();
      }
    },
    unwatch,
    close() {
      clearInterval(poller);
      poller = undefined;
      if (refreshTurn !== undefined) clearImmediate(refreshTurn);
      refreshTurn = undefined;
      changedSites.clear();
      watched.clear();
      siteOf.clear();
    },
  };
}
