import type { IncomingMessage } from 'node:http';
import { botReason, type BotReason } from './bots.js';
import { clientIp, limitKey, type ProxyTrust } from './client-ip.js';
import { readerMaterial } from './dedupe.js';

/** Who is behind a connection, as far as counting needs to know, and nothing more. */
export interface Reader {
  /** Key of the per-IP limits (the IP, or its /64). Memory only. */
  readonly limitKey: string;
  /** Hash of IP + user agent + site for dedupe; undefined when DEDUPE=off. Memory only. */
  readonly material: string | undefined;
  /** Why this client is a bot, if it is one: shown counts, never counted. */
  readonly bot: BotReason | undefined;
  /** The browser sent `DNT: 1` or `Sec-GPC: 1`: shown counts, never counted. */
  readonly optedOut: boolean;
}

/**
 * Derives the Reader of an upgrade request. The IP and user agent are used here and
 * dropped; only the limit key and a one-way hash stay on the connection.
 */
export function readerOf(req: IncomingMessage, site: string, trust: ProxyTrust & { dedupe: 'daily' | 'off' }): Reader {
  const ip = clientIp(req, trust);
  const userAgent = req.headers['user-agent'];
  return {
    limitKey: limitKey(ip),
    material: trust.dedupe === 'daily' ? readerMaterial(ip, userAgent ?? '', site) : undefined,
    bot: botReason(userAgent),
    // The element already subscribes as a watcher for these; the server enforces it too.
    optedOut: req.headers.dnt === '1' || req.headers['sec-gpc'] === '1',
  };
}
