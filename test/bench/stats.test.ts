import { describe, expect, it } from 'vitest';
import { Histogram, WatcherCheck, bucketLow, bucketOf, bucketWidth, percentile, ratio, summarizeWatchers, unionLength } from '../../bench/lib/stats.mjs';

describe('percentile', () => {
  it('takes the nearest rank of a sorted array', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
  });

  it('is NaN for no samples', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(new Histogram().percentile(99)).toBeNaN();
  });
});

describe('Histogram', () => {
  it('keeps microseconds exact below 256 µs and within 1 % above', () => {
    for (const us of [0, 1, 17, 255, 256, 257, 1000, 4097, 123_456, 9_999_999, 2 ** 31 - 1]) {
      const b = bucketOf(us);
      expect(bucketLow(b)).toBeLessThanOrEqual(us);
      expect(bucketLow(b) + bucketWidth(b)).toBeGreaterThan(us);
      expect(bucketWidth(b) / Math.max(1, us)).toBeLessThanOrEqual(us < 256 ? 1 : 0.008);
    }
  });

  it('orders buckets like the values they hold', () => {
    let previous = -1;
    for (let us = 0; us < 70_000; us += 7) {
      const b = bucketOf(us);
      expect(b).toBeGreaterThanOrEqual(previous);
      previous = b;
    }
  });

  it('agrees with exact percentiles on a skewed sample', () => {
    const values: number[] = [];
    let seed = 42;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 20_000; i++) values.push(random() < 0.98 ? 5 + random() * 20 : 200 + random() * 3000);
    const histogram = new Histogram();
    for (const v of values) histogram.add(v);
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [50, 90, 99, 99.9]) {
      expect(Math.abs(histogram.percentile(p) - percentile(sorted, p)) / percentile(sorted, p)).toBeLessThan(0.01);
    }
    expect(histogram.max).toBe(sorted.at(-1));
    expect(histogram.percentile(100)).toBe(sorted.at(-1));
  });

  it('merges across processes through its JSON form', () => {
    const a = new Histogram();
    const b = new Histogram();
    for (let i = 1; i <= 50; i++) a.add(i);
    for (let i = 51; i <= 100; i++) b.add(i);
    const merged = Histogram.fromJSON(structuredClone(a.toJSON())).merge(structuredClone(b.toJSON()));
    expect(merged.total).toBe(100);
    expect(merged.min).toBe(1);
    expect(merged.max).toBe(100);
    expect(merged.percentile(50)).toBeCloseTo(50, 0);
  });

  it('clamps negative latencies (clock skew) to zero instead of losing them', () => {
    const h = new Histogram();
    h.add(-0.2);
    expect(h.total).toBe(1);
    expect(h.percentile(50)).toBe(-0.2);
  });
});

describe('WatcherCheck', () => {
  const sendTimes = [100, 110, 120, 130];

  it('gives every read its latency from the first count that covers it', () => {
    const h = new Histogram();
    const w = new WatcherCheck(10, sendTimes, h);
    w.receive(11, 105); // read 1: 5 ms
    w.receive(14, 140); // reads 2–4 skipped to by a coalesced count: 30, 20, 10 ms
    expect(h.total).toBe(4);
    expect(h.min).toBe(5);
    expect(h.max).toBe(30);
    expect(w.missing).toBe(0);
    expect(w.converged).toBe(true);
    expect(w.finalAt).toBe(140);
  });

  it('counts a watcher that never gets the final value as not converged, with its missing reads', () => {
    const h = new Histogram();
    const w = new WatcherCheck(0, sendTimes, h);
    w.receive(1, 101);
    w.receive(2, 111);
    expect(w.converged).toBe(false);
    expect(w.missing).toBe(2);
    expect(w.finalAt).toBeNaN();
  });

  it('notices a count going backwards and does not let it undo progress', () => {
    const h = new Histogram();
    const w = new WatcherCheck(0, sendTimes, h);
    w.receive(3, 125);
    w.receive(2, 126);
    w.receive(4, 135);
    expect(w.backwards).toBe(1);
    expect(w.last).toBe(4);
    expect(w.converged).toBe(true);
  });

  it('ignores repeated values (a `live` change) for latency but counts the frame', () => {
    const h = new Histogram();
    const w = new WatcherCheck(5, [100], h);
    w.receive(5, 101);
    w.receive(6, 103);
    w.receive(6, 150);
    expect(h.total).toBe(1);
    expect(h.max).toBe(3);
    expect(w.frames).toBe(3);
    expect(w.finalAt).toBe(103);
  });

  it('treats a value beyond the final one as a failure to converge', () => {
    const w = new WatcherCheck(0, [100], new Histogram());
    w.receive(2, 110);
    expect(w.converged).toBe(false);
  });
});

describe('summarizeWatchers', () => {
  it('reports failures by count and never averages them away', () => {
    const ok = { backwards: 0, converged: true, finalAt: 50, frames: 3, missing: 0 };
    const summary = summarizeWatchers([ok, { ...ok, finalAt: 80 }, { ...ok, converged: false, missing: 2 }, { ...ok, backwards: 1 }]);
    expect(summary).toMatchObject({ watchers: 4, frames: 12, missedFinal: 1, backwards: 1, missing: 2 });
    // With a watcher missing the final value, there is no "time until all converged".
    expect(summary.lastFinalAt).toBeNaN();
  });

  it('gives the time the last watcher got the final value when all did', () => {
    const ok = { backwards: 0, converged: true, finalAt: 50, frames: 1, missing: 0 };
    expect(summarizeWatchers([ok, { ...ok, finalAt: 90 }]).lastFinalAt).toBe(90);
  });
});

describe('ratio', () => {
  it('is NaN rather than Infinity or a guess when a side is missing', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNaN();
    expect(ratio(Number.NaN, 2)).toBeNaN();
    expect(ratio(3, undefined as unknown as number)).toBeNaN();
  });
});

describe('unionLength', () => {
  it('adds disjoint spans and counts overlaps once', () => {
    expect(unionLength([[0, 10], [20, 25]])).toBe(15);
    expect(unionLength([[0, 10], [5, 15], [14, 20]])).toBe(20);
    expect(unionLength([[30, 40], [0, 5], [1, 2]])).toBe(15);
    expect(unionLength([])).toBe(0);
    expect(unionLength([[3, 3]])).toBe(0);
  });
});
