import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { botReason } from '../../../server/trust/bots.js';
import { NO_EVENTS } from '../../../server/events.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { BROWSER_UA, connect } from '../../helpers/ws.js';

const SITE = 'blog.example.com';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

describe('botReason', () => {
  it.each([
    [undefined, 'empty_user_agent'],
    ['', 'empty_user_agent'],
    ['   ', 'empty_user_agent'],
    [GOOGLEBOT, 'user_agent'],
    ['curl/8.5.0', 'user_agent'],
    ['python-requests/2.31', 'user_agent'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36', 'user_agent'],
    [BROWSER_UA, undefined],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', undefined],
  ])('classifies %j as %j', (ua, reason) => {
    expect(botReason(ua)).toBe(reason);
  });
});

describe('bots on /ws', () => {
  let server: TestServer;
  const seen: string[] = [];
  beforeEach(async () => {
    seen.length = 0;
    server = await startTestServer({}, { events: { ...NO_EVENTS, botSeen: (reason) => void seen.push(reason) } });
  });
  afterEach(async () => {
    await server.close();
  });

  it.each([
    ['a bot user agent', GOOGLEBOT, 'user_agent'],
    ['an empty user agent', null, 'empty_user_agent'],
  ])('shows %s the counts, never counts it, and leaves it out of live', async (_title, userAgent, reason) => {
    await server.store.increment(SITE, '/a', server.clock.now());
    const bot = await connect(server.wsUrl, { userAgent });
    bot.send({ type: 'subscribe', article: '/a', mode: 'reading' });
    expect(await bot.next('count')).toEqual({ type: 'count', article: '/a', reads: 1, live: 0 });
    server.clock.advance(60_000);
    bot.send({ type: 'read', article: '/a' });
    expect(await bot.next('error')).toMatchObject({ code: 'bot', article: '/a' });
    expect(await server.store.reads(SITE, '/a')).toBe(1);
    expect(server.hub.live(SITE, '/a')).toBe(0);
    expect(seen).toEqual([reason]);

    // It still receives the live count when a person reads.
    const person = await connect(server.wsUrl);
    person.send({ type: 'subscribe', article: '/a' });
    await person.next('count');
    server.clock.advance(10_000);
    person.send({ type: 'read', article: '/a' });
    expect(await bot.nextWhere((m) => m.type === 'count' && m.reads === 2)).toMatchObject({ reads: 2, live: 1 });
    await Promise.all([bot.close(), person.close()]);
  });
});

describe('Do Not Track and Global Privacy Control on the upgrade', () => {
  it.each<Record<string, string>>([{ dnt: '1' }, { 'sec-gpc': '1' }])('shows %j the count but never counts it', async (headers) => {
    const server = await startTestServer();
    const page = await connect(server.wsUrl, { headers });
    page.send({ type: 'subscribe', article: '/a', mode: 'reading' });
    expect(await page.next('count')).toEqual({ type: 'count', article: '/a', reads: 0, live: 0 });
    server.clock.advance(10_000);
    page.send({ type: 'read', article: '/a' });
    expect(await page.next('error')).toMatchObject({ code: 'do_not_track' });
    expect(await server.store.reads(SITE, '/a')).toBe(0);
    await page.close();
    await server.close();
  });
});
