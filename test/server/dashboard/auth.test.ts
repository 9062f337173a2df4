import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { ADMIN_TOKEN } from '../../helpers/admin-browser.js';

const SITE = 'blog.example.com';

async function login(server: TestServer, token: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/dashboard/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, 'sec-fetch-site': 'same-origin', ...headers },
    body: new URLSearchParams({ token }),
  });
}

const cookieOf = (response: Response): string => response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

describe('admin access with ADMIN_TOKEN unset', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(['/api/stats?site=example.com', '/api/export', '/metrics'])('GET %s is a 404 saying how to turn it on', async (path) => {
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('admin_off');
    expect(body.error.message).toMatch(/ADMIN_TOKEN/);
  });

  it('GET /metrics names METRICS_PORT as the tokenless way', async () => {
    const body = (await (await fetch(`${server.url}/metrics`)).json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/METRICS_PORT/);
  });

  it.each(['/dashboard', '/dashboard/login'])('GET %s is an HTML 404 page that explains ADMIN_TOKEN', async (path) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toContain('ADMIN_TOKEN=$(openssl rand -hex 32)');
  });

  it('refuses a login and sets no cookie', async () => {
    const response = await login(server, ADMIN_TOKEN);
    expect(response.status).toBe(404);
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});

describe('admin access with ADMIN_TOKEN set', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ADMIN_TOKEN });
    await server.store.increment(SITE, '/posts/hello', server.clock.now());
  });
  afterAll(async () => {
    await server.close();
  });

  const stats = (headers: Record<string, string> = {}) => fetch(`${server.url}/api/stats?site=${SITE}`, { headers });

  it.each([
    ['no Authorization header', {}, 'token_required'],
    ['a wrong token of the same length', { authorization: `Bearer ${ADMIN_TOKEN.replace(/.$/, 'X')}` }, 'bad_token'],
    ['a shorter token', { authorization: `Bearer ${ADMIN_TOKEN.slice(0, 16)}` }, 'bad_token'],
    ['a longer token', { authorization: `Bearer ${ADMIN_TOKEN}x` }, 'bad_token'],
    ['Basic instead of Bearer', { authorization: `Basic ${ADMIN_TOKEN}` }, 'bad_token'],
    ['an empty Bearer', { authorization: 'Bearer ' }, 'bad_token'],
    ['a forged session cookie', { cookie: `readcounter_admin=${'A'.repeat(43)}` }, 'bad_token'],
  ])('answers %s with a 401 %s and a Bearer challenge', async (_, headers, code) => {
    const response = await stats(headers);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="readcounter"');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(await server.store.reads(SITE, '/posts/hello')).toBe(1);
  });

  it('answers the right token with 200', async () => {
    const response = await stats({ authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ site: SITE, total: 1 });
  });

  it('sends a browser without a session from /dashboard to the login form', async () => {
    const response = await fetch(`${server.url}/dashboard`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/dashboard/login');
    const form = await (await fetch(`${server.url}/dashboard/login`)).text();
    expect(form).toContain('<form method="post" action="/dashboard/login">');
  });

  it('logs in with the token: an HttpOnly, SameSite=Strict session cookie that opens the dashboard and the APIs', async () => {
    const response = await login(server, ADMIN_TOKEN);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/dashboard');
    const [setCookie] = response.headers.getSetCookie();
    expect(setCookie).toMatch(/^readcounter_admin=[\w-]{43}; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Strict$/);
    const cookie = cookieOf(response);
    expect((await fetch(`${server.url}/dashboard`, { headers: { cookie } })).status).toBe(200);
    expect((await stats({ cookie })).status).toBe(200);
  });

  it('marks the cookie Secure, with the __Host- prefix, behind an HTTPS proxy', async () => {
    const response = await login(server, ADMIN_TOKEN, { 'x-forwarded-proto': 'https' });
    const attributes = response.headers.getSetCookie()[0]!.split('; ');
    expect(attributes[0]).toMatch(/^__Host-readcounter_admin=[\w-]{43}$/);
    expect(attributes.slice(1).sort()).toEqual(['HttpOnly', 'Max-Age=2592000', 'Path=/', 'SameSite=Strict', 'Secure']);
    expect((await stats({ cookie: cookieOf(response) })).status).toBe(200);
  });

  it('refuses a wrong token at the form with a 401 page and no cookie', async () => {
    const response = await login(server, 'not-the-admin-token-at-all');
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await response.text()).toContain('That is not the admin token.');
  });

  it('refuses a login form posted from another site', async () => {
    const response = await login(server, ADMIN_TOKEN, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('logs out: the cookie is cleared and the session no longer opens anything', async () => {
    const cookie = cookieOf(await login(server, ADMIN_TOKEN));
    const out = await fetch(`${server.url}/dashboard/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie()[0]).toMatch(/^readcounter_admin=; Max-Age=0; Path=\//);
    // A copy of the old cookie is dead too: logout ends the session on the server.
    expect((await stats({ cookie })).status).toBe(401);
    expect((await fetch(`${server.url}/dashboard`, { headers: { cookie }, redirect: 'manual' })).status).toBe(303);
  });

  it('keeps a session across a restart', async () => {
    const cookie = cookieOf(await login(server, ADMIN_TOKEN));
    await server.restart();
    // The first request may land on a keep-alive socket the restart closed.
    const response = await stats({ cookie }).catch(() => stats({ cookie }));
    expect(response.status).toBe(200);
  });
});
