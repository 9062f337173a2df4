import { Hono } from 'hono';

/** GET /counter.js — placeholder until the <read-counter> issue lands. */
export function clientScriptRoutes(): Hono {
  return new Hono();
}
