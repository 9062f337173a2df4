import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCountsFanout } from '../../../server/cluster/counts-fanout.js';
import { createSelfPing } from '../../../server/cluster/self-ping.js';
import { createHub } from '../../../server/live/hub.js';
import { openRedisStore, type RedisStore } from '../../../server/store/redis/open-redis-store.js';
import { startRedis, type RedisServer } from '../../helpers/redis.js';
import { fakePeer, nextTurn } from '../../helpers/fake-peer.js';

const T0 = Date.UTC(2026, 2, 1, 10);

describe('the counts fan-out', () => {
  let redis: RedisServer;
  let store: RedisStore;
  beforeAll(async () => {
    redis = await startRedis();
    store = await openRedisStore(redis.url, { prefix: 'fanout:' });
  });
  afterAll(async () => {
    await store.close();
    await redis.cleanup();
  });

  it('publishes a message\'s absolute total to the pages, and tells the feed; a stale or garbled one changes nothing', async () => {
    const hub = createHub({ loadReads: () => 4 });
    const counted: string[] = [];
    const fanout = createCountsFanout({ hub, store, counted: (site, article, reads) => void counted.push(`${site}${article}=${reads}`), log: () => {} });
    const page = fakePeer();
    hub.subscribe(page, 's', '/a', 'watching');
    fanout.message('s\n/a\n6');
    fanout.message('s\n/a\n5');
    fanout.message('s\n/a\nsix');
    await nextTurn();
    expect(page.frames).toEqual([{ type: 'count', article: '/a', reads: 6, live: 0 }]);
    expect(counted).toEqual(['s/a=6', 's/a=5']);
    // An import's new total reaches the pages, but is not a read for the feed.
    fanout.message('s\n/a\n40\nmerged');
    fanout.message('s\n/a\n41\nsomething');
    await nextTurn();
    expect(page.frames.at(-1)).toEqual({ type: 'count', article: '/a', reads: 40, live: 0 });
    expect(counted).toEqual(['s/a=6', 's/a=5']);
    hub.close();
  });

  it('re-reads every shown count after a resubscribe, so a message lost meanwhile is repaired', async () => {
    const hub = createHub({ loadReads: () => 0 });
    const fanout = createCountsFanout({ hub, store, log: () => {} });
    const [a, b, other] = [fakePeer(), fakePeer(), fakePeer()];
    hub.subscribe(a, 'r.example', '/a', 'watching');
    hub.subscribe(b, 'r.example', '/b', 'watching');
    hub.subscribe(other, 'q.example', '/a', 'watching');
    // Counted on some node while this one's subscription was down: no message ever reaches it.
    for (const [site, article] of [['r.example', '/a'], ['r.example', '/a'], ['r.example', '/b'], ['q.example', '/a']] as const) {
      await store.increment(site, article, T0, undefined);
    }
    await nextTurn();
    expect(a.frames).toEqual([]);
    await fanout.resync();
    await nextTurn();
    expect(a.frames.at(-1)).toMatchObject({ reads: 2 });
    expect(b.frames.at(-1)).toMatchObject({ reads: 1 });
    expect(other.frames.at(-1)).toMatchObject({ reads: 1 });
    hub.close();
  });
});

describe('the self-ping', () => {
  it('is healthy while pings come back, and says why not when they stop or the subscription is down', () => {
    let at = 0;
    const check = createSelfPing({ windowMs: 12_500, now: () => at });
    expect(check.problem(true)).toBeUndefined();
    const ping = check.ping();
    at = 12_000;
    check.pong(ping);
    at = 24_500;
    expect(check.problem(true)).toBeUndefined();
    // A ping this process never sent does not count.
    check.pong('99');
    at = 24_501;
    expect(check.problem(true)).toBe("the node's self-ping through Redis has not come back for 13 s");
    check.pong(check.ping());
    expect(check.problem(true)).toBeUndefined();
    expect(check.problem(false)).toBe('the Redis subscription is down; the node is reconnecting');
  });
});
