import type { MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { ApiError } from '../http/errors.js';
import { originIsOwnHost } from '../http/same-host.js';

const check = csrf({ origin: (origin, c) => originIsOwnHost(origin, c.req.header('host')) });

/** Hono's CSRF check for form posts (login, logout), answering a refusal through the one onError. */
export const sameOrigin: MiddlewareHandler = async (c, next) => {
  try {
    await check(c, next);
  } catch (error) {
    if (error instanceof HTTPException && error.status === 403) throw new ApiError(403, 'cross_site', 'this form may only be sent from the dashboard itself');
    throw error;
  }
};
