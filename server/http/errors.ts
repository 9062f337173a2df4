import { STATUS_CODES } from 'node:http';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { StoreError } from '../store/port.js';

/** An HTTP error with a stable code, answered as `{error: {code, message}}` by onError. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  constructor(status: ContentfulStatusCode, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * The one error handler: known errors keep their status and code, and so does an
 * HTTPException thrown by a Hono middleware (its code is the status text: `unauthorized`), a
 * StoreError (the store cannot be reached) is a 503 `store_unavailable`;
 * anything else is a 500 with no details.
 */
export function errorHandler(log: (message: string) => void) {
  return (error: Error, c: Context): Response => {
    if (error instanceof ApiError) return c.json({ error: { code: error.code, message: error.message } }, error.status);
    // Cluster mode while Redis is away: say so plainly, and that it is worth trying again.
    if (error instanceof StoreError) return c.json({ error: { code: 'store_unavailable', message: 'the data store cannot be reached right now; try again shortly' } }, 503);
    if (error instanceof HTTPException && error.status < 500) {
      const text = STATUS_CODES[error.status] ?? 'Error';
      const code = text.toLowerCase().replace(/[^a-z]+/g, '_');
      return c.json({ error: { code, message: error.message || text } }, error.status as ContentfulStatusCode);
    }
    log(`unexpected error on ${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
    return c.json({ error: { code: 'internal_error', message: 'something went wrong on the server' } }, 500);
  };
}

/** Answer for any route that does not exist. */
export function notFound(c: Context): Response {
  return c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404);
}
