import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { parse } from 'hono/utils/cookie';
import { SESSION_TTL_MS } from './sessions.js';

/** Name of the admin session cookie; `__Host-` is prepended behind HTTPS. */
export const SESSION_COOKIE = 'readcounter_admin';

const HOST_COOKIE = `__Host-${SESSION_COOKIE}`;

/**
 * True when the browser reached us over HTTPS: directly, or through a proxy that says so.
 * Trusting X-Forwarded-Proto is safe here: a forged `https` only makes the cookie stricter.
 */
export function isHttps(c: Context): boolean {
  const forwarded = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https' || new URL(c.req.url).protocol === 'https:';
}

/** Sets the session cookie: HttpOnly, SameSite=Strict, path `/` (the socket at /ws needs it), Secure behind HTTPS. */
export function setSessionCookie(c: Context, value: string): void {
  const options = { path: '/', httpOnly: true, sameSite: 'Strict', maxAge: SESSION_TTL_MS / 1000 } as const;
  if (isHttps(c)) setCookie(c, SESSION_COOKIE, value, { ...options, secure: true, prefix: 'host' });
  else setCookie(c, SESSION_COOKIE, value, options);
}

/** Clears the session cookie under both of its names. */
export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
  if (isHttps(c)) deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true, prefix: 'host' });
}

/** The session cookie value of a request, if any. */
export function sessionCookie(c: Context): string | undefined {
  return getCookie(c, HOST_COOKIE) ?? getCookie(c, SESSION_COOKIE);
}

/** The session cookie value in a raw `Cookie` header (the WebSocket upgrade never reaches Hono). */
export function sessionCookieFromHeader(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const cookies = parse(header);
  return cookies[HOST_COOKIE] ?? cookies[SESSION_COOKIE];
}
