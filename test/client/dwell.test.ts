import { describe, expect, it } from 'vitest';
import { createActiveClock, READ_MARGIN_MS, readDueIn } from '../../client/dwell.js';

function fakeNow(): { now: () => number; to: (ms: number) => void } {
  let time = 1_000;
  return { now: () => time, to: (ms) => void (time = ms) };
}

describe('createActiveClock', () => {
  it('adds up only the time spent active, from timestamps', () => {
    const t = fakeNow();
    const clock = createActiveClock(t.now);
    expect(clock.elapsed()).toBe(0);
    clock.active = true;
    t.to(4_000);
    expect(clock.elapsed()).toBe(3_000);
    clock.active = false;
    t.to(60_000);
    expect(clock.elapsed()).toBe(3_000);
    clock.active = true;
    t.to(62_500);
    expect(clock.elapsed()).toBe(5_500);
  });

  it('ignores a repeated state', () => {
    const t = fakeNow();
    const clock = createActiveClock(t.now);
    clock.active = true;
    t.to(2_000);
    clock.active = true;
    t.to(3_000);
    clock.active = false;
    clock.active = false;
    t.to(9_000);
    expect(clock.elapsed()).toBe(2_000);
    expect(clock.active).toBe(false);
  });
});

describe('readDueIn', () => {
  const dwell = 10_000;

  it('is 0 once both the reader and the connection have dwelt, plus the margin', () => {
    expect(readDueIn(true, 10_000, 10_000 + READ_MARGIN_MS, dwell)).toBe(0);
    expect(readDueIn(false, 12_000, 30_000, dwell)).toBe(0);
  });

  it('waits for whichever of reading time and connection time is further away', () => {
    expect(readDueIn(true, 4_000, 9_000, dwell)).toBe(6_000);
    // Reconnected 2 s ago after reading for 30 s: the server's dwell clock restarted.
    expect(readDueIn(true, 30_000, 2_000, dwell)).toBe(8_000 + READ_MARGIN_MS);
    expect(readDueIn(false, 30_000, 2_000, dwell)).toBe(8_000 + READ_MARGIN_MS);
  });

  it('never comes due while the reader is away and short of the dwell time', () => {
    expect(readDueIn(false, 9_999, 60_000, dwell)).toBe(Infinity);
  });
});
