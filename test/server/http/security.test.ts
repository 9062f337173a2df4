import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../../../server/http/errors.js';
import { htmlSecurityHeaders, limitBody } from '../../../server/http/security.js';

function app(): Hono {
  const app = new Hono();
  app.onError(errorHandler(() => {}));
  app.use(htmlSecurityHeaders);
  app.use(limitBody);
  app.get('/page', (c) => c.html('<p>hi</p>'));
  app.get('/script.js', (c) => c.body('export {}', 200, { 'content-type': 'text/javascript' }));
  app.post('/form', async (c) => c.text(String((await c.req.text()).length)));
  return app;
}

describe('htmlSecurityHeaders', () => {
  it('puts a strict CSP and the secureHeaders set on HTML responses', async () => {
    const response = await app().request('/page');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
  });

  it('leaves resources other sites embed without a same-origin resource policy', async () => {
    const response = await app().request('/script.js');
    expect(response.headers.get('cross-origin-resource-policy')).toBeNull();
    expect(response.headers.get('content-security-policy')).toBeNull();
  });
});

describe('limitBody', () => {
  it('accepts a small body and refuses a large one with a 413 JSON error', async () => {
    expect(await (await app().request('/form', { method: 'POST', body: 'x'.repeat(100) })).text()).toBe('100');
    const response = await app().request('/form', { method: 'POST', body: 'x'.repeat(17 * 1024) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'body_too_large' } });
  });
});

describe('errorHandler', () => {
  it('answers an HTTPException from a Hono middleware as a JSON error with its own status, not a 500', async () => {
    const logged: string[] = [];
    const hono = new Hono();
    hono.onError(errorHandler((line) => void logged.push(line)));
    hono.get('/guarded', bearerAuth({ token: 'secret-token' }), (c) => c.text('in'));
    const response = await hono.request('/guarded');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect(logged).toEqual([]);
    expect(await (await hono.request('/guarded', { headers: { authorization: 'Bearer secret-token' } })).text()).toBe('in');
  });
});
