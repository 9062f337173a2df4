/** Height of the dashboard chart's drawing, in SVG viewBox units; width is 10 units per day. */
export const PLOT_HEIGHT = 100;

/**
 * The smallest "nice" axis top at or above `max` (1, 2, 2.5 or 5 times a power of ten, at
 * least 4), so gridline labels read as round numbers. The server draws the chart with it and
 * the dashboard's live script rescales with it, so both agree.
 */
export function niceMax(max: number): number {
  if (max <= 4) return 4;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}
