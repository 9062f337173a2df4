/**
 * The element's shadow DOM. Parts: `counter` (all that shows once a count is known),
 * `count`, `label`, `live`, `live-count`. Custom properties: `--read-counter-min-width`
 * (space kept so the text after the element does not move when the count arrives or
 * grows) and `--read-counter-live-color` (the dot before "reading now"). Font and colour
 * are inherited. The default slot holds the blogger's fallback, shown until the first count.
 * On a narrow line it may wrap before the live part, never inside "1,234 reads" (a no-break
 * space) or inside the live part. read-counter.ts finds the spans by position: keep their order.
 */
export const TEMPLATE =
  '<style>' +
  ':host{display:inline-block;min-width:var(--read-counter-min-width,7ch);font-variant-numeric:tabular-nums}' +
  ':host([hidden]){display:none}' +
  '[part=live]{white-space:nowrap}[part=live]:before{content:"● ";font-size:.8em;margin-left:.3em;color:var(--read-counter-live-color,#16a34a)}' +
  '.sr{position:absolute;width:1px;overflow:hidden;clip-path:inset(50%)}' +
  '</style>' +
  '<span part="counter" hidden><span aria-hidden="true"><span part="count"></span>\u00a0<span part="label"></span> ' +
  '<span part="live" hidden><span part="live-count"></span> <span></span></span></span><span class="sr"></span></span>' +
  '<slot></slot>';
