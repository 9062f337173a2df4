import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../server/http/errors.js';
import { addDays, dayCount, daysOf, lastDays } from '../../../server/stats/range.js';
import { parseDay, parseRangeChoice, queryRange } from '../../../server/dashboard/range-query.js';
import { niceMax } from '../../../shared/chart-scale.js';

const NOW = Date.UTC(2026, 0, 15, 23, 59, 59);

describe('stats ranges', () => {
  it('counts both ends of a range', () => {
    expect(daysOf({ from: '2025-12-30', to: '2026-01-02' })).toEqual(['2025-12-30', '2025-12-31', '2026-01-01', '2026-01-02']);
    expect(dayCount({ from: '2026-01-02', to: '2026-01-02' })).toBe(1);
    expect(daysOf({ from: '2024-02-28', to: '2024-03-01' })).toHaveLength(3);
  });

  it('ends "the last N days" today, in UTC', () => {
    expect(lastDays(7, NOW)).toEqual({ from: '2026-01-09', to: '2026-01-15' });
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('defaults a query to the 30 days ending today, or ending `to`', () => {
    expect(queryRange(undefined, undefined, NOW)).toEqual({ from: '2025-12-17', to: '2026-01-15' });
    expect(queryRange(undefined, '2026-01-01', NOW)).toEqual({ from: '2025-12-03', to: '2026-01-01' });
  });

  it.each(['2026-02-29', '2026-13-01', '2026-00-10', '26-01-01', '2026-01-1', ' 2026-01-01', '2026-01-01 '])('refuses %j with bad_date', (day) => {
    expect(() => parseDay(day, 'from')).toThrow(ApiError);
    expect(() => parseDay(day, 'from')).toThrow(/YYYY-MM-DD/);
  });

  it('takes leap days that exist', () => {
    expect(parseDay('2024-02-29', 'from')).toBe('2024-02-29');
  });

  it('takes 7, 30 or 90 days on the dashboard, and nothing else', () => {
    expect(parseRangeChoice(undefined)).toBe(30);
    expect(parseRangeChoice('90')).toBe(90);
    expect(() => parseRangeChoice('31')).toThrow(/7, 30, 90/);
  });

  it('rounds the chart axis up to a round number (one function, used by server and live script)', () => {
    for (const max of [0, 1, 4, 5, 9, 10, 11, 19, 21, 26, 49, 51, 99, 101, 240, 251, 999, 1001, 123456]) {
      expect(niceMax(max)).toBeGreaterThanOrEqual(max);
      expect(niceMax(max)).toBeLessThanOrEqual(Math.max(4, 2 * max));
    }
    expect([niceMax(5), niceMax(11), niceMax(21), niceMax(26), niceMax(51)]).toEqual([6, 20, 30, 30, 60]);
  });

  it('gives the reads axis whole-number gridlines only: no "12.5" or "2.5" in the middle', () => {
    for (let max = 0; max <= 20_000; max++) {
      const top = niceMax(max);
      expect(Number.isInteger(top / 2), `niceMax(${max}) = ${top}`).toBe(true);
    }
  });
});
