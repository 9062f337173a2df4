/** Counts from this value up are shown compact ("12K"); below it, in full ("1,234"). */
export const COMPACT_FROM = 10_000;

/**
 * Formats a count for `locale` (a BCP 47 tag, or undefined for the browser's own):
 * compact from COMPACT_FROM up unless `exact`. A malformed tag falls back to the default.
 */
export function formatCount(value: number, locale?: string, exact = false): string {
  const options: Intl.NumberFormatOptions =
    exact || value < COMPACT_FROM ? {} : { notation: 'compact', maximumFractionDigits: 1 };
  try {
    return new Intl.NumberFormat(locale, options).format(value);
  } catch {
    // A page's lang="en_US" (underscore) is a RangeError here; the number still matters.
    return new Intl.NumberFormat(undefined, options).format(value);
  }
}
