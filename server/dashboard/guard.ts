import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../http/errors.js';
import { ADMIN_OFF_MESSAGE, type Admin } from './admin.js';

/**
 * Middleware for the token-protected APIs: 404 when admin is off, 401 without a valid
 * `Authorization: Bearer` token or session cookie. Every refusal is the same JSON error
 * shape as the rest of the API, through the one onError.
 */
export function requireAdmin(admin: Admin, offMessage = ADMIN_OFF_MESSAGE): MiddlewareHandler {
  return async (c, next) => {
    if (!admin.enabled) throw new ApiError(404, 'admin_off', offMessage);
    const check = await admin.check(c);
    if (check !== 'ok') {
      c.header('WWW-Authenticate', 'Bearer realm="readcounter"');
      throw check === 'missing'
        ? new ApiError(401, 'token_required', 'send the admin token as "Authorization: Bearer ADMIN_TOKEN", or log in at /dashboard')
        : new ApiError(401, 'bad_token', 'the admin token or session is not valid');
    }
    await next();
  };
}
