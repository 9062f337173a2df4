import { StoreCapError, StoreError } from '../port.js';

/** Runs a Redis call so that any failure surfaces as a StoreError naming REDIS_URL. */
export interface Guard {
  <T>(work: () => Promise<T>): Promise<T>;
  /** The same for every step of a lazily read listing. */
  all<T>(rows: AsyncIterable<T>): AsyncIterable<T>;
}

/** A guard whose errors start with `where` (`REDIS_URL redis://…`, password hidden). */
export function createGuard(where: string): Guard {
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      // A cap refusal is an answer, not a failure; it passes through as it is.
      if (error instanceof StoreCapError || error instanceof StoreError) throw error;
      throw new StoreError(`${where} cannot be used: ${(error as Error).message || (error as Error).name}`);
    }
  };
  const all = <T>(rows: AsyncIterable<T>): AsyncIterable<T> => ({
    async *[Symbol.asyncIterator]() {
      const iterator = rows[Symbol.asyncIterator]();
      for (;;) {
        const next = await guard(() => iterator.next());
        if (next.done === true) return;
        yield next.value;
      }
    },
  });
  return Object.assign(guard, { all });
}
