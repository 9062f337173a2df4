import type { SubscribeMode } from '../shared/protocol.js';
import { trackActivity } from './activity.js';
import { createConnection } from './connection.js';
import { createActiveClock, readDueIn } from './dwell.js';
import { mayCount } from './privacy.js';

/** One element's view of an article. */
export interface Watcher {
  /** Whether this element may count its reader (not when `readonly`). */
  readonly counts: boolean;
  /** The count, and pages open on the article (-1: unknown while the socket is down). */
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
  article: string;
  watchers: Set<Watcher>;
  /** Highest count seen, -1 before the first. */
  reads: number;
  /** Pages open on the article, -1 while unknown (before the first count, or disconnected). */
  live: number;
  /** Mode sent on the current socket, '' or undefined when not subscribed on it. */
  mode?: SubscribeMode | '';
  /** performance.now() when the current socket subscribed. */
  since?: number;
  /** Active time when this page view of the article began, -1 when no element shows it. */
  activeAt: number;
  read: number;
  retried?: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Every article shown on the page, multiplexed over one connection to `url`: one
 * subscription per article however many elements show it, resubscribed after every
 * reconnect, and one `read` per article per page view, sent once both the reader and the
 * socket have dwelt long enough.
 */
export function createSubscriptions(url: string): Watch {
  // Long only as a factory: the page's subscriptions and their small handlers share one closure.
  const entries = new Map<string, Entry>();
  const clock = createActiveClock(() => performance.now());
  const counting = mayCount();
  // Until the server's hello says otherwise.
  let dwellMs = 10_000;

  const check = (entry: Entry): void => {
    clearTimeout(entry.timer);
    if (entry.mode !== 'reading' || entry.read !== WAITING || entry.activeAt < 0) return;
    const wait = readDueIn(clock.active, clock.elapsed() - entry.activeAt, performance.now() - entry.since!, dwellMs);
    if (wait === 0) {
      if (send({ type: 'read', article: entry.article })) entry.read = SENT;
    } else if (wait < Infinity) {
      entry.timer = setTimeout(check, wait, entry);
    }
  };
  const checkAll = (): void => entries.forEach(check);

  const subscribe = (entry: Entry): void => {
    if (!entry.watchers.size) return;
    const mode = counting && [...entry.watchers].some((w) => w.counts) ? 'reading' : 'watching';
    if (mode !== entry.mode && send({ type: 'subscribe', article: entry.article, mode })) {
      entry.mode = mode;
      entry.since = performance.now();
    }
    check(entry);
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
    open: () => entries.forEach(subscribe),
    close: () =>
      entries.forEach((entry) => {
        entry.mode = '';
        clearTimeout(entry.timer);
        // A read in flight may or may not have been counted: never risk counting it twice.
        if (entry.read === SENT) entry.read = DONE;
        // Who is reading now is unknown until the next count: show no stale figure.
        show(entry, entry.reads, -1);
      }),
    message: (message) => {
      if (message.type === 'hello') {
        dwellMs = message.dwellSeconds * 1000;
        return checkAll();
      }
      const entry = entries.get(message.article!);
      if (!entry) return;
      if (message.type === 'count') return show(entry, message.reads, message.live);
      if (message.type === 'counted') {
        entry.read = DONE;
        show(entry, message.reads, message.live);
        return entry.watchers.forEach((w) => w.counts && w.counted(message.reads));
      }
      // Frame types this version does not know are ignored.
      if (message.type !== 'error' || entry.read !== SENT) return;
      // Refused, so nothing changed: retry once, after retryAfterMs (too_early) or one more
      // dwell. Moving `since` back makes check() wait that long (plus the margin) from now.
      entry.read = entry.retried ? DONE : WAITING;
      entry.retried = true;
      entry.since = performance.now() + (message.retryAfterMs ?? dwellMs) - dwellMs;
      check(entry);
    },
  });
  trackActivity(clock, checkAll);

  return (article, watcher) => {
    let found = entries.get(article);
    if (!found) entries.set(article, (found = { article, watchers: new Set(), reads: -1, live: -1, activeAt: -1, read: WAITING }));
    if (found.activeAt < 0) found.activeAt = clock.elapsed();
    found.watchers.add(watcher);
    if (found.reads >= 0) watcher.update(found.reads, found.live);
    subscribe(found);
    return () => {
      found.watchers.delete(watcher);
      // Deferred, so an element moved in the DOM keeps its subscription and its dwell time.
      queueMicrotask(() => {
        if (found.watchers.size) return subscribe(found);
        if (found.mode) send({ type: 'unsubscribe', article });
        found.mode = '';
        found.activeAt = -1;
        clearTimeout(found.timer);
      });
    };
  };
}
