import { setImmediate as nextTurn } from 'node:timers/promises';

/** Items handled between two turns of the event loop: a few milliseconds of work at most. */
export const ITEMS_PER_TURN = 500;

/**
 * Iterates `items`, letting the event loop run (other requests, /healthz, sockets) every
 * `every` items, so one long scan never holds the server for long.
 */
export async function* yielding<T>(items: Iterable<T> | AsyncIterable<T>, every = ITEMS_PER_TURN): AsyncGenerator<T> {
  let count = 0;
  for await (const item of items) {
    yield item;
    if (++count % every === 0) await nextTurn();
  }
}
