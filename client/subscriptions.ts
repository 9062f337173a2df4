import type { SubscribeMode } from '../shared/protocol.js';
import { trackActivity } from './activity.js';
import { createConnection } from './connection.js';
import { ActiveClock, readDueIn } from './dwell.js';
import { mayCount } from './privacy.js';

/** One element's view of an article. */
export interface Watcher {
  /** Whether this element may count its reader (not when `readonly`). */
  readonly counts: boolean;
  update(reads: number, live: number): void;
  counted(reads: number): void;
}

/** Shows `article` to `watcher` until the returned function is called. */
export type Watch = (article: string, watcher: Watcher) => () => void;

// Where an article's one `read` of this page view stands.
const WAITING = 0;
const SENT = 1;
const DONE = 2;

interface Entry {
  watchers: Set<Watcher>;
  /** Highest count seen, -1 before the first. */
  reads: number;
  live: number;
  /** Mode sent on the current socket, '' when not subscribed on it. */
  mode: SubscribeMode | '';
  /** performance.now() when the current socket subscribed. */
  since: number;
  /** Active time when this page view of the article began, -1 when no element shows it. */
  activeAt: number;
  read: number;
  retried: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Every article shown on the page, multiplexed over one connection to `url`: one
 * subscription per article however many elements show it, resubscribed after every
 * reconnect, and one `read` per article per page view, sent once both the reader and the
 * socket have dwelt long enough.
 */
export function createSubscriptions(url: string): Watch {
  const entries = new Map<string, Entry>();
  const clock = new ActiveClock(() => performance.now());
  const counting = mayCount();
  // Until the server's hello says otherwise.
  let dwellMs = 10_000;

  const checkAll = (): void => entries.forEach((entry, article) => check(article, entry));

  const check = (article: string, entry: Entry): void => {
    clearTimeout(entry.timer);
    if (entry.mode !== 'reading' || entry.read !== WAITING || entry.activeAt < 0) return;
    const wait = readDueIn(clock.active, clock.elapsed() - entry.activeAt, performance.now() - entry.since, dwellMs);
    if (wait === 0) {
      if (send({ type: 'read', article })) entry.read = SENT;
    } else if (wait < Infinity) {
      entry.timer = setTimeout(() => check(article, entry), wait);
    }
  };

  const subscribe = (article: string, entry: Entry): void => {
    const mode = counting && [...entry.watchers].some((w) => w.counts) ? 'reading' : 'watching';
    if (mode !== entry.mode && send({ type: 'subscribe', article, mode })) {
      entry.mode = mode;
      entry.since = performance.now();
    }
    check(article, entry);
  };

  /** Counts are state: the latest wins, but a page never shows a lower count than it has. */
  const show = (entry: Entry, reads: number, live: number): void => {
    reads = Math.max(reads, entry.reads);
    if (reads === entry.reads && live === entry.live) return;
    entry.reads = reads;
    entry.live = live;
    entry.watchers.forEach((w) => w.update(reads, live));
  };

  const send = createConnection(url, {
    open: () => entries.forEach((entry, article) => entry.watchers.size && subscribe(article, entry)),
    close: () =>
      entries.forEach((entry) => {
        entry.mode = '';
        clearTimeout(entry.timer);
        // A read in flight may or may not have been counted: never risk counting it twice.
        if (entry.read === SENT) entry.read = DONE;
      }),
    message: (message) => {
      if (message.type === 'hello') {
        dwellMs = message.dwellSeconds * 1000;
        return checkAll();
      }
      const article = message.article!;
      const entry = entries.get(article);
      if (!entry) return;
      if (message.type === 'count') return show(entry, message.reads, message.live);
      if (message.type === 'counted') {
        entry.read = DONE;
        show(entry, message.reads, message.live);
        return entry.watchers.forEach((w) => w.counts && w.counted(message.reads));
      }
      if (entry.read !== SENT) return;
      // Refused, so nothing changed: retry once, after retryAfterMs (too_early) or one more
      // dwell. Moving `since` back makes check() wait that long (plus the margin) from now.
      entry.read = entry.retried ? DONE : WAITING;
      entry.retried = true;
      entry.since = performance.now() + (message.retryAfterMs ?? dwellMs) - dwellMs;
      check(article, entry);
    },
  });
  trackActivity(clock, checkAll);

  return (article, watcher) => {
    let entry = entries.get(article);
    if (!entry) {
      entry = { watchers: new Set(), reads: -1, live: 0, mode: '', since: 0, activeAt: -1, read: WAITING, retried: false };
      entries.set(article, entry);
    }
    const found = entry;
    if (found.activeAt < 0) found.activeAt = clock.elapsed();
    found.watchers.add(watcher);
    if (found.reads >= 0) watcher.update(found.reads, found.live);
    subscribe(article, found);
    return () => {
      found.watchers.delete(watcher);
      // Deferred, so an element moved in the DOM keeps its subscription and its dwell time.
      queueMicrotask(() => {
        if (found.watchers.size) return subscribe(article, found);
        if (found.mode) send({ type: 'unsubscribe', article });
        found.mode = '';
        found.activeAt = -1;
        clearTimeout(found.timer);
      });
    };
  };
}
