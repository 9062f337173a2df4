import { ErrorCode } from '../shared/protocol.js';
import { BUDGET_SPENT, StoreCapError, type DailyBudget, type IncrementResult, type Store } from './store/port.js';
import type { ServerEvents } from './events.js';
import type { IpLimits } from './trust/ip-limits.js';
import type { Reader } from './trust/reader.js';
import type { SeenKeyFn } from './trust/dedupe.js';

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
  /**
   * Counts one read, after the per-IP budget and (with DEDUPE=daily) the once-a-day check;
   * resolves with the new total after the write committed and the broadcast was scheduled.
   * Rejects with ReadRefused, having changed nothing, otherwise.
   */
  record(site: string, article: string, reader: Reader): Promise<number>;
  /** Refuses new reads from now on (shutdown). */
  stop(): void;
  /** Resolves when every read already accepted has committed (or failed). */
  drain(): Promise<void>;
}

/** Where a committed count goes next: the fan-out port, as the counting core sees it. */
export type PublishCount = (site: string, article: string, reads: number) => void;

/** Options for createReadRecorder(). */
export interface ReadRecorderOptions {
  store: Store;
  /**
   * The fan-out port: hands a committed total on to every page showing the article (the
   * in-process hub today). Called only after the write committed.
   */
  publish: PublishCount;
  now: () => number;
  events: ServerEvents;
  limits: IpLimits;
  /** Present with DEDUPE=daily. */
  seenKey: SeenKeyFn | undefined;
  /** With DEDUPE=daily: reads counted per client network and article per UTC day. @default Infinity */
  maxReadsPerNetworkPerArticlePerDay?: number;
}

/** A read's dedupe keys (none with DEDUPE=off). */
interface DedupeKeys {
  seen?: string;
  budget?: DailyBudget;
}
const NO_KEYS: DedupeKeys = {};

/**
 * Creates the recorder. The order is the durability rule: broadcast only after commit,
 * so no page is ever shown a count that a crash could take back.
 */
export function createReadRecorder(options: ReadRecorderOptions): ReadRecorder {
  // Long only as a factory: small methods closing over the state above, none over ~40 lines.
  const { store, publish, now, events, limits, seenKey, maxReadsPerNetworkPerArticlePerDay: dailyMax = Infinity } = options;
  const pending = new Set<Promise<unknown>>();
  let stopped = false;

  // With DEDUPE=daily: the reader's seen key, and its network's budget for the article. A new
  // User-Agent is a new reader to dedupe, so one network could count once per user agent;
  // the budget bounds that. Hashed like a seen key, so the network is never stored.
  function dedupeKeys(site: string, article: string, reader: Reader, at: number): DedupeKeys | Promise<DedupeKeys> {
    if (seenKey === undefined || reader.material === undefined) return NO_KEYS;
    const seen = seenKey(reader.material, article, at);
    if (dailyMax === Infinity) return typeof seen === 'string' ? { seen } : seen.then((key) => ({ seen: key }));
    const network = seenKey(`network\n${reader.limitKey}\n${site}`, article, at);
    if (typeof seen === 'string' && typeof network === 'string') return { seen, budget: { key: network, max: dailyMax } };
    return Promise.all([seen, network]).then(([key, budgetKey]) => ({ seen: key, budget: { key: budgetKey, max: dailyMax } }));
  }

  function write(site: string, article: string, reader: Reader, at: number): Promise<IncrementResult> {
    const keys = dedupeKeys(site, article, reader, at);
    // Once the day's secret is known the keys are ready in this turn, and the write joins this
    // turn's LMDB batch, as with no dedupe; only the day's first read waits for the secret.
    if (!(keys instanceof Promise)) return store.increment(site, article, at, keys.seen, keys.budget);
    return keys.then(({ seen, budget }) => store.increment(site, article, at, seen, budget));
  }

  return {
    async record(site, article, reader) {
      if (stopped) throw new ReadRefused(ErrorCode.shuttingDown, 'the server is shutting down; the read was not counted');
      if (!limits.takeRead(reader.limitKey)) {
        throw new ReadRefused(ErrorCode.tooManyReads, 'too many reads from this network in the last minute; the read was not counted');
      }
      const at = now();
      const started = performance.now();
      const written = write(site, article, reader, at);
      pending.add(written);
      let reads: IncrementResult;
      try {
        reads = await written;
        events.committed(performance.now() - started);
      } catch (error) {
        if (error instanceof StoreCapError) throw new ReadRefused(error.code, error.message);
        throw new ReadRefused(ErrorCode.storeUnavailable, 'the count could not be stored; try again later');
      } finally {
        pending.delete(written);
      }
      if (reads === undefined) throw new ReadRefused(ErrorCode.alreadyReadToday, 'this reader was already counted for this article today');
      if (reads === BUDGET_SPENT) {
        throw new ReadRefused(ErrorCode.tooManyReadsToday, `${dailyMax} readers from this network were already counted for this article today; the read was not counted`);
      }
      publish(site, article, reads);
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
