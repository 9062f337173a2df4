import { describe, expect, it } from 'vitest';
import { createHub, type Hub } from '../../../server/live/hub.js';
import { PRESENCE_MAX_WAIT_MS, PRESENCE_MIN_WAIT_MS, PRESENCE_QUIET_MS } from '../../../server/live/presence.js';
import { fakeHubClock, fakePeer, later, nextTurn } from '../../helpers/fake-peer.js';

describe('createHub: the presence cadence of live', () => {
  let hub: Hub;
  fakeHubClock(() => hub);

  it('counts only reading pages as live, and sends a change of live alone once it has settled', async () => {
    hub = createHub({ loadReads: () => 3 });
    const watcher = fakePeer();
    const reader = fakePeer();
    hub.subscribe(watcher, 's', '/a', 'watching');
    const topic = hub.subscribe(reader, 's', '/a', 'reading');
    expect(hub.live('s', '/a')).toBe(1);
    await nextTurn();
    // Presence has its own cadence: not one broadcast per arriving page.
    expect(watcher.frames).toEqual([]);
    await later(PRESENCE_QUIET_MS);
    expect(watcher.frames).toEqual([{ type: 'count', article: '/a', reads: 3, live: 1 }]);
    hub.unsubscribe(reader, topic, 'reading');
    expect(hub.live('s', '/a')).toBe(0);
    await later(PRESENCE_QUIET_MS);
    expect(watcher.frames.at(-1)).toMatchObject({ reads: 3, live: 0 });
  });

  it('sends a crowd of arrivals as one broadcast per wait, and the exact live once the churn stops', async () => {
    hub = createHub({ loadReads: () => 0 });
    const watcher = fakePeer();
    hub.subscribe(watcher, 's', '/hot', 'watching');
    const readers = Array.from({ length: 1000 }, () => fakePeer());
    // 1,000 pages arrive, one every 10 ms, for 10 s: the churn never settles for PRESENCE_QUIET_MS.
    for (const reader of readers) {
      hub.subscribe(reader, 's', '/hot', 'reading');
      await later(10);
    }
    const during = hub.stats.broadcasts;
    // A page's wait is the minimum here (1,001 pages × PRESENCE_MS_PER_PAGE < PRESENCE_MIN_WAIT_MS).
    expect(during).toBeGreaterThanOrEqual(Math.floor(10_000 / PRESENCE_MIN_WAIT_MS) - 1);
    expect(during).toBeLessThanOrEqual(Math.ceil(10_000 / PRESENCE_MIN_WAIT_MS) + 1);
    await later(PRESENCE_QUIET_MS);
    expect(watcher.frames.at(-1)).toMatchObject({ live: 1000 });
    expect(readers.every((r) => r.frames.at(-1)?.live === 1000)).toBe(true);
    // …and once quiet, nothing more is sent.
    const sent = hub.stats.framesSent;
    await later(PRESENCE_MAX_WAIT_MS);
    expect(hub.stats.framesSent).toBe(sent);
  });

  it('waits longer under churn on a bigger article, up to the maximum', async () => {
    hub = createHub({ loadReads: () => 0, presence: { msPerPage: 1 } });
    const big = Array.from({ length: 3000 }, () => fakePeer());
    for (const peer of big) hub.subscribe(peer, 's', '/big', 'watching');
    const start = hub.stats.broadcasts;
    // One arrival every 100 ms for 12 s: 3,000 pages × 1 ms = a 3 s wait between broadcasts.
    for (let i = 0; i < 120; i++) {
      hub.subscribe(fakePeer(), 's', '/big', 'reading');
      await later(100);
    }
    expect(hub.stats.broadcasts - start).toBeGreaterThanOrEqual(3);
    expect(hub.stats.broadcasts - start).toBeLessThanOrEqual(5);
  });

  it('folds a change of live into the next read broadcast instead of sending it twice', async () => {
    hub = createHub({ loadReads: () => 0 });
    const watcher = fakePeer();
    hub.subscribe(watcher, 's', '/a', 'watching');
    hub.subscribe(fakePeer(), 's', '/a', 'reading');
    hub.publish('s', '/a', 1);
    await nextTurn();
    expect(watcher.frames).toEqual([{ type: 'count', article: '/a', reads: 1, live: 1 }]);
    await later(PRESENCE_MAX_WAIT_MS);
    expect(watcher.frames).toHaveLength(1);
  });

  it('gives a new page the exact state at once, and corrects it if the crowd it saw then shrinks back', async () => {
    hub = createHub({ loadReads: () => 0 });
    const first = fakePeer();
    const firstTopic = hub.subscribe(first, 's', '/a', 'reading');
    first.send(hub.exactFrame(firstTopic).payload);
    await later(PRESENCE_MAX_WAIT_MS);
    const second = fakePeer();
    const topic = hub.subscribe(second, 's', '/a', 'reading');
    second.send(hub.exactFrame(topic).payload);
    expect(second.frames).toEqual([{ type: 'count', article: '/a', reads: 0, live: 2 }]);
    // The first page leaves before the next presence broadcast: live is back to what the last
    // broadcast showed, but the second page was shown 2 and must still be corrected.
    hub.unsubscribe(first, firstTopic, 'reading');
    await later(PRESENCE_QUIET_MS);
    expect(second.frames.at(-1)).toMatchObject({ live: 1 });
  });

  it('never shows live for an article nobody is reading', async () => {
    hub = createHub({ loadReads: () => 5 });
    const watcher = fakePeer();
    hub.subscribe(watcher, 's', '/a', 'watching');
    const readers = [0, 1, 2].map(() => fakePeer());
    const topics = readers.map((r) => hub.subscribe(r, 's', '/a', 'reading'));
    await later(PRESENCE_QUIET_MS);
    readers.forEach((r, i) => hub.unsubscribe(r, topics[i]!, 'reading'));
    await later(PRESENCE_QUIET_MS);
    expect(hub.live('s', '/a')).toBe(0);
    expect(watcher.frames.at(-1)).toEqual({ type: 'count', article: '/a', reads: 5, live: 0 });
  });
});
