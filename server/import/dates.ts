import { isCalendarDay } from '../utc-day.js';

// `2024-03-05`, then optionally a time with fraction, then optionally Z or an offset
// (`+00`, `+0100`, `-05:30`): RFC 3339, ISO 8601 and what psql writes for a timestamptz.
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const DAY_MS = 86_400_000;

// Rows come roughly in date order: checking the calendar once per day, not per row.
let lastDay = '';

/**
 * The UTC day (`YYYY-MM-DD`) of a timestamp written as above; one without an offset is taken
 * as UTC. Undefined for anything else (including dates that do not exist).
 */
export function utcDayOf(text: string): string | undefined {
  const match = TIMESTAMP.exec(text.trim());
  if (match === null) return undefined;
  const [, day, hours = '00', minutes = '00', , offset] = match as unknown as [string, string, string?, string?, string?, string?];
  if (Number(hours) > 23 || Number(minutes) > 59) return undefined;
  if (day !== lastDay) {
    if (!isCalendarDay(day)) return undefined;
    lastDay = day;
  }
  const shift = offsetMinutes(offset);
  if (shift === 0) return day;
  // Only an offset can move the day: local midnight-ish times land on the UTC day before or after.
  const at = Date.parse(`${day}T00:00:00Z`) + (Number(hours) * 60 + Number(minutes) - shift) * 60_000;
  return new Date(Math.floor(at / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** `20240305` (Google Analytics) or `2024-03-05` as `2024-03-05`; undefined for anything else. */
export function calendarDayOf(text: string): string | undefined {
  const value = text.trim();
  const day = /^\d{8}$/.test(value) ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}` : value;
  return isCalendarDay(day) ? day : undefined;
}

function offsetMinutes(offset: string | undefined): number {
  if (offset === undefined || offset.toUpperCase() === 'Z') return 0;
  const digits = offset.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return offset.startsWith('-') ? -minutes : minutes;
}
