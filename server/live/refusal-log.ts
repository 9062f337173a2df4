import { siteFromOrigin } from '../../shared/site.js';

/** Shortest gap between two log lines about one refused origin. */
export const REFUSAL_LOG_INTERVAL_MS = 60_000;

/**
 * Most origins with a line of their own per interval. A hostile page can make up origins
 * without end; past this many, one summary line per interval stands for all the others.
 */
export const MAX_LOGGED_ORIGINS = 20;

/** Options for createRefusalLog(). */
export interface RefusalLogOptions {
  log: (message: string) => void;
  now: () => number;
  /** The configured sites, named in the log line. */
  allowedSites: readonly string[];
  /** @default REFUSAL_LOG_INTERVAL_MS */
  intervalMs?: number;
  /** @default MAX_LOGGED_ORIGINS */
  maxOrigins?: number;
}

/**
 * What a blogger must do about a page refused for its origin: shown in the server log and,
 * through GET /ws, in the page's console. Names no allowed origin (it goes to any page).
 */
export function allowOriginAdvice(origin: string): string {
  return (
    `readcounter refused this page's connection: its origin ${quote(origin)} is not in ALLOWED_ORIGINS. ` +
    'If it is your blog, add it to ALLOWED_ORIGINS on the counter server (a comma list) and restart the server.'
  );
}

/**
 * Logs refusals by ALLOWED_ORIGINS (of origins that parse: checkUpgrade() refuses the rest
 * as bad_origin) so a misconfiguration shows in the server log: the first
 * refusal of an origin at once, then at most one line per origin per interval (with how many
 * were not logged), for at most `maxOrigins` origins per interval.
 */
export function createRefusalLog(options: RefusalLogOptions): (origin: string) => void {
  const { log, now, allowedSites, intervalMs = REFUSAL_LOG_INTERVAL_MS, maxOrigins = MAX_LOGGED_ORIGINS } = options;
  const allowed = allowedSites.join(',');
  // Origin → when it was last logged, and refusals since then.
  const logged = new Map<string, { at: number; unlogged: number }>();
  let overflowAt = -Infinity;

  const line = (origin: string, unlogged: number): string =>
    `refused a WebSocket from origin ${quote(origin)}: not in ALLOWED_ORIGINS (${allowed})` +
    (unlogged > 0 ? `, and ${unlogged} more since the last line about it` : '') +
    `. If it is your blog, add it: ALLOWED_ORIGINS=${allowed},${siteFromOrigin(origin)}`;

  return (origin) => {
    const time = now();
    const seen = logged.get(origin);
    if (seen !== undefined) {
      if (time - seen.at < intervalMs) {
        seen.unlogged += 1;
        return;
      }
      log(line(origin, seen.unlogged));
      seen.at = time;
      seen.unlogged = 0;
      return;
    }
    if (logged.size >= maxOrigins) {
      for (const [key, entry] of logged) if (time - entry.at >= intervalMs) logged.delete(key);
    }
    if (logged.size >= maxOrigins) {
      if (time - overflowAt < intervalMs) return;
      overflowAt = time;
      log(
        `refused WebSockets from more than ${maxOrigins} origins not in ALLOWED_ORIGINS within a minute; ` +
          'not logging each (readcounter_reads_refused_total{reason="origin_not_allowed"} in /metrics counts them)',
      );
      return;
    }
    logged.set(origin, { at: time, unlogged: 0 });
    log(line(origin, 0));
  };
}

/** An untrusted header value, quoted and cut short enough for one log line. */
function quote(value: string): string {
  return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
}
