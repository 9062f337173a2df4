import type { Hub, Peer } from '../live/hub.js';
import type { Store } from '../store/port.js';
import type { ServerEvents } from '../events.js';
import { utcDay } from '../utc-day.js';
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
  /** What the feed reads of the store, once per watched site. */
  store: Pick<Store, 'siteTotal' | 'daily'>;
  /** The fan-out: each watched site is a channel on the hub, which also follows its `live`. */
  hub: Pick<Hub, 'liveOf' | 'watchSite' | 'unwatchSite' | 'watchedSites' | 'siteChanged' | 'sendToSite'>;
  now: () => number;
  /** Reads kept per site for the dashboard's first paint. @default 30 */
  recentMax?: number;
}

/** The dashboard's live channel: recent reads per site, and `site` and `feed` frames for admin sockets watching a site. */
export interface LiveFeed {
  /** Plugs into the server's events (combineEvents): this node's reads. */
  readonly events: Pick<ServerEvents, 'readCounted'>;
  /** A read counted on any node (cluster mode feeds every node's reads here instead of `events`). */
  counted(site: string, article: string, reads: number, at: number): void;
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

/** Creates the feed. It keeps figures, and one timer for 00:00 UTC, only while a site is watched. */
export function createLiveFeed(options: LiveFeedOptions): LiveFeed {
  return new SiteFeed(options);
}

class SiteFeed implements LiveFeed {
  readonly events: Pick<ServerEvents, 'readCounted'> = { readCounted: (site, article, reads, at) => this.counted(site, article, reads, at) };
  readonly #store: LiveFeedOptions['store'];
  readonly #hub: LiveFeedOptions['hub'];
  readonly #now: () => number;
  readonly #recentMax: number;
  readonly #recent = new Map<string, FeedItem[]>();
  readonly #figures = new Map<string, Figures>();
  // Admin sockets waiting for their site's figures before they join its channel.
  readonly #waiting = new Map<Peer, string>();
  #midnight: NodeJS.Timeout | undefined;

  constructor({ store, hub, now, recentMax = 30 }: LiveFeedOptions) {
    this.#store = store;
    this.#hub = hub;
    this.#now = now;
    this.#recentMax = recentMax;
  }

  recent(site: string): FeedItem[] {
    return [...(this.#recent.get(site) ?? [])];
  }

  watch(peer: Peer, site: string): void {
    this.unwatch(peer);
    const state = this.#figuresOf(site);
    this.#waiting.set(peer, site);
    state.loaded.then(
      () => {
        if (this.#stopWaiting(peer, site)) this.#hub.watchSite(peer, site, () => renderSite(this.#hub, site, state, this.#now()));
      },
      // The store could not be read: the socket stays quiet, and the next watch tries again.
      () => {
        if (this.#stopWaiting(peer, site) && this.#figures.get(site) === state) this.#forget(site);
      },
    );
  }

  // A peer is either waiting for a site's figures or on its channel, never both.
  unwatch(peer: Peer): void {
    const waitedFor = this.#waiting.get(peer);
    if (waitedFor !== undefined) {
      this.#waiting.delete(peer);
      if (![...this.#hub.watchedSites()].includes(waitedFor)) this.#forget(waitedFor);
    }
    const left = this.#hub.unwatchSite(peer);
    if (left !== undefined) this.#forget(left);
  }

  close(): void {
    clearTimeout(this.#midnight);
    this.#midnight = undefined;
    this.#waiting.clear();
    this.#figures.clear();
  }

  counted(site: string, article: string, reads: number, at: number): void {
    remember(this.#recent, site, { article, reads, at }, this.#recentMax);
    const state = this.#figures.get(site);
    if (state === undefined) return;
    state.reads++;
    turnDay(state, utcDay(at));
    if (utcDay(at) === state.day) state.today++;
    this.#hub.sendToSite(site, JSON.stringify({ type: 'feed', site, article, reads, at: new Date(at).toISOString() }));
    this.#hub.siteChanged(site);
  }

  /** True when `peer` was still waiting for `site` (it did not close or switch meanwhile); it waits no more. */
  #stopWaiting(peer: Peer, site: string): boolean {
    if (this.#waiting.get(peer) !== site) return false;
    this.#waiting.delete(peer);
    return true;
  }

  #figuresOf(site: string): Figures {
    const known = this.#figures.get(site);
    if (known !== undefined) return known;
    const state: Figures = { reads: 0, today: 0, day: utcDay(this.#now()), loaded: Promise.resolve() };
    state.loaded = loadFigures(this.#store, site, state);
    this.#figures.set(site, state);
    this.#midnight ??= this.#scheduleMidnight();
    return state;
  }

  #forget(site: string): void {
    for (const waitingFor of this.#waiting.values()) if (waitingFor === site) return;
    this.#figures.delete(site);
    if (this.#figures.size > 0) return;
    clearTimeout(this.#midnight);
    this.#midnight = undefined;
  }

  // "Today" starts over at 00:00 UTC even when nothing happens on the site.
  #scheduleMidnight(): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.#midnight = this.#figures.size > 0 ? this.#scheduleMidnight() : undefined;
      for (const site of this.#figures.keys()) this.#hub.siteChanged(site);
    }, DAY_MS - (this.#now() % DAY_MS));
    timer.unref();
    return timer;
  }
}

// Both reads are asked for at once, before any later read is counted into `state`: with the
// embedded store they run right here, so nothing is counted twice or missed.
async function loadFigures(store: LiveFeedOptions['store'], site: string, state: Figures): Promise<void> {
  const day = state.day;
  const [total, rows] = await Promise.all([store.siteTotal(site), store.daily(site, day, day)]);
  state.reads += total.reads;
  if (state.day === day) state.today += rows.reduce((sum, row) => sum + row.reads, 0);
}

/** The `site` frame: the figures, and "reading now" from the hub. */
function renderSite(hub: Pick<Hub, 'liveOf'>, site: string, state: Figures, now: number): string {
  turnDay(state, utcDay(now));
  const live = liveBySite(hub, site);
  const reading = [...live.byArticle]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_READING_LISTED)
    .map(([article, n]) => ({ article, live: n }));
  return JSON.stringify({ type: 'site', site, reads: state.reads, today: state.today, live: live.total, reading });
}

function turnDay(state: Figures, day: string): void {
  if (day <= state.day) return;
  state.day = day;
  state.today = 0;
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
