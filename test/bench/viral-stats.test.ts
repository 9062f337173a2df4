import { describe, expect, it } from 'vitest';
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, RESTART_RETRIES, backoffDelayMs, cpuPercent, foldStatus, perThousand, settleMs } from '../../bench/lib/viral-stats.mjs';
import { BACKOFF_BASE_MS as ELEMENT_BASE_MS, BACKOFF_CAP_MS as ELEMENT_CAP_MS, RESTART_RETRIES as ELEMENT_RESTART_RETRIES, backoffDelay } from '../../client/backoff.js';

describe('backoffDelayMs', () => {
  it('draws the same delay as the element for every attempt and draw', () => {
    expect([BACKOFF_BASE_MS, BACKOFF_CAP_MS, RESTART_RETRIES]).toEqual([ELEMENT_BASE_MS, ELEMENT_CAP_MS, ELEMENT_RESTART_RETRIES]);
    for (const attempt of [-5, -1, 0, 1, 2, 3, 4, 5, 6, 10]) {
      for (const draw of [0, 0.25, 0.5, 0.999]) expect(backoffDelayMs(attempt, () => draw)).toBe(backoffDelay(attempt, () => draw));
    }
  });

  it('stays below 1 s on the first retry, doubles per failed attempt, and caps at 30 s', () => {
    const top = () => 0.999_999;
    expect(backoffDelayMs(0, top)).toBe(999);
    expect(backoffDelayMs(1, top)).toBe(1999);
    expect(backoffDelayMs(4, top)).toBe(15_999);
    expect(backoffDelayMs(5, top)).toBe(29_999);
    expect(backoffDelayMs(12, top)).toBe(29_999);
    expect(backoffDelayMs(3, () => 0)).toBe(0);
  });
});

describe('cpuPercent and perThousand', () => {
  it('give CPU as a share of one core and per 1,000 connections', () => {
    expect(cpuPercent(3_500, 10_000)).toBe(35);
    expect(cpuPercent(250, 1_000)).toBe(25);
    expect(perThousand(2_200, 10_000)).toBe(220);
  });

  it('are NaN when there is nothing to divide by', () => {
    expect(cpuPercent(100, 0)).toBeNaN();
    expect(perThousand(100, 0)).toBeNaN();
  });
});

describe('settleMs', () => {
  it('is the time from `since` to the last change', () => {
    expect(settleMs(1_750, 1_000)).toBe(750);
  });

  it('is 0 when the figure had settled before `since` or never changed', () => {
    expect(settleMs(900, 1_000)).toBe(0);
    expect(settleMs(-Infinity, 1_000)).toBe(0);
  });

  it('is NaN when the figure never settled', () => {
    expect(settleMs(1_200, 1_000, false)).toBeNaN();
  });
});

describe('foldStatus', () => {
  it('sums counts, keeps the latest …At and the earliest first…At', () => {
    const folded = foldStatus([
      { total: 5_000, holdLive: 4_999, liveChangedAt: 120, firstCloseAt: 40 },
      { total: 4_000, holdLive: 4_000, liveChangedAt: 180, firstCloseAt: 35 },
    ]);
    expect(folded).toEqual({ total: 9_000, holdLive: 8_999, liveChangedAt: 180, firstCloseAt: 35 });
  });

  it('leaves out times that crossed IPC as null (infinite)', () => {
    const folded = foldStatus([{ total: 2, lastRightAt: null as unknown as number }, { total: 3, lastRightAt: 50 }]);
    expect(folded).toEqual({ total: 5, lastRightAt: 50 });
  });
});
