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

/**
 * Turns a reader and an article into the day's opaque seen key: at once when the day's secret
 * is known (every read after the day's first), else once the store has given it.
 */
export type SeenKeyFn = (material: string, article: string, at: number) => string | Promise<string>;

/**
 * The cookieless unique-reader recipe of Plausible and GoatCounter: a keyed hash with a
 * random secret that changes every UTC day and is then destroyed, so yesterday's keys can
 * never be linked to today's, or to a person. The article is hashed in too, so even within
 * a day two seen keys cannot be told to belong to the same reader.
 */
export function createSeenKeys(store: Pick<Store, 'daySecret'>): SeenKeyFn {
  let day = '';
  let asked: Promise<Buffer> | undefined;
  let known: Buffer | undefined;
  // 128 bits: collisions between two real readers are out of reach.
  const hash = (secret: Buffer, material: string, article: string): string =>
    createHmac('sha256', secret).update(material).update('\n').update(article).digest('base64url').slice(0, 22);
  return (material, article, at) => {
    const today = utcDay(at);
    if (today !== day || asked === undefined) {
      // One lookup per day however many reads arrive while it is under way; a failed one is asked again.
      const request = store.daySecret(today);
      day = today;
      known = undefined;
      asked = request;
      request.then(
        (secret) => void (asked === request && (known = secret)),
        () => void (asked === request && (asked = undefined)),
      );
    }
    if (known !== undefined) return hash(known, material, article);
    return asked.then((secret) => hash(secret, material, article));
  };
}
