import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHub, type Hub } from '../../../server/live/hub.js';
import { fakePeer, later, nextTurn } from '../../helpers/fake-peer.js';


describe('site channels on the hub', () => {
  let hub: Hub;
  // What a site frame shows here: the site's `live` as the hub has it.
  const render = (site: string) => () => JSON.stringify({ type: 'site', site, live: [...hub.topicsOf(site)].reduce((n, t) => n + t.readers, 0) });
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    hub = createHub({ loadReads: () => 0 });
  });
  afterEach(() => {
    hub.close();
    vi.useRealTimers();
  });

  it('sends a watcher the state at once, then one frame per turn with the latest, and is no topic', async () => {
    const admin = fakePeer();
    hub.watchSite(admin, 's', render('s'));
    expect(admin.frames).toEqual([{ type: 'site', site: 's', live: 0 }]);
    for (let i = 0; i < 10; i++) hub.siteChanged('s');
    await nextTurn();
    expect(admin.frames).toHaveLength(2);
    expect([...hub.topics()]).toEqual([]);
    expect([...hub.watchedSites()]).toEqual(['s']);
  });

  it('sends a change of live on the presence cadence, and nothing when the pages came and went to the same figure', async () => {
    const admin = fakePeer();
    hub.watchSite(admin, 's', render('s'));
    const page = fakePeer();
    const topic = hub.subscribe(page, 's', '/a', 'reading');
    await later(1000);
    expect(admin.frames).toEqual([{ type: 'site', site: 's', live: 0 }, { type: 'site', site: 's', live: 1 }]);
    hub.changeMode(topic, 'reading', 'watching');
    hub.changeMode(topic, 'watching', 'reading');
    await later(1000);
    expect(admin.frames).toHaveLength(2);
    // Another site's pages never reach this channel.
    hub.subscribe(fakePeer(), 'other', '/a', 'reading');
    await later(1000);
    expect(admin.frames).toHaveLength(2);
  });

  it('hands an event to every watcher under the back-pressure limit, and counts the one it skips', () => {
    const fast = fakePeer();
    const slow = fakePeer();
    hub.watchSite(fast, 's', render('s'));
    hub.watchSite(slow, 's', render('s'));
    slow.buffered = 64 * 1024 + 1;
    hub.sendToSite('s', '{"type":"feed"}');
    hub.sendToSite('elsewhere', '{"type":"feed"}');
    expect(fast.frames.at(-1)).toEqual({ type: 'feed' });
    expect(slow.frames).toHaveLength(1);
    expect(hub.stats.framesSkipped).toBe(1);
  });

  it('moves a watcher between sites, and says when a site lost its last watcher', () => {
    const admin = fakePeer();
    const other = fakePeer();
    hub.watchSite(admin, 'a', render('a'));
    hub.watchSite(other, 'a', render('a'));
    hub.watchSite(admin, 'b', render('b'));
    expect([...hub.watchedSites()].sort()).toEqual(['a', 'b']);
    expect(hub.unwatchSite(other)).toBe('a');
    expect(hub.unwatchSite(admin)).toBe('b');
    expect(hub.unwatchSite(admin)).toBeUndefined();
    expect([...hub.watchedSites()]).toEqual([]);
  });
});
