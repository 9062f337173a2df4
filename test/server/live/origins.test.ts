import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { TEST_ORIGIN } from '../../helpers/ws.js';

describe('GET /ws origin checks', () => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  async function upgradeStatus(origin: string | undefined, path = '/ws', host?: string): Promise<number> {
    return new Promise((resolve) => {
      const headers: Record<string, string> = host === undefined ? {} : { host };
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}${path}`, origin === undefined ? { headers } : { origin, headers });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('error', () => {});
    });
  }

  it('refuses an origin not in ALLOWED_ORIGINS with 403 before the socket opens', async () => {
    server = await startTestServer({ ALLOWED_ORIGINS: TEST_ORIGIN });
    expect(await upgradeStatus('https://evil.example')).toBe(403);
    expect(await upgradeStatus(undefined)).toBe(403);
    expect(await upgradeStatus('null')).toBe(403);
    expect(await upgradeStatus(TEST_ORIGIN)).toBe(101);
    expect(await upgradeStatus('https://www.blog.example.com')).toBe(101);
    expect(await upgradeStatus(TEST_ORIGIN, '/other')).toBe(404);
  });

  it('always lets the server’s own landing page connect: PUBLIC_URL, by default http://localhost:PORT', async () => {
    server = await startTestServer({ ALLOWED_ORIGINS: TEST_ORIGIN });
    expect(await upgradeStatus(`http://localhost:${server.port}`)).toBe(101);
    // Its own origin comes from its settings, never from the Host a request names.
    expect(await upgradeStatus(server.url)).toBe(403);
  });

  it('lets any origin connect when ALLOWED_ORIGINS is empty', async () => {
    server = await startTestServer();
    expect(await upgradeStatus('https://anything.example')).toBe(101);
    expect(await upgradeStatus('http://localhost:4000')).toBe(101);
  });
});
