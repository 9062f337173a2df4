import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publicReads, startTestServer, type TestServer } from '../../helpers/server.js';
import { ADMIN_TOKEN } from '../../helpers/admin-browser.js';

const SITE = 'blog.example.com';
const WRONG = 'not-the-admin-token-at-all-0000';

describe('failed admin logins are throttled per client network', () => {
  let server: TestServer;
  // Loopback is one address, so the client's network comes from X-Forwarded-For (TRUST_PROXY=xff).
  const stats = (token: string, ip: string) =>
    fetch(`${server.url}/api/stats?site=${SITE}`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': ip } });
  const formLogin = (token: string, ip: string) =>
    fetch(`${server.url}/dashboard/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, 'x-forwarded-for': ip },
      body: new URLSearchParams({ token }),
    });
  const throttleLogs = () => server.logs.filter((line) => line.includes('failed logins or tokens'));

  beforeEach(async () => {
    server = await startTestServer({ ADMIN_TOKEN, TRUST_PROXY: 'xff', MAX_LOGIN_FAILURES_PER_MINUTE: '3' });
    await server.store.increment(SITE, '/posts/hello', server.clock.now());
  });
  afterEach(async () => {
    await server.close();
  });

  it('answers 429 with Retry-After past the budget, even for the right token, while another network gets in', async () => {
    for (let i = 0; i < 3; i++) expect((await stats(WRONG, '203.0.113.5')).status).toBe(401);
    const refused = await stats(WRONG, '203.0.113.5');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await refused.json()).toEqual({ error: { code: 'too_many_attempts', message: expect.stringMatching(/try again in \d+ s/) } });
    // No oracle for the guesser: the right token is refused too, from that network.
    expect((await stats(ADMIN_TOKEN, '203.0.113.5')).status).toBe(429);
    expect((await stats(ADMIN_TOKEN, '198.51.100.7')).status).toBe(200);
    expect((await stats(ADMIN_TOKEN, '203.0.113.6')).status).toBe(200);
    expect(await publicReads(server.url, SITE, '/posts/hello')).toBe(1);
  });

  it('counts an IPv6 /64 as one network', async () => {
    for (let i = 0; i < 3; i++) await stats(WRONG, `2001:db8:1::${i + 1}`);
    expect((await stats(ADMIN_TOKEN, '2001:db8:1::ffff')).status).toBe(429);
    expect((await stats(ADMIN_TOKEN, '2001:db8:2::1')).status).toBe(200);
  });

  it('throttles the login form the same way, setting no cookie', async () => {
    for (let i = 0; i < 3; i++) expect((await formLogin(WRONG, '203.0.113.5')).status).toBe(401);
    const refused = await formLogin(ADMIN_TOKEN, '203.0.113.5');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.headers.getSetCookie()).toEqual([]);
    expect(await refused.text()).toMatch(/Too many wrong tokens from your network: try again in \d+ s/);
    const elsewhere = await formLogin(ADMIN_TOKEN, '198.51.100.7');
    expect(elsewhere.status).toBe(303);
    expect(elsewhere.headers.getSetCookie()).toHaveLength(1);
  });

  it('lets the network try again once its minute is over', async () => {
    for (let i = 0; i < 3; i++) await stats(WRONG, '203.0.113.5');
    expect((await stats(ADMIN_TOKEN, '203.0.113.5')).status).toBe(429);
    server.clock.advance(60_000);
    expect((await stats(ADMIN_TOKEN, '203.0.113.5')).status).toBe(200);
  });

  it('logs a burst once, naming the network and never the token', async () => {
    for (let minute = 0; minute < 3; minute++) {
      for (let i = 0; i < 5; i++) await stats(`${WRONG}-${i}`, '203.0.113.5');
      server.clock.advance(60_000);
    }
    expect(throttleLogs()).toHaveLength(1);
    expect(throttleLogs()[0]).toContain('203.0.113.5');
    expect(server.logs.join('\n')).not.toContain(WRONG);
    // Quiet for a while, then a new burst: logged again.
    server.clock.advance(15 * 60_000);
    for (let i = 0; i < 3; i++) await stats(WRONG, '203.0.113.5');
    expect(throttleLogs()).toHaveLength(2);
  });
});
