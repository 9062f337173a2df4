import { describe, expect, it } from 'vitest';
import { createHub, type Hub } from '../../../server/live/hub.js';
import { PRESENCE_MAX_WAIT_MS } from '../../../server/live/presence.js';
import { fakeHubClock, fakePeer, later, nextTurn } from '../../helpers/fake-peer.js';

describe('createHub with a store that answers asynchronously (a store behind the port)', () => {
  let hub: Hub;
  fakeHubClock(() => hub);

  /** A loadReads whose answer the test gives by hand. */
  function pendingLoad(): { load: () => Promise<number>; answer(reads: number): Promise<void> } {
    let resolve: (reads: number) => void = () => {};
    const load = () => new Promise<number>((r) => void (resolve = r));
    return { load, answer: async (reads) => void (resolve(reads), await nextTurn(), await nextTurn()) };
  }

  it('sends a new topic nothing until its total is known, then its exact state by broadcast', async () => {
    const store = pendingLoad();
    hub = createHub({ loadReads: store.load });
    const a = fakePeer();
    const b = fakePeer();
    const topic = hub.subscribe(a, 's', '/a', 'reading');
    hub.subscribe(b, 's', '/a', 'reading');
    expect(topic.countKnown).toBe(false);
    // Presence falls due while the store has not answered: it must not show a total of 0.
    await later(PRESENCE_MAX_WAIT_MS);
    expect(a.frames).toEqual([]);
    await store.answer(41);
    expect(topic.countKnown).toBe(true);
    expect(a.frames).toEqual([{ type: 'count', article: '/a', reads: 41, live: 2 }]);
    expect(b.frames).toEqual(a.frames);
  });

  it('keeps a newer published total over an older one the store answers late', async () => {
    const store = pendingLoad();
    hub = createHub({ loadReads: store.load });
    const a = fakePeer();
    hub.subscribe(a, 's', '/a', 'watching');
    hub.publish('s', '/a', 50);
    await nextTurn();
    await store.answer(49);
    expect(a.frames.map((f) => f.reads)).not.toContain(49);
    expect(a.frames.at(-1)).toEqual({ type: 'count', article: '/a', reads: 50, live: 0 });
    expect(hub.live('s', '/a')).toBe(0);
  });

  it('tells onLoadFailed when the store cannot answer, and shows the next publish', async () => {
    const failures: string[] = [];
    hub = createHub({ loadReads: () => Promise.reject(new Error('store down')), onLoadFailed: (site, article, error) => void failures.push(`${site}${article}: ${(error as Error).message}`) });
    const a = fakePeer();
    const topic = hub.subscribe(a, 's', '/a', 'reading');
    await nextTurn();
    expect(failures).toEqual(['s/a: store down']);
    await later(PRESENCE_MAX_WAIT_MS);
    expect(a.frames).toEqual([]);
    hub.publish('s', '/a', 7);
    await nextTurn();
    expect(topic.countKnown).toBe(true);
    expect(a.frames).toEqual([{ type: 'count', article: '/a', reads: 7, live: 1 }]);
  });
});
