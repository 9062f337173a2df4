import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientScriptRoutes } from '../../server/routes/client-script.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
const built = readFileSync(new URL('../../dist/client/counter.js', import.meta.url));

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

/** A raw GET (fetch would decompress and hide Content-Encoding). */
function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject).end();
  });
}

describe('GET /counter.js', () => {
  it('serves the built element as cacheable, CORS-open JavaScript', async () => {
    const res = await get('/counter.js');
    expect(res.status).toBe(200);
    expect(res.body.equals(built)).toBe(true);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=86400');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['etag']).toMatch(/^"[\w-]{22}"$/);
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  it('answers a matching If-None-Match with 304 and no body', async () => {
    const { headers } = await get('/counter.js');
    const etag = String(headers['etag']);
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const res = await get('/counter.js', { 'If-None-Match': ifNoneMatch });
      expect(res.status, ifNoneMatch).toBe(304);
      expect(res.body.length).toBe(0);
      expect(res.headers['etag']).toBe(etag);
    }
    expect((await get('/counter.js', { 'If-None-Match': '"stale"' })).status).toBe(200);
  });

  it('sends it gzipped, under its own ETag, to clients that accept gzip', async () => {
    const plain = await get('/counter.js');
    const res = await get('/counter.js', { 'Accept-Encoding': 'br, gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['vary']).toBe('Accept-Encoding');
    expect(gunzipSync(res.body).equals(built)).toBe(true);
    expect(res.body.length).toBeLessThanOrEqual(3072);
    expect(res.headers['etag']).not.toBe(plain.headers['etag']);
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await get('/counter.js', {}, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['etag']).toMatch(/^"/);
    expect(res.body.length).toBe(0);
  });

  it('says how to build it when the bundle is missing', async () => {
    const app = clientScriptRoutes({ scriptPath: '/nonexistent/counter.js' });
    app.onError((error, c) => c.json({ error: { code: (error as Error & { code: string }).code, message: error.message } }, 503));
    const res = await app.request('/counter.js');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: { code: 'client_not_built', message: '/nonexistent/counter.js is missing: run `npm run build` to build the element' },
    });
  });
});

describe('GET /', () => {
  it("shows the snippet with this server's own URL", async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain(`&lt;script type="module" src="${server.url}/counter.js"&gt;&lt;/script&gt;`);
    expect(html).toContain('<script type="module" src="/counter.js"></script>');
    expect(html).toContain('<read-counter article="/" show-live>');
    // No inline script, so a strict Content-Security-Policy can be added later.
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script type="module" src="/counter.js">']);
  });

  it('uses https in the snippet behind a TLS-terminating proxy', async () => {
    const res = await get('/', { 'X-Forwarded-Proto': 'https', Host: 'counter.example.com' });
    const html = res.body.toString();
    expect(html).toContain('src="https://counter.example.com/counter.js"');
    expect(html).not.toContain('http://counter.example.com');
  });

  it('escapes the Host header it echoes', async () => {
    // Hono's URL parsing refuses `<` and `"` in a host with a 400, but lets a quote through.
    const html = (await get('/', { Host: "x'y.example" })).body.toString();
    expect(html).toContain('src="http://x&#39;y.example/counter.js"');
    expect(html).not.toContain("x'y");
  });
});
