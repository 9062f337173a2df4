import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { ApiError } from './errors.js';

/** Largest request body any route accepts (the login form is the only body we take). */
export const MAX_BODY_BYTES = 16 * 1024;

// Pages load only our own script, styles and socket. 'unsafe-inline' styles keep
// server-rendered SVG charts simple; scripts are never inline.
const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'", 'ws:', 'wss:'],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
  },
  crossOriginEmbedderPolicy: false,
});

const noop = async (): Promise<void> => {};

/**
 * secureHeaders on HTML responses only: /counter.js, /badge.svg and /api/count are
 * embedded by other sites, and a same-origin resource policy would break them.
 */
export const htmlSecurityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  if (c.res.headers.get('content-type')?.startsWith('text/html')) await pageHeaders(c, noop);
};

/** Refuses request bodies over MAX_BODY_BYTES with a 413 JSON error. */
export const limitBody: MiddlewareHandler = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new ApiError(413, 'body_too_large', `request bodies must be at most ${MAX_BODY_BYTES} bytes`);
  },
});
