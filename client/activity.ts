import type { ActiveClock } from './dwell.js';

/**
 * Keeps `clock` running only while the reader can be reading: the page visible, its
 * window focused, and not being prerendered. Calls `onChange` after every change.
 */
export function trackActivity(clock: ActiveClock, onChange: () => void): void {
  const update = (): void => {
    clock.active =
      !document.hidden &&
      document.hasFocus() &&
      !(document as Document & { prerendering?: boolean }).prerendering;
    onChange();
  };
  for (const type of ['visibilitychange', 'prerenderingchange']) document.addEventListener(type, update);
  for (const type of ['focus', 'blur']) addEventListener(type, update);
  update();
}
