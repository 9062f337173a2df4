import { describe, expect, it } from 'vitest';
import { createLocalPresence } from '../../../server/cluster/local-presence.js';
import { parsePresence, type PresenceMessage } from '../../../server/cluster/presence-message.js';
import { createRemotePresence } from '../../../server/cluster/remote-presence.js';
import { newTopic, type Topic } from '../../../server/live/topics.js';

/** A clock the test moves by hand. */
const clock = () => {
  let at = 0;
  return { now: () => at, advance: (ms: number) => void (at += ms) };
};

describe('remote presence (other nodes\' readers)', () => {
  const setup = () => {
    const time = clock();
    const changed: string[] = [];
    const remote = createRemotePresence({ self: 'me', staleMs: 25_000, changed: (site, article) => void changed.push(`${site}${article}`), now: time.now });
    const message = (node: string, full: boolean, readers: PresenceMessage['readers']): PresenceMessage => ({ node, full, hello: false, readers });
    return { time, changed, remote, message };
  };

  it('sums the nodes per article, applies changes, and lets a snapshot replace a node\'s figures', () => {
    const { changed, remote, message } = setup();
    remote.apply(message('n1', true, [['s', '/a', 2], ['s', '/b', 1]]));
    remote.apply(message('n2', true, [['s', '/a', 3]]));
    expect(remote.of('s', '/a')).toBe(5);
    expect(new Map(remote.ofSite('s'))).toEqual(new Map([['/a', 5], ['/b', 1]]));
    remote.apply(message('n1', false, [['s', '/a', 0]]));
    expect(remote.of('s', '/a')).toBe(3);
    // A snapshot without /b: nobody reads it on n1 any more.
    remote.apply(message('n1', true, [['s', '/c', 4]]));
    expect(new Map(remote.ofSite('s'))).toEqual(new Map([['/a', 3], ['/c', 4]]));
    expect(changed).toEqual(['s/a', 's/b', 's/a', 's/a', 's/b', 's/c']);
  });

  it('ignores its own messages', () => {
    const { remote, message } = setup();
    remote.apply(message('me', true, [['s', '/a', 9]]));
    expect(remote.of('s', '/a')).toBe(0);
    expect(remote.nodes()).toEqual([]);
  });

  it('drops a node not heard from within the stale window, and only that one', () => {
    const { time, remote, message } = setup();
    remote.apply(message('gone', true, [['s', '/a', 2]]));
    time.advance(20_000);
    remote.apply(message('alive', true, [['s', '/a', 1]]));
    time.advance(5_000);
    remote.expire();
    expect(remote.of('s', '/a')).toBe(3);
    time.advance(1);
    remote.expire();
    expect(remote.of('s', '/a')).toBe(1);
    expect(remote.nodes()).toEqual(['alive']);
  });
});

describe('local presence (this node\'s readers)', () => {
  const setup = () => {
    const time = clock();
    const topics: Topic[] = [];
    const sent: PresenceMessage[] = [];
    let fail = false;
    const local = createLocalPresence({
      self: 'me',
      hub: { topics: () => topics.values() },
      publish: async (payload) => {
        if (fail) throw new Error('down');
        sent.push(parsePresence(payload)!);
      },
      snapshotMs: 10_000,
      now: time.now,
    });
    const topic = (article: string, readers: number): Topic => {
      const t = newTopic('s', article, 0);
      t.readers = readers;
      topics.push(t);
      return t;
    };
    return { time, topics, sent, local, topic, failing: (on: boolean) => void (fail = on) };
  };

  it('sends a snapshot first, then only what changed, and nothing when nothing did', async () => {
    const { sent, local, topic, topics } = setup();
    const a = topic('/a', 2);
    topic('/quiet', 0);
    await local.tick();
    expect(sent).toEqual([{ node: 'me', full: true, hello: false, readers: [['s', '/a', 2]] }]);
    await local.tick();
    expect(sent).toHaveLength(1);
    a.readers = 5;
    topic('/b', 1);
    await local.tick();
    topics.splice(0, 1);
    await local.tick();
    expect(sent.slice(1)).toEqual([
      { node: 'me', full: false, hello: false, readers: [['s', '/a', 5], ['s', '/b', 1]] },
      { node: 'me', full: false, hello: false, readers: [['s', '/a', 0]] },
    ]);
  });

  it('sends one message per tick whatever the number of readers, and a snapshot when due or asked for', async () => {
    const { time, sent, local, topic } = setup();
    for (let i = 0; i < 1000; i++) topic(`/p${i}`, 1);
    await local.tick();
    expect(sent).toHaveLength(1);
    time.advance(10_000);
    await local.tick();
    expect(sent.map((m) => m.full)).toEqual([true, true]);
    local.requestFull();
    await local.tick();
    expect(sent.map((m) => m.full)).toEqual([true, true, true]);
  });

  it('sends a whole snapshot after a failed publish, as the others may have missed anything', async () => {
    const { sent, local, topic, failing } = setup();
    const a = topic('/a', 1);
    await local.tick();
    failing(true);
    a.readers = 2;
    await local.tick();
    failing(false);
    topic('/b', 1);
    await local.tick();
    expect(sent.at(-1)).toEqual({ node: 'me', full: true, hello: false, readers: [['s', '/a', 2], ['s', '/b', 1]] });
  });

  it('says goodbye with an empty snapshot, which drops the node at once on the others', () => {
    const { local } = setup();
    const remote = createRemotePresence({ self: 'other', staleMs: 25_000, changed: () => {} });
    remote.apply({ node: 'me', full: true, hello: false, readers: [['s', '/a', 3]] });
    remote.apply(parsePresence(local.goodbye())!);
    expect(remote.of('s', '/a')).toBe(0);
    expect(parsePresence(local.hello())).toEqual({ node: 'me', full: false, hello: true, readers: [] });
  });

  it('refuses a malformed presence payload', () => {
    expect(parsePresence('{"node":"x","full":true,"hello":false,"readers":[["s","/a",-1]]}')).toBeUndefined();
    expect(parsePresence('not json')).toBeUndefined();
    expect(parsePresence('{"node":1}')).toBeUndefined();
  });
});
