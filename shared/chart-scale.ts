/** Height of the dashboard chart's drawing, in SVG viewBox units; width is 10 units per day. */
export const PLOT_HEIGHT = 100;

// Round tops whose middle gridline is a whole number too: an axis of reads never shows "12.5".
const NICE_STEPS = [1, 2, 3, 4, 5, 6, 8, 10];

/**
 * The smallest "nice" axis top at or above `max` (1, 2, 3, 4, 5, 6 or 8 times a power of ten,
 * even, at least 4), so the top and middle gridline labels are round whole numbers. The server
 * draws the chart with it and the dashboard's live script rescales with it, so both agree.
 */
export function niceMax(max: number): number {
  if (max <= 4) return 4;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of NICE_STEPS) {
    const top = step * power;
    if (top >= max && top % 2 === 0) return top;
  }
  return 10 * power;
}
