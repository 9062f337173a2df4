import type { Hub } from '../live/hub.js';
import { encodePresence, type ReaderCount } from './presence-message.js';

/** Options of createLocalPresence(). */
export interface LocalPresenceOptions {
  /** This node's id. */
  self: string;
  /** Where this node's readers are: every topic's `readers` (this node's pages only). */
  hub: Pick<Hub, 'topics'>;
  /** Publishes one payload on the presence channel; rejects while Redis is away. */
  publish(payload: string): Promise<unknown>;
  /** A full snapshot goes out at least this often, even when nothing changed: it is also the node's sign of life. */
  snapshotMs: number;
  /** A monotonic clock in ms. @default performance.now */
  now?: () => number;
}

/** This node's side of presence: at most one message per tick, whatever the number of readers. */
export interface LocalPresence {
  /** Publishes the articles whose readers changed since the last message, or a full snapshot when due; nothing when nothing changed. */
  tick(): Promise<void>;
  /** The next tick sends a full snapshot (another node joined, or Redis came back). */
  requestFull(): void;
  /** The message that asks every other node for a snapshot (sent after each (re)subscribe). */
  hello(): string;
  /** The message that says nobody reads anything here any more (sent on a clean stop). */
  goodbye(): string;
}

const key = (site: string, article: string): string => `${site}\n${article}`;

/** Creates the publisher of this node's reader counts. */
export function createLocalPresence({ self, hub, publish, snapshotMs, now = () => performance.now() }: LocalPresenceOptions): LocalPresence {
  // What the other nodes were last told, per `site\narticle`.
  let sent = new Map<string, ReaderCount>();
  let fullAt = -Infinity;
  let wantFull = true;
  let busy = false;

  function current(): Map<string, ReaderCount> {
    const counts = new Map<string, ReaderCount>();
    for (const topic of hub.topics()) if (topic.readers > 0) counts.set(key(topic.site, topic.article), [topic.site, topic.article, topic.readers]);
    return counts;
  }

  function changes(counts: Map<string, ReaderCount>): ReaderCount[] {
    const changed: ReaderCount[] = [];
    for (const [k, count] of counts) if (sent.get(k)?.[2] !== count[2]) changed.push(count);
    for (const [k, [site, article]] of sent) if (!counts.has(k)) changed.push([site, article, 0]);
    return changed;
  }

  return {
    async tick() {
      // One message at a time: a slow Redis must not pile them up.
      if (busy) return;
      const counts = current();
      const full = wantFull || now() - fullAt >= snapshotMs;
      const readers = full ? [...counts.values()] : changes(counts);
      if (!full && readers.length === 0) return;
      busy = true;
      try {
        await publish(encodePresence({ node: self, full, hello: false, readers }));
        sent = counts;
        if (full) {
          fullAt = now();
          wantFull = false;
        }
      } catch {
        // Redis is away: the others may have missed anything, so the next message is whole.
        wantFull = true;
      } finally {
        busy = false;
      }
    },
    requestFull: () => void (wantFull = true),
    hello: () => encodePresence({ node: self, full: false, hello: true, readers: [] }),
    goodbye: () => encodePresence({ node: self, full: true, hello: false, readers: [] }),
  };
}
