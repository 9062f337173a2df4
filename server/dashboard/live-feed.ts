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

/** Options for createLiveFeed(). */
export interface LiveFeedOptions {
  store: Pick<Store, 'siteTotal' | 'daily'>;
  /** The fan-out: each watched site is a channel on the hub, which also follows its `live`. */
  hub: Pick<Hub, 'topicsOf' | 'watchSite' | 'unwatchSite' | 'watchedSites' | 'siteChanged' | 'sendToSite'>;
  now: () => number;
  /** Reads kept per site for the dashboard's first paint. @default 30 */
  recentMax?: number;
}

/** The dashboard's live channel: recent reads per site, and `site` and `feed` frames for admin sockets watching a site. */
export interface LiveFeed {
  /** Plugs into the server's events (combineEvents). */
  readonly events: Pick<ServerEvents, 'readCounted'>;
  /** Reads counted on a site since the server started, newest first. */
  recent(site: string): FeedItem[];
  /** Starts sending `site` and `feed` frames for `site` to an admin socket (replacing what it watched), once its figures are read. */
  watch(peer: Peer, site: string): void;
  /** Stops sending to an admin socket; called when it closes. */
  unwatch(peer: Peer): void;
  close(): void;
}

// Open ALLOWED_ORIGINS lets any host count, so the per-site memory is capped.
const MAX_RECENT_SITES = 100;
const MAX_READING_LISTED = 50;
const DAY_MS = 86_400_000;

/** A watched site's figures: read from the store once, then kept current by counted reads. */
interface Figures {
  reads: number;
  today: number;
  day: string;
  /** Settles once the stored figures are added in (reads counted meanwhile are already in). */
  loaded: Promise<void>;
}

/** Creates the feed. It keeps figures, and one timer for the UTC midnight, only while a site is watched. */
export function createLiveFeed({ store, hub, now, recentMax = 30 }: LiveFeedOptions): LiveFeed {
  const recent = new Map<string, FeedItem[]>();
  const figures = new Map<string, Figures>();
  // Admin sockets waiting for their site's figures before they join its channel.
  const waiting = new Map<Peer, string>();
  let midnight: NodeJS.Timeout | undefined;

  function render(site: string, state: Figures): string {
    const day = utcDay(now());
    if (day > state.day) {
      state.day = day;
      state.today = 0;
    }
    const live = liveBySite(hub, site);
    const reading = [...live.byArticle]
      .sort((a, b) => b[1] - a[1])
      .slice(0, MAX_READING_LISTED)
      .map(([article, n]) => ({ article, live: n }));
    return JSON.stringify({ type: 'site', site, reads: state.reads, today: state.today, live: live.total, reading });
  }

  // Both reads are asked for at once, before any later read is counted into `state`: with the
  // embedded store they run right here, so nothing is counted twice or missed.
  async function load(site: string, state: Figures): Promise<void> {
    const day = state.day;
    const [total, rows] = await Promise.all([store.siteTotal(site), store.daily(site, day, day)]);
    state.reads += total.reads;
    if (state.day === day) state.today += rows.reduce((sum, row) => sum + row.reads, 0);
  }

  function figuresOf(site: string): Figures {
    let state = figures.get(site);
    if (state !== undefined) return state;
    const created: Figures = { reads: 0, today: 0, day: utcDay(now()), loaded: Promise.resolve() };
    created.loaded = load(site, created);
    figures.set(site, (state = created));
    midnight ??= scheduleMidnight();
    return state;
  }

  // "Today" starts again at 00:00 UTC even when nothing happens on the site.
  function scheduleMidnight(): NodeJS.Timeout {
    const at = now();
    const timer = setTimeout(() => {
      midnight = figures.size > 0 ? scheduleMidnight() : undefined;
      for (const site of figures.keys()) hub.siteChanged(site);
    }, DAY_MS - (at % DAY_MS));
    timer.unref();
    return timer;
  }

  function forget(site: string): void {
    for (const waitingFor of waiting.values()) if (waitingFor === site) return;
    figures.delete(site);
    if (figures.size > 0) return;
    clearTimeout(midnight);
    midnight = undefined;
  }

  // A peer is either waiting for a site's figures or on its channel, never both.
  function unwatch(peer: Peer): void {
    const waitedFor = waiting.get(peer);
    if (waitedFor !== undefined) {
      waiting.delete(peer);
      if (![...hub.watchedSites()].includes(waitedFor)) forget(waitedFor);
    }
    const left = hub.unwatchSite(peer);
    if (left !== undefined) forget(left);
  }

  return {
    events: {
      readCounted(site, article, reads, at) {
        remember(recent, site, { article, reads, at }, recentMax);
        const state = figures.get(site);
        if (state === undefined) return;
        state.reads++;
        const day = utcDay(at);
        if (day > state.day) {
          state.day = day;
          state.today = 0;
        }
        if (day === state.day) state.today++;
        hub.sendToSite(site, JSON.stringify({ type: 'feed', site, article, reads, at: new Date(at).toISOString() }));
        hub.siteChanged(site);
      },
    },
    recent: (site) => [...(recent.get(site) ?? [])],
    watch(peer, site) {
      unwatch(peer);
      const state = figuresOf(site);
      waiting.set(peer, site);
      state.loaded.then(
        () => {
          if (waiting.get(peer) !== site) return;
          waiting.delete(peer);
          hub.watchSite(peer, site, () => render(site, state));
        },
        // The store could not be read: the socket stays quiet, and the next watch tries again.
        () => {
          if (waiting.get(peer) === site) waiting.delete(peer);
          if (figures.get(site) === state) forget(site);
        },
      );
    },
    unwatch,
    close() {
      clearTimeout(midnight);
      midnight = undefined;
      waiting.clear();
      figures.clear();
    },
  };
}

function remember(recent: Map<string, FeedItem[]>, site: string, item: FeedItem, max: number): void {
  let items = recent.get(site);
  if (items === undefined) {
    if (recent.size >= MAX_RECENT_SITES) recent.delete(recent.keys().next().value!);
    recent.set(site, (items = []));
  }
  items.unshift(item);
  if (items.length > max) items.pop();
}
