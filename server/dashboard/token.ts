import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * True when `given` is the admin token. Both sides are hashed first, so the comparison
 * takes the same time whatever the length or content of `given`.
 */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The token of an `Authorization: Bearer TOKEN` header; undefined for any other header. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match?.[1];
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
