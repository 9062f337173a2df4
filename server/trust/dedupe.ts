import { createHash, createHmac } from 'node:crypto';
import { utcDay } from '../utc-day.js';
import type { Store } from '../store/port.js';

/**
 * What identifies a reader for dedupe, computed once at upgrade: a hash of IP, user agent
 * and site. It lives only in memory, on the connection; it is never stored or logged.
 */
export function readerMaterial(ip: string, userAgent: string, site: string): string {
  return createHash('sha256').update(`${ip}\n${userAgent}\n${site}`).digest('base64url');
}

/** Turns a reader and an article into the day's opaque seen key (the day's secret may need a store round trip). */
export type SeenKeyFn = (material: string, article: string, at: number) => Promise<string>;

/**
 * The cookieless unique-reader recipe of Plausible and GoatCounter: a keyed hash with a
 * random secret that changes every UTC day and is then destroyed, so yesterday's keys can
 * never be linked to today's, or to a person. The article is hashed in too, so even within
 * a day two seen keys cannot be told to belong to the same reader.
 */
export function createSeenKeys(store: Pick<Store, 'daySecret'>): SeenKeyFn {
  let day = '';
  let secret: Promise<Buffer> | undefined;
  return async (material, article, at) => {
    const today = utcDay(at);
    if (today !== day || secret === undefined) {
      // One lookup per day however many reads arrive while it is under way; a failed one is asked again.
      const asked = store.daySecret(today);
      secret = asked;
      day = today;
      asked.catch(() => {
        if (secret === asked) secret = undefined;
      });
    }
    // 128 bits: collisions between two real readers are out of reach.
    return createHmac('sha256', await secret).update(material).update('\n').update(article).digest('base64url').slice(0, 22);
  };
}
