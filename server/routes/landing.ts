import { Hono } from 'hono';

/** GET / — placeholder until the <read-counter> issue lands. */
export function landingRoutes(): Hono {
  return new Hono();
}
