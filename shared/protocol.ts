import { ArticleError, MAX_ARTICLE_BYTES, normalizeArticle } from './article.js';
import { SiteError, normalizeSite } from './site.js';

/** Version of the frame format below, sent in `hello`. */
export const PROTOCOL_VERSION = 1;

/** Default largest client frame the server reads, in bytes; larger ones close the socket with 1009. */
export const MAX_FRAME_BYTES = 2048;

/**
 * How a page subscribes: `reading` is a post whose reader may be counted (and is part of
 * `live`); `watching` only displays (index pages, readers with Do Not Track).
 */
export type SubscribeMode = 'reading' | 'watching';

/**
 * A frame only the dashboard sends: watch a site's figures and reads. Any connection may
 * send it; the server answers `not_admin` unless the connection has an admin session.
 */
export type AdminClientMessage = { type: 'watch-site'; site: string };

/** A frame a page (or the dashboard) sends to the server. */
export type ClientMessage =
  | { type: 'subscribe'; article: string; mode: SubscribeMode }
  | { type: 'unsubscribe'; article: string }
  | { type: 'read'; article: string }
  | AdminClientMessage;

/** Stable error codes carried by `error` frames and HTTP error bodies. */
export const ErrorCode = {
  badJson: 'bad_json',
  badMessage: 'bad_message',
  unknownType: 'unknown_type',
  badArticle: 'bad_article',
  badSite: 'bad_site',
  notSubscribed: 'not_subscribed',
  notReading: 'not_reading',
  tooEarly: 'too_early',
  alreadyCounted: 'already_counted',
  alreadyReadToday: 'already_read_today',
  bot: 'bot',
  doNotTrack: 'do_not_track',
  tooManyReads: 'too_many_reads',
  tooManyReadsToday: 'too_many_reads_today',
  tooManySubscriptions: 'too_many_subscriptions',
  tooManyTopics: 'too_many_topics',
  tooManySites: 'too_many_sites',
  tooManyArticles: 'too_many_articles',
  rateLimited: 'rate_limited',
  frameTooLarge: 'frame_too_large',
  storeUnavailable: 'store_unavailable',
  shuttingDown: 'shutting_down',
  notAdmin: 'not_admin',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A frame the server sends to a page. */
export type ServerMessage =
  | { type: 'hello'; version: number; dwellSeconds: number }
  | { type: 'count'; article: string; reads: number; live: number }
  | { type: 'counted'; article: string; reads: number; live: number }
  | { type: 'error'; code: ErrorCode; message: string; article?: string; retryAfterMs?: number };

/** Frames only an admin connection that sent `watch-site` receives (the dashboard's live feed). */
export type AdminServerMessage =
  | { type: 'site'; site: string; reads: number; today: number; live: number; reading: { article: string; live: number }[] }
  | { type: 'feed'; site: string; article: string; reads: number; at: string };

/** WebSocket close codes the server uses. */
export const CloseCode = {
  /** Server shutting down or restarting: reconnect. */
  goingAway: 1001,
  /** Flooding or another policy breach: do not reconnect at once. */
  policyViolation: 1008,
  /** A frame over MAX_FRAME_BYTES. */
  messageTooBig: 1009,
  /** A missed pong (set by the peer side as 1006 when the server terminates). */
  internalError: 1011,
  /** The page did not read what it was sent: its send backlog passed MAX_SEND_BACKLOG_BYTES. */
  tryAgainLater: 1013,
} as const;

/** What parseClientMessage() returns: a typed message, or an error frame to send back. */
export type ParseResult =
  | { ok: true; message: ClientMessage }
  | { ok: false; error: { type: 'error'; code: ErrorCode; message: string } };

const MODES: ReadonlySet<string> = new Set<SubscribeMode>(['reading', 'watching']);

/** Limits parseClientMessage() applies; the server passes its configured ones. */
export interface ParseLimits {
  maxFrameBytes: number;
  maxArticleBytes: number;
}

const DEFAULT_LIMITS: ParseLimits = { maxFrameBytes: MAX_FRAME_BYTES, maxArticleBytes: MAX_ARTICLE_BYTES };

/**
 * Parses one untrusted text frame into a ClientMessage. Never throws. Extra fields are
 * ignored (so a newer client still works), and the article key is normalized here, at the
 * edge, so nothing past this point sees an unnormalized key.
 */
export function parseClientMessage(data: string, limits: ParseLimits = DEFAULT_LIMITS): ParseResult {
  if (data.length > limits.maxFrameBytes) return fail(ErrorCode.frameTooLarge, `frame must be at most ${limits.maxFrameBytes} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return fail(ErrorCode.badJson, 'frame must be a JSON object');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(ErrorCode.badMessage, 'frame must be a JSON object with a "type"');
  }
  const frame = value as Record<string, unknown>;
  const type = Object.hasOwn(frame, 'type') ? frame.type : undefined;
  if (type === 'watch-site') return parseWatchSite(frame);
  if (type !== 'subscribe' && type !== 'unsubscribe' && type !== 'read') {
    return fail(ErrorCode.unknownType, `type must be "subscribe", "unsubscribe" or "read", got ${describe(type)}`);
  }
  let article: string;
  try {
    article = normalizeArticle(Object.hasOwn(frame, 'article') ? frame.article : undefined, limits.maxArticleBytes);
  } catch (error) {
    if (error instanceof ArticleError) return fail(ErrorCode.badArticle, error.message);
    throw error;
  }
  if (type !== 'subscribe') return { ok: true, message: { type, article } };
  const mode = Object.hasOwn(frame, 'mode') ? frame.mode : 'reading';
  if (typeof mode !== 'string' || !MODES.has(mode)) {
    return fail(ErrorCode.badMessage, `mode must be "reading" or "watching", got ${describe(mode)}`);
  }
  return { ok: true, message: { type, article, mode: mode as SubscribeMode } };
}

function parseWatchSite(frame: Record<string, unknown>): ParseResult {
  try {
    return { ok: true, message: { type: 'watch-site', site: normalizeSite(Object.hasOwn(frame, 'site') ? frame.site : undefined) } };
  } catch (error) {
    if (error instanceof SiteError) return fail(ErrorCode.badSite, error.message);
    throw error;
  }
}

function fail(code: ErrorCode, message: string): ParseResult {
  return { ok: false, error: { type: 'error', code, message } };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 30 ? `${value.slice(0, 30)}…` : value);
  return value === null ? 'null' : typeof value;
}
