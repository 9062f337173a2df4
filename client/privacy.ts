/** localStorage key a blogger sets to "true" to keep their own visits out of the counts. */
export const OPT_OUT_KEY = 'readcounter_ignore';

/**
 * Whether this reader may be counted. Do Not Track, Global Privacy Control and the opt-out
 * flag each mean "show the count, don't count me". Localhost is deliberately not excluded.
 */
export function mayCount(): boolean {
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  if (nav.doNotTrack === '1' || nav.globalPrivacyControl === true) return false;
  try {
    return localStorage.getItem(OPT_OUT_KEY) !== 'true';
  } catch {
    // Storage blocked (sandboxed iframe, strict privacy settings): no flag can be set.
    return true;
  }
}
