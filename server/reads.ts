import { ErrorCode } from '../shared/protocol.js';
import type { Hub } from './live/hub.js';
import type { Store } from './store.js';
import type { ServerEvents } from './events.js';

/** A read that was not counted, with the error code the page is sent. Nothing changed. */
export class ReadRefused extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Turns an earned read into a committed count and its broadcast. */
export interface ReadRecorder {
  /** Counts one read; resolves with the new total after the write committed and the broadcast was scheduled. */
  record(site: string, article: string): Promise<number>;
  /** Refuses new reads from now on (shutdown). */
  stop(): void;
  /** Resolves when every read already accepted has committed (or failed). */
  drain(): Promise<void>;
}

/** Options for createReadRecorder(). */
export interface ReadRecorderOptions {
  store: Store;
  hub: Hub;
  now: () => number;
  events: ServerEvents;
}

/**
 * Creates the recorder. The order is the durability rule: broadcast only after commit,
 * so no page is ever shown a count that a crash could take back.
 */
export function createReadRecorder({ store, hub, now, events }: ReadRecorderOptions): ReadRecorder {
  const pending = new Set<Promise<unknown>>();
  let stopped = false;

  return {
    async record(site, article) {
      if (stopped) throw new ReadRefused(ErrorCode.shuttingDown, 'the server is shutting down; the read was not counted');
      const at = now();
      const started = performance.now();
      const write = store.increment(site, article, at);
      pending.add(write);
      let reads: number;
      try {
        reads = await write;
        events.committed(performance.now() - started);
      } catch {
        throw new ReadRefused(ErrorCode.storeUnavailable, 'the count could not be stored; try again later');
      } finally {
        pending.delete(write);
      }
      hub.publish(site, article, reads);
      events.readCounted(site, article, reads, at);
      return reads;
    },
    stop() {
      stopped = true;
    },
    async drain() {
      await Promise.allSettled([...pending]);
    },
  };
}
