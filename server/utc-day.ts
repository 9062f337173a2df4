const DAY_MS = 86_400_000;

// The last day asked for: every read of a day shares one string instead of a Date each.
let dayStart = 0;
let dayEnd = -1;
let dayName = '';

/** `YYYY-MM-DD` of a millisecond timestamp, in UTC. */
export function utcDay(at: number): string {
  if (at < dayStart || at >= dayEnd) {
    dayStart = at - (((at % DAY_MS) + DAY_MS) % DAY_MS);
    dayEnd = dayStart + DAY_MS;
    dayName = new Date(at).toISOString().slice(0, 10);
  }
  return dayName;
}

/** True for a real calendar day written `YYYY-MM-DD` (not `2026-13-01`, not `2026-02-30`). */
export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const at = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(at) && utcDay(at) === value;
}
