import { afterEach, describe, expect, it } from 'vitest';
import { createHub, type Hub, type Peer } from '../../../server/live/hub.js';

/** A peer that records the frames it is handed; `buffered` simulates a slow socket. */
function fakePeer(buffered = 0): Peer & { frames: Array<{ reads: number; live: number }>; buffered: number } {
  return {
    frames: [],
    buffered,
    get bufferedAmount() {
      return this.buffered;
    },
    send(frame: Buffer) {
      this.frames.push(JSON.parse(frame.toString()));
    },
  };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createHub', () => {
  let hub: Hub;
  afterEach(() => hub.close());

  it('coalesces a burst of updates into one broadcast carrying the last value', async () => {
    hub = createHub({ loadReads: () => 0 });
    const a = fakePeer();
    const b = fakePeer();
    hub.subscribe(a, 's', '/a', 'watching');
    hub.subscribe(b, 's', '/a', 'watching');
    for (let reads = 1; reads <= 1000; reads++) hub.publish('s', '/a', reads);
    await nextTurn();
    expect(a.frames).toEqual([{ type: 'count', article: '/a', reads: 1000, live: 0 }]);
    expect(b.frames).toEqual(a.frames);
    expect(hub.stats.broadcasts).toBe(1);
  });

  it('serializes each broadcast once and hands the same buffer to every peer', async () => {
    hub = createHub({ loadReads: () => 0 });
    const seen: Buffer[] = [];
    const peers = [0, 1, 2].map(() => ({ bufferedAmount: 0, send: (frame: Buffer) => void seen.push(frame) }));
    for (const peer of peers) hub.subscribe(peer, 's', '/a', 'watching');
    hub.publish('s', '/a', 5);
    await nextTurn();
    expect(seen).toHaveLength(3);
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]).toBe(seen[0]);
  });

  it('never goes backwards: an older total is ignored', async () => {
    hub = createHub({ loadReads: () => 10 });
    const a = fakePeer();
    hub.subscribe(a, 's', '/a', 'watching');
    hub.publish('s', '/a', 12);
    hub.publish('s', '/a', 11);
    await nextTurn();
    expect(a.frames.map((f) => f.reads)).toEqual([12]);
  });

  it('counts only reading pages as live, and broadcasts when they come and go', async () => {
    hub = createHub({ loadReads: () => 3 });
    const watcher = fakePeer();
    const reader = fakePeer();
    hub.subscribe(watcher, 's', '/a', 'watching');
    const topic = hub.subscribe(reader, 's', '/a', 'reading');
    expect(hub.live('s', '/a')).toBe(1);
    await nextTurn();
    expect(watcher.frames.at(-1)).toMatchObject({ reads: 3, live: 1 });
    hub.unsubscribe(reader, topic, 'reading');
    await nextTurn();
    expect(hub.live('s', '/a')).toBe(0);
    expect(watcher.frames.at(-1)).toMatchObject({ reads: 3, live: 0 });
  });

  it('sends nothing to watchers of another article or another site', async () => {
    hub = createHub({ loadReads: () => 0 });
    const other = fakePeer();
    const otherSite = fakePeer();
    hub.subscribe(other, 's', '/b', 'watching');
    hub.subscribe(otherSite, 't', '/a', 'watching');
    hub.subscribe(fakePeer(), 's', '/a', 'watching');
    hub.publish('s', '/a', 1);
    await nextTurn();
    expect(other.frames).toEqual([]);
    expect(otherSite.frames).toEqual([]);
  });

  it('skips a slow peer and sends it the latest value once it drains', async () => {
    hub = createHub({ loadReads: () => 0, maxBufferedBytes: 100, lagRetryMs: 5 });
    const fast = fakePeer();
    const slow = fakePeer(1000);
    hub.subscribe(fast, 's', '/a', 'watching');
    hub.subscribe(slow, 's', '/a', 'watching');
    hub.publish('s', '/a', 1);
    await nextTurn();
    hub.publish('s', '/a', 2);
    await nextTurn();
    expect(fast.frames.map((f) => f.reads)).toEqual([1, 2]);
    expect(slow.frames).toEqual([]);
    expect(hub.stats.framesSkipped).toBeGreaterThanOrEqual(2);
    slow.buffered = 0;
    await wait(30);
    expect(slow.frames.map((f) => f.reads)).toEqual([2]);
  });

  it('waits at least the minimum interval between broadcasts of one article', async () => {
    let time = 0;
    hub = createHub({ loadReads: () => 0, minIntervalMs: 20, now: () => time });
    const a = fakePeer();
    hub.subscribe(a, 's', '/a', 'watching');
    hub.publish('s', '/a', 1);
    await nextTurn();
    hub.publish('s', '/a', 2);
    await nextTurn();
    expect(a.frames.map((f) => f.reads)).toEqual([1]);
    time = 25;
    await wait(40);
    expect(a.frames.map((f) => f.reads)).toEqual([1, 2]);
  });

  it('forgets an article when its last peer leaves', () => {
    hub = createHub({ loadReads: () => 0 });
    const a = fakePeer();
    const topic = hub.subscribe(a, 's', '/a', 'reading');
    hub.unsubscribe(a, topic, 'reading');
    expect([...hub.topics()]).toEqual([]);
    expect(hub.live('s', '/a')).toBe(0);
  });
});
