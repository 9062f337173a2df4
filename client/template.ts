/**
 * The element's shadow DOM. Parts: `counter` (all that shows once a count is known),
 * `count`, `label`, `live`, `live-count`. The default slot holds the blogger's fallback,
 * shown until the first count. `counter` is one image to assistive tech, named by its
 * `title` (the exact figures): no visually-hidden text, so a page whose styles are blocked
 * or unsupported still shows the count once. On a narrow line it may wrap before the
 * live part (the `<wbr>`), never inside "1,234 reads" (a no-break space) or the live part.
 * No space sits outside the live part: hidden, it leaves no gap after the label (styled,
 * the dot's margin is the space; unstyled, the live part's own leading space).
 * read-counter.ts finds the spans by position: keep their order.
 */
export const TEMPLATE =
  '<span part="counter" role="img" hidden><span part="count"></span>\u00a0<span part="label"></span><wbr>' +
  '<span part="live" hidden> <span part="live-count"></span> <span></span></span></span><slot></slot>';

/**
 * The element's styles. Tabular figures keep the text after the element still while digits
 * change; there is no reserved width, so a short count leaves no gap in running text.
 * `--read-counter-live-color` colours the dot before "reading now". Font and colour are inherited.
 */
export const STYLE =
  ':host{font-variant-numeric:tabular-nums}[part=live]{white-space:nowrap}' +
  '[part=live]:before{content:"● ";font-size:.8em;margin-left:.6em;color:var(--read-counter-live-color,#16a34a)}';

let sheet: CSSStyleSheet | undefined;

/**
 * Styles `root` with one constructed stylesheet shared by every element: a page's
 * Content-Security-Policy does not apply to it, so `style-src 'self'` leaves it alone.
 * Browsers without constructable stylesheets get no styles: plain text in the page's font.
 */
export function styleRoot(root: ShadowRoot): void {
  try {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLE);
    }
    root.adoptedStyleSheets = [sheet];
  } catch {
    // Safari < 16.4 and Firefox < 101: unstyled, and still right (see TEMPLATE).
  }
}
