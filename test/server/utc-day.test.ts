import { describe, expect, it } from 'vitest';
import { isCalendarDay, utcDay } from '../../server/utc-day.js';

describe('utcDay', () => {
  it('cuts days at UTC midnight', () => {
    expect(utcDay(Date.UTC(2026, 0, 1, 23, 59, 59, 999))).toBe('2026-01-01');
    expect(utcDay(Date.UTC(2026, 0, 2))).toBe('2026-01-02');
  });

  it('gives the right day however the calls jump between days, before 1970 too', () => {
    const at = [Date.UTC(2026, 0, 1, 23, 59), Date.UTC(2026, 0, 2, 0, 0), Date.UTC(2026, 0, 1, 0, 0), Date.UTC(1969, 11, 31, 23, 0), Date.UTC(2026, 0, 2, 12)];
    expect(at.map(utcDay)).toEqual(['2026-01-01', '2026-01-02', '2026-01-01', '1969-12-31', '2026-01-02']);
  });

  it('tells a real calendar day from a look-alike', () => {
    expect(isCalendarDay('2024-02-29')).toBe(true);
    expect(['2026-02-29', '2026-13-01', '2026-1-01', ''].map(isCalendarDay)).toEqual([false, false, false, false]);
  });
});
