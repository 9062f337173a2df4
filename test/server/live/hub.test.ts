import { describe, expect, it } from 'vitest';
import { createHub, wireFrame, type Hub } from '../../../server/live/hub.js';
import { fakeHubClock, fakePeer, later, nextTurn } from '../../helpers/fake-peer.js';

describe('createHub', () => {
  let hub: Hub;
  fakeHubClock(() => hub);

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

  it('frames each broadcast once and writes the same wire bytes to every socket that takes them', async () => {
    hub = createHub({ loadReads: () => 0 });
    const wires: Buffer[] = [];
    const payloads: Buffer[] = [];
    const framed = [0, 1, 2].map(() => ({ bufferedAmount: 0, send: (f: Buffer) => void payloads.push(f), sendWire: (w: Buffer) => void wires.push(w) }));
    const plain = { bufferedAmount: 0, send: (f: Buffer) => void payloads.push(f) };
    for (const peer of [...framed, plain]) hub.subscribe(peer, 's', '/a', 'watching');
    hub.publish('s', '/a', 7);
    await nextTurn();
    expect(wires).toHaveLength(3);
    expect(wires[1]).toBe(wires[0]);
    expect(wires[2]).toBe(wires[0]);
    const wire = wires[0]!;
    // FIN + text opcode, unmasked, 7-bit length: exactly what ws would have put on the wire.
    expect(wire[0]).toBe(0x81);
    expect(wire[1]).toBe(wire.length - 2);
    expect(JSON.parse(wire.subarray(2).toString())).toEqual({ type: 'count', article: '/a', reads: 7, live: 0 });
    // A peer without sendWire is handed the payload inside the same frame.
    expect(payloads).toHaveLength(1);
    expect(payloads[0]!.equals(wire.subarray(2))).toBe(true);
  });

  it('frames payloads of 126 bytes or more with a 16-bit length', () => {
    const short = wireFrame('x'.repeat(125));
    expect(short.wire.length).toBe(127);
    expect(short.wire[1]).toBe(125);
    const json = JSON.stringify({ type: 'count', article: `/${'é'.repeat(200)}`, reads: 1, live: 0 });
    const { wire, payload } = wireFrame(json);
    const length = Buffer.byteLength(json);
    expect(wire[0]).toBe(0x81);
    expect(wire[1]).toBe(126);
    expect(wire.readUInt16BE(2)).toBe(length);
    expect(wire.length).toBe(4 + length);
    expect(payload.toString()).toBe(json);
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
    await later(30);
    expect(slow.frames.map((f) => f.reads)).toEqual([2]);
  });

  it('resends the latest framed value to a lagging socket that takes wire frames', async () => {
    hub = createHub({ loadReads: () => 0, maxBufferedBytes: 100, lagRetryMs: 5 });
    const seen: number[] = [];
    const slow = { bufferedAmount: 1000, send: () => {}, sendWire: (w: Buffer) => void seen.push(JSON.parse(w.subarray(2).toString()).reads) };
    hub.subscribe(slow, 's', '/a', 'watching');
    hub.publish('s', '/a', 1);
    await nextTurn();
    hub.publish('s', '/a', 2);
    await nextTurn();
    expect(seen).toEqual([]);
    slow.bufferedAmount = 0;
    await later(30);
    expect(seen).toEqual([2]);
  });

  it('retries only the lagging peer: the others are not sent the same value again', async () => {
    hub = createHub({ loadReads: () => 0, maxBufferedBytes: 100, lagRetryMs: 5 });
    const fast = fakePeer();
    const slow = fakePeer(1000);
    hub.subscribe(fast, 's', '/a', 'watching');
    hub.subscribe(slow, 's', '/a', 'watching');
    hub.publish('s', '/a', 1);
    await later(20);
    slow.buffered = 0;
    await later(20);
    expect(fast.frames.map((f) => f.reads)).toEqual([1]);
    expect(slow.frames.map((f) => f.reads)).toEqual([1]);
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
    await later(40);
    expect(a.frames.map((f) => f.reads)).toEqual([1, 2]);
  });

  it('hands a value committed mid-broadcast to the peers not yet visited, then catches up the rest, never twice', async () => {
    hub = createHub({ loadReads: () => 0, framesPerTurn: 2 });
    const peers = [0, 1, 2, 3, 4].map(() => fakePeer());
    for (const peer of peers) hub.subscribe(peer, 's', '/a', 'watching');
    hub.publish('s', '/a', 1);
    await nextTurn();
    expect(peers.map((p) => p.frames.length)).toEqual([1, 1, 0, 0, 0]);
    hub.publish('s', '/a', 2);
    for (let i = 0; i < 4; i++) await nextTurn();
    expect(peers.map((p) => p.frames.map((f) => f.reads))).toEqual([[1, 2], [1, 2], [2], [2], [2]]);
    await nextTurn();
    expect(hub.stats.framesSent).toBe(7);
  });

  it('yields to the event loop after framesPerTurn frames, so reads are taken in mid-broadcast', async () => {
    hub = createHub({ loadReads: () => 0, framesPerTurn: 3 });
    const peers = Array.from({ length: 10 }, () => fakePeer());
    for (const peer of peers) hub.subscribe(peer, 's', '/a', 'watching');
    hub.publish('s', '/a', 1);
    await nextTurn();
    expect(peers.filter((p) => p.frames.length > 0)).toHaveLength(3);
    for (let i = 0; i < 3; i++) await nextTurn();
    expect(peers.every((p) => p.frames.length === 1)).toBe(true);
  });

  it('keeps a broadcast under way moving while another article waits out the minimum interval', async () => {
    hub = createHub({ loadReads: () => 0, framesPerTurn: 1, minIntervalMs: 1000, now: () => 0 });
    const waiting = fakePeer();
    hub.subscribe(waiting, 's', '/b', 'watching');
    hub.publish('s', '/b', 1);
    await nextTurn();
    hub.publish('s', '/b', 2);
    const peers = [0, 1, 2].map(() => fakePeer());
    for (const peer of peers) hub.subscribe(peer, 's', '/a', 'watching');
    hub.publish('s', '/a', 1);
    for (let i = 0; i < 4; i++) await nextTurn();
    expect(peers.map((p) => p.frames.length)).toEqual([1, 1, 1]);
    expect(waiting.frames.map((f) => f.reads)).toEqual([1]);
  });

  it('finishes every broadcast synchronously on flush(), for shutdown', () => {
    hub = createHub({ loadReads: () => 0, framesPerTurn: 2, minIntervalMs: 60_000 });
    const peers = Array.from({ length: 9 }, () => fakePeer());
    for (const peer of peers) hub.subscribe(peer, 's', '/a', 'watching');
    hub.publish('s', '/a', 4);
    hub.flush();
    expect(peers.map((p) => p.frames.map((f) => f.reads))).toEqual(peers.map(() => [4]));
  });

  it('forgets an article when its last peer leaves', () => {
    hub = createHub({ loadReads: () => 0 });
    const a = fakePeer();
    const topic = hub.subscribe(a, 's', '/a', 'reading');
    hub.unsubscribe(a, topic, 'reading');
    expect([...hub.topics()]).toEqual([]);
    expect(hub.live('s', '/a')).toBe(0);
  });

  it('skips a peer marked as already sent the current state', async () => {
    hub = createHub({ loadReads: () => 0 });
    const reader = fakePeer();
    const watcher = fakePeer();
    const topic = hub.subscribe(reader, 's', '/a', 'watching');
    hub.subscribe(watcher, 's', '/a', 'watching');
    hub.publish('s', '/a', 1);
    hub.markSent(reader, topic);
    await nextTurn();
    expect(reader.frames).toEqual([]);
    expect(watcher.frames.map((f) => f.reads)).toEqual([1]);
    hub.publish('s', '/a', 2);
    await nextTurn();
    expect(reader.frames.map((f) => f.reads)).toEqual([2]);
  });
});

describe('createHub options', () => {
  it('refuses a turn budget or interval that could never send, naming the option', () => {
    expect(() => createHub({ loadReads: () => 0, framesPerTurn: 0 })).toThrow(/framesPerTurn/);
    expect(() => createHub({ loadReads: () => 0, minIntervalMs: -1 })).toThrow(/minIntervalMs/);
    expect(() => createHub({ loadReads: () => 0, maxBufferedBytes: Number.NaN })).toThrow(/maxBufferedBytes/);
  });
});
