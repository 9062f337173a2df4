import { describe, expect, it } from 'vitest';
import { createTopics, readersMoved, versionFrame } from '../../../server/live/topics.js';

describe('createTopics', () => {
  it('keeps one topic per site and article, and finds a site’s topics without the others', () => {
    const topics = createTopics();
    const a = topics.open('s', '/a', () => 3);
    expect(topics.open('s', '/a', () => 99)).toBe(a);
    expect(a.reads).toBe(3);
    topics.open('s', '/b', () => 0);
    topics.open('t', '/a', () => 0);
    expect([...topics.ofSite('s')].map((t) => t.article)).toEqual(['/a', '/b']);
    expect([...topics.ofSite('t')].map((t) => `${t.site}${t.article}`)).toEqual(['t/a']);
    expect([...topics.ofSite('nobody')]).toEqual([]);
  });

  it('drops a topic from both indexes, and a later open makes a new one', () => {
    const topics = createTopics();
    const a = topics.open('s', '/a', () => 0);
    topics.drop(a);
    expect(topics.isOpen(a)).toBe(false);
    expect(topics.find('s', '/a')).toBeUndefined();
    expect([...topics.ofSite('s')]).toEqual([]);
    const again = topics.open('s', '/a', () => 1);
    expect(again).not.toBe(a);
    // Dropping the old one again must not drop its successor.
    topics.drop(a);
    expect(topics.isOpen(again)).toBe(true);
  });
});

describe('versionFrame', () => {
  it('frames a version once, and notices when readers move past what it shows', () => {
    const topic = createTopics().open('s', '/a', () => 7);
    topic.readers = 2;
    const frame = versionFrame(topic);
    expect(JSON.parse(frame.payload.toString())).toEqual({ type: 'count', article: '/a', reads: 7, live: 2 });
    expect(versionFrame(topic)).toBe(frame);
    expect(readersMoved(topic)).toBe(false);
    topic.readers = 3;
    expect(readersMoved(topic)).toBe(true);
    topic.version++;
    expect(readersMoved(topic)).toBe(false);
    expect(JSON.parse(versionFrame(topic).payload.toString())).toMatchObject({ live: 3 });
  });
});
