import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('HTTP routes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await server.store.increment('blog.example.com', '/posts/hello', server.clock.now());
  });
  afterAll(async () => {
    await server.close();
  });

  it('GET /healthz is 200 while the store is writable', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /api/count returns the normalized key, reads and live, with open CORS', async () => {
    const response = await fetch(`${server.url}/api/count?site=WWW.blog.example.com&article=/posts/hello/?x=1`, {
      headers: { origin: 'https://anywhere.example' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.json()).toEqual({ site: 'blog.example.com', article: '/posts/hello', reads: 1, live: 0 });
  });

  it('GET /api/count is 0 for an unknown article', async () => {
    const body = await (await fetch(`${server.url}/api/count?site=blog.example.com&article=/nope`)).json();
    expect(body).toEqual({ site: 'blog.example.com', article: '/nope', reads: 0, live: 0 });
  });

  it.each([
    ['', 400, 'bad_site'],
    ['?article=/a', 400, 'bad_site'],
    ['?site=example.com', 400, 'bad_article'],
    ['?site=example.com&article=nope', 400, 'bad_article'],
    ['?site=example.com&article=/%E0%A4%A', 400, 'bad_article'],
    ['?site=example.com&article=%', 400, 'bad_article'],
    ['?site=exa%00mple.com&article=/a', 400, 'bad_site'],
    [`?site=example.com&article=/${'a'.repeat(5000)}`, 400, 'bad_article'],
  ])('GET /api/count%s is a %i %s JSON error', async (query, status, code) => {
    const response = await fetch(`${server.url}/api/count${query}`);
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).not.toBe('');
    expect(await server.store.reads('blog.example.com', '/posts/hello')).toBe(1);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await fetch(`${server.url}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
