import { ApiError } from '../http/errors.js';
import { addDays, dayCount, type DayRange } from '../stats/range.js';
import { isCalendarDay, utcDay } from '../utc-day.js';

/** The dashboard's range choices, in days ending today. */
export const RANGE_CHOICES = [7, 30, 90] as const;

/** Days shown when no range is given. @default 30 */
export const DEFAULT_RANGE_DAYS = 30;

/** Longest range one query may span: five years of daily rows (the query also reads the range before it). */
export const MAX_RANGE_DAYS = 1830;

/** The first and last day a query may name: far wider than any blog's history, and every day in it is a real date. */
export const EARLIEST_DAY = '2000-01-01';
export const LATEST_DAY = '2099-12-31';

/** Parses a `YYYY-MM-DD` query value into a real calendar day from EARLIEST_DAY to LATEST_DAY, or a 400 `bad_date`. */
export function parseDay(value: string, name: string): string {
  if (!isCalendarDay(value)) {
    throw new ApiError(400, 'bad_date', `${name} must be a UTC day as YYYY-MM-DD, e.g. ${name}=2026-01-31, got ${preview(value)}`);
  }
  if (value < EARLIEST_DAY || value > LATEST_DAY) {
    throw new ApiError(400, 'bad_date', `${name} must be a day from ${EARLIEST_DAY} to ${LATEST_DAY}, got ${preview(value)}`);
  }
  return value;
}

/**
 * The range of a stats query: `from` and `to` are inclusive UTC days; either may be left
 * out (`to` defaults to today, `from` to DEFAULT_RANGE_DAYS days before `to`).
 */
export function queryRange(from: string | undefined, to: string | undefined, now: number): DayRange {
  const end = to === undefined ? utcDay(now) : parseDay(to, 'to');
  const start = from === undefined ? addDays(end, 1 - DEFAULT_RANGE_DAYS) : parseDay(from, 'from');
  if (start > end) throw new ApiError(400, 'bad_date', `from (${start}) must not be after to (${end})`);
  if (dayCount({ from: start, to: end }) > MAX_RANGE_DAYS) {
    throw new ApiError(400, 'bad_date', `a range may span at most ${MAX_RANGE_DAYS} days; ${start} to ${end} is ${dayCount({ from: start, to: end })}`);
  }
  return { from: start, to: end };
}

/** The `days` query of the dashboard: one of RANGE_CHOICES, or a 400. */
export function parseRangeChoice(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_RANGE_DAYS;
  const days = Number(value);
  if (!(RANGE_CHOICES as readonly number[]).includes(days)) {
    throw new ApiError(400, 'bad_range', `days must be one of ${RANGE_CHOICES.join(', ')}, got ${preview(value)}`);
  }
  return days;
}

function preview(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
