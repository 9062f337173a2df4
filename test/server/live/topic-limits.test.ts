import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connect, type TestSocket } from '../../helpers/ws.js';
import { readAll } from '../../../server/store/read-all.js';

const SITE = 'blog.example.com';

async function subscribe(page: TestSocket, article: string) {
  page.send({ type: 'subscribe', article, mode: 'reading' });
  return page.nextWhere((m) => (m.type === 'count' || m.type === 'error') && m.article === article);
}

const watched = (server: TestServer): string[] => [...server.hub.topics()].map((t) => t.article).sort();

describe('topic limits', () => {
  let server: TestServer;
  afterEach(async () => {
    // Nothing any refusal did reached the store.
    expect((await readAll(server.store.totals()))).toEqual([]);
    await server.close();
  });

  it('refuses a subscription over MAX_SUBSCRIPTIONS_PER_IP across sockets, and not another network', async () => {
    server = await startTestServer({ MAX_SUBSCRIPTIONS_PER_IP: '3' });
    const first = await connect(server.wsUrl);
    const second = await connect(server.wsUrl);
    expect(await subscribe(first, '/a')).toMatchObject({ type: 'count' });
    expect(await subscribe(first, '/b')).toMatchObject({ type: 'count' });
    expect(await subscribe(second, '/c')).toMatchObject({ type: 'count' });
    expect(await subscribe(second, '/d')).toMatchObject({ type: 'error', code: 'too_many_topics', message: expect.stringMatching(/MAX_SUBSCRIPTIONS_PER_IP/) });
    expect(watched(server)).toEqual(['/a', '/b', '/c']);
    expect(server.hub.live(SITE, '/d')).toBe(0);

    const elsewhere = await connect(server.wsUrl, { localAddress: '127.0.0.2' });
    expect(await subscribe(elsewhere, '/d')).toMatchObject({ type: 'count', live: 1 });

    // A slot given back can be taken again, and a closed socket gives back all of its own.
    first.send({ type: 'unsubscribe', article: '/a' });
    expect(await subscribe(second, '/e')).toMatchObject({ type: 'count' });
    await first.close();
    expect(await subscribe(second, '/f')).toMatchObject({ type: 'count' });
    await Promise.all([second.close(), elsewhere.close()]);
  });

  it('refuses a new article over MAX_WATCHED_ARTICLES_PER_SITE, while pages on watched ones get in', async () => {
    server = await startTestServer({ MAX_WATCHED_ARTICLES_PER_SITE: '2' });
    const page = await connect(server.wsUrl);
    const other = await connect(server.wsUrl, { localAddress: '127.0.0.3' });
    expect(await subscribe(page, '/a')).toMatchObject({ type: 'count' });
    expect(await subscribe(page, '/b')).toMatchObject({ type: 'count' });
    expect(await subscribe(other, '/c')).toMatchObject({
      type: 'error',
      code: 'too_many_topics',
      message: expect.stringMatching(/MAX_WATCHED_ARTICLES_PER_SITE/),
    });
    expect(await subscribe(other, '/a')).toMatchObject({ type: 'count', live: 2 });
    expect(watched(server)).toEqual(['/a', '/b']);

    page.send({ type: 'unsubscribe', article: '/b' });
    expect(await subscribe(other, '/c')).toMatchObject({ type: 'count', live: 1 });
    expect(watched(server)).toEqual(['/a', '/c']);
    await Promise.all([page.close(), other.close()]);
  });
});
