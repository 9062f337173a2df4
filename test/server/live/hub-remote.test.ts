import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHub, type Hub, type RemoteReaders } from '../../../server/live/hub.js';
import { PRESENCE_QUIET_MS } from '../../../server/live/presence.js';
import { fakePeer, later, nextTurn } from '../../helpers/fake-peer.js';

/** Readers on other nodes, set by hand: what cluster mode's remote presence hands the hub. */
function remoteReaders(): RemoteReaders & { set(site: string, article: string, n: number): void } {
  const counts = new Map<string, Map<string, number>>();
  return {
    of: (site, article) => counts.get(site)?.get(article) ?? 0,
    ofSite: (site) => counts.get(site) ?? new Map(),
    set(site, article, n) {
      if (!counts.has(site)) counts.set(site, new Map());
      counts.get(site)!.set(article, n);
    },
  };
}

describe('createHub with readers on other nodes (cluster mode)', () => {
  let hub: Hub;
  let remote: ReturnType<typeof remoteReaders>;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    remote = remoteReaders();
    hub = createHub({ loadReads: () => 7, remote });
  });
  afterEach(() => {
    hub.close();
    vi.useRealTimers();
  });

  it('adds them to live everywhere: the first frame, live() and liveOf()', async () => {
    remote.set('s', '/a', 2);
    remote.set('s', '/elsewhere', 4);
    const page = fakePeer();
    const topic = hub.subscribe(page, 's', '/a', 'reading');
    page.send(hub.exactFrame(topic).payload);
    expect(page.frames).toEqual([{ type: 'count', article: '/a', reads: 7, live: 3 }]);
    expect(hub.live('s', '/a')).toBe(3);
    // An article nobody reads on this node still shows the others' readers.
    expect(hub.live('s', '/elsewhere')).toBe(4);
    expect(hub.liveOf('s')).toEqual(new Map([['/a', 3], ['/elsewhere', 4]]));
    expect(hub.live('other', '/a')).toBe(0);
  });

  it('sends a change of the remote readers to the pages on the presence cadence, not at once', async () => {
    const page = fakePeer();
    hub.subscribe(page, 's', '/a', 'watching');
    remote.set('s', '/a', 5);
    hub.remoteChanged('s', '/a');
    await nextTurn();
    expect(page.frames).toEqual([]);
    await later(PRESENCE_QUIET_MS);
    expect(page.frames).toEqual([{ type: 'count', article: '/a', reads: 7, live: 5 }]);
    remote.set('s', '/a', 0);
    hub.remoteChanged('s', '/a');
    await later(PRESENCE_QUIET_MS);
    expect(page.frames.at(-1)).toEqual({ type: 'count', article: '/a', reads: 7, live: 0 });
  });

  it('carries the sum in a count broadcast too', async () => {
    const page = fakePeer();
    hub.subscribe(page, 's', '/a', 'reading');
    remote.set('s', '/a', 1);
    hub.remoteChanged('s', '/a');
    hub.publish('s', '/a', 8);
    await nextTurn();
    expect(page.frames).toEqual([{ type: 'count', article: '/a', reads: 8, live: 2 }]);
  });

  it('ignores a change for an article nobody shows here', async () => {
    remote.set('s', '/b', 3);
    hub.remoteChanged('s', '/b');
    await later(PRESENCE_QUIET_MS);
    expect([...hub.topics()]).toEqual([]);
    expect(hub.live('s', '/b')).toBe(3);
  });
});
