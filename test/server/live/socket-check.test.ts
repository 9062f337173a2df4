import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { TEST_ORIGIN as BLOG, upgradeStatus } from '../../helpers/ws.js';

describe('a page refused for its origin', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ALLOWED_ORIGINS: BLOG });
  });
  afterAll(async () => {
    await server.close();
  });

  const upgrade = (origin: string): Promise<number> => upgradeStatus(server.wsUrl, origin);

  it('learns why over plain GET /ws: 403 with the fix, open CORS, never cached', async () => {
    const response = await fetch(`${server.url}/ws`, { headers: { origin: 'https://www.blog.example.org' } });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('origin_not_allowed');
    expect(body.error.message).toContain('its origin "https://www.blog.example.org" is not in ALLOWED_ORIGINS');
    // It says nothing about which origins are allowed.
    expect(body.error.message).not.toContain('blog.example.com');
  });

  it('is told an allowed origin, its own origin, or a same-origin fetch may connect (426)', async () => {
    for (const headers of [{ origin: BLOG }, { origin: 'https://www.blog.example.com' }, { origin: `http://localhost:${server.port}` }, {}] as Record<string, string>[]) {
      const response = await fetch(`${server.url}/ws`, { headers });
      expect(response.status).toBe(426);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('upgrade_required');
    }
  });

  it('shows in the server log at once, then at most once a minute per origin', async () => {
    const before = server.logs.length;
    expect(await upgrade('https://preview-42.blog.example.net')).toBe(403);
    const logged = server.logs.slice(before);
    expect(logged).toEqual([
      `refused a WebSocket from origin "https://preview-42.blog.example.net": not in ALLOWED_ORIGINS (blog.example.com). ` +
        'If it is your blog, add it: ALLOWED_ORIGINS=blog.example.com,preview-42.blog.example.net',
    ]);
    expect(await upgrade('https://preview-42.blog.example.net')).toBe(403);
    expect(await upgrade('https://preview-42.blog.example.net')).toBe(403);
    expect(server.logs.length).toBe(before + 1);
    server.clock.advance(60_000);
    expect(await upgrade('https://preview-42.blog.example.net')).toBe(403);
    expect(server.logs.length).toBe(before + 2);
    expect(server.logs.at(-1)).toContain('and 2 more since the last line about it');
    // An allowed page is never logged.
    expect(await upgrade(BLOG)).toBe(101);
    expect(server.logs.length).toBe(before + 2);
  });
});
