import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, RESTART_RETRIES, backoffDelay } from '../../client/backoff.js';

describe('backoffDelay', () => {
  it('stays in [0, min(cap, base · 2^attempt)) for every attempt and draw', () => {
    fc.assert(
      fc.property(fc.nat(200), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, draw) => {
        const delay = backoffDelay(attempt, () => draw);
        const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }),
    );
  });

  it('doubles its ceiling per attempt up to the cap', () => {
    const almostOne = () => 0.999_999;
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((a) => backoffDelay(a, almostOne))).toEqual([
      999, 1999, 3999, 7999, 15_999, 29_999, 29_999, 29_999,
    ]);
  });

  it('draws the restart retries after a 1001 from a 2 s window, then starts the usual backoff over', () => {
    const almostOne = () => 0.999_999;
    const attempts = Array.from({ length: RESTART_RETRIES + 3 }, (_, i) => i - RESTART_RETRIES);
    expect(attempts.map((a) => backoffDelay(a, almostOne))).toEqual([...Array<number>(RESTART_RETRIES).fill(1999), 999, 1999, 3999]);
  });

  it('draws a fresh random number for every attempt (full jitter)', () => {
    const draws = [0.1, 0.9, 0.5];
    const random = () => draws.shift()!;
    expect([backoffDelay(3, random), backoffDelay(3, random), backoffDelay(3, random)]).toEqual([800, 7200, 4000]);
    expect(draws).toEqual([]);
  });

  it('spreads pages dropped together across the whole window', () => {
    const delays = Array.from({ length: 2000 }, () => backoffDelay(4));
    const ceiling = BACKOFF_BASE_MS * 16;
    expect(Math.min(...delays)).toBeLessThan(ceiling * 0.05);
    expect(Math.max(...delays)).toBeGreaterThan(ceiling * 0.95);
  });
});
