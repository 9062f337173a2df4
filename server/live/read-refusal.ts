import { ErrorCode, type SubscribeMode } from '../../shared/protocol.js';
import type { Reader } from '../trust/reader.js';

/** What the dwell rule needs of a page's subscription. */
export interface DwellState {
  mode: SubscribeMode;
  /** When the page subscribed (the server clock, epoch ms). */
  since: number;
  counted: boolean;
}

/** Why a `read` is refused, as the error frame says it. */
export interface ReadRefusal {
  code: ErrorCode;
  message: string;
  retryAfterMs?: number;
}

/**
 * Why `reader`'s `read` of an article it holds `sub` for may not count at `now`, or undefined
 * when it may: subscribed in `reading` mode, not a bot or opted out, not counted yet, and
 * subscribed at least `dwellMs` ago.
 */
export function readRefusal(sub: DwellState | undefined, reader: Reader, now: number, dwellMs: number): ReadRefusal | undefined {
  if (sub === undefined) return { code: ErrorCode.notSubscribed, message: 'subscribe to the article before sending read' };
  if (reader.bot !== undefined) return { code: ErrorCode.bot, message: 'this client looks like a bot: it is shown counts but never counted' };
  if (reader.optedOut) return { code: ErrorCode.doNotTrack, message: 'Do Not Track or Global Privacy Control is on: shown counts, never counted' };
  if (sub.mode !== 'reading') return { code: ErrorCode.notReading, message: 'subscribed in watching mode, which never counts' };
  if (sub.counted) return { code: ErrorCode.alreadyCounted, message: 'this page view was already counted' };
  const elapsed = now - sub.since;
  if (elapsed < dwellMs) {
    const message = `read sent ${(elapsed / 1000).toFixed(1)} s after subscribing; the dwell time is ${dwellMs / 1000} s`;
    return { code: ErrorCode.tooEarly, message, retryAfterMs: Math.ceil(dwellMs - elapsed) };
  }
  return undefined;
}
