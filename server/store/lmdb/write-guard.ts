import { StoreError } from '../port.js';
import type { RoomCheck } from './disk-room.js';

// After a read's commit failed, /healthz reports 503 until a read commits again or this long passes.
const WRITE_FAILURE_MS = 60_000;

/** Whether the store may write now, and what a refused or failed write leaves for /healthz and the log. */
export interface WriteGuard {
  /** Why a write cannot happen now (read-only, nearly full), or undefined when it can. */
  readonly roomToWrite: RoomCheck;
  /** The StoreError of a write refused for `problem`, naming DATA_DIR. */
  cannotWrite(problem: string): StoreError;
  /** Refuses a read's write: remembers the failure, logs it at most once a minute. */
  refuse(problem: string, at: number): Promise<never>;
  /** Follows a write's commit: a failure turns /healthz 503 for a while, a success ends that. */
  watch(write: Promise<unknown>, at: number): void;
  /** True while a recent write failed. */
  recentlyFailed(at: number): boolean;
}

/** Creates the guard of the store in `dir`. */
export function createWriteGuard(dir: string, roomToWrite: RoomCheck, log: (message: string) => void): WriteGuard {
  let failedAt: number | undefined;
  let loggedAt = -Infinity;
  const cannotWrite = (problem: string): StoreError => new StoreError(`DATA_DIR ${JSON.stringify(dir)} cannot be written: ${problem}`);
  return {
    roomToWrite,
    cannotWrite,
    refuse(problem, at) {
      failedAt = at;
      if (performance.now() - loggedAt > WRITE_FAILURE_MS) {
        loggedAt = performance.now();
        log(`${cannotWrite(problem).message}. Reads are refused (store_unavailable) and /healthz is 503 until it can.`);
      }
      return Promise.reject(cannotWrite(problem));
    },
    watch(write, at) {
      write.then(
        () => void (failedAt = undefined),
        (error: { commitError?: Promise<unknown> }) => {
          failedAt = at;
          // The cause (ENOSPC, EROFS) rides on a second promise that would otherwise go unhandled.
          error.commitError?.catch(() => {});
        },
      );
    },
    recentlyFailed: (at) => failedAt !== undefined && at - failedAt < WRITE_FAILURE_MS,
  };
}
