import { afterEach, beforeEach, vi } from 'vitest';
import type { Peer } from '../../server/live/hub.js';

/** A frame a fake peer was handed, parsed: counts and site frames alike. */
export type FakeFrame = { type: string; reads: number; live: number } & Record<string, unknown>;

/** A hub peer that records the frames it is handed; `buffered` plays a slow socket. */
export function fakePeer(buffered = 0): Peer & { frames: FakeFrame[]; buffered: number } {
  return {
    frames: [],
    buffered,
    get bufferedAmount() {
      return this.buffered;
    },
    send(frame: Buffer) {
      this.frames.push(JSON.parse(frame.toString()));
    },
  };
}

// Turns are real event-loop turns (setImmediate); timers and the presence clock are fake, so
// "later" is a step of the fake clock and never a real wait.
/** Lets one event-loop turn run. */
export const nextTurn = (): Promise<unknown> => new Promise((resolve) => setImmediate(resolve));

/** Moves the fake clock by `ms`, firing the timers due, then lets the turns they started run. */
export async function later(ms: number): Promise<void> {
  vi.advanceTimersByTime(ms);
  for (let i = 0; i < 3; i++) await nextTurn();
}

/**
 * Fake timers (setTimeout and the presence clock; turns stay real) for each test of the
 * enclosing describe, and closes the hub the test made: `let hub: Hub; fakeHubClock(() => hub);`.
 */
export function fakeHubClock(hub: () => { close(): void } | undefined): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    hub()?.close();
    vi.useRealTimers();
  });
}
