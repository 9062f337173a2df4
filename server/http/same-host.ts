/**
 * True when an `Origin` header names exactly the host the request was sent to (its `Host`
 * header): a page of this server itself. Behind a TLS-terminating proxy the request URL says
 * http:// while the browser's Origin says https://, so the host alone decides.
 */
export function originIsOwnHost(origin: string | undefined, host: string | undefined): boolean {
  return origin !== undefined && host !== undefined && URL.canParse(origin) && new URL(origin).host === host;
}
