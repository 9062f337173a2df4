// Pure statistics for the bench: a mergeable latency histogram, exact percentiles, and the
// per-watcher checks (monotonic counts, convergence to the final value). No I/O here, so
// test/bench/stats.test.ts can pin every rule down.

/** Sub-buckets per power of two: 2^-7 ≈ 0.8 % relative error above 256 µs, exact below. */
const SUB = 128;
/** Buckets for 0 … 2^31 µs (≈ 36 minutes). */
export const HISTOGRAM_BUCKETS = 26 * SUB;

/**
 * Bucket of a latency in whole microseconds. Exact below 256 µs, then 128 buckets per
 * power of two, so adding a sample is a few integer operations (it runs W × R times).
 * @param {number} micros
 */
export function bucketOf(micros) {
  const u = micros < 0 ? 0 : micros >= 2 ** 31 ? 2 ** 31 - 1 : Math.floor(micros);
  if (u < 2 * SUB) return u;
  const shift = 31 - Math.clz32(u) - 7;
  return (shift + 1) * SUB + ((u >>> shift) - SUB);
}

/** Smallest microsecond value that falls in `bucket`. @param {number} bucket */
export function bucketLow(bucket) {
  if (bucket < 2 * SUB) return bucket;
  const shift = Math.floor(bucket / SUB) - 1;
  return ((bucket % SUB) + SUB) * 2 ** shift;
}

/** Width of `bucket` in microseconds. @param {number} bucket */
export function bucketWidth(bucket) {
  return bucket < 2 * SUB ? 1 : 2 ** (Math.floor(bucket / SUB) - 1);
}

/**
 * A latency histogram in milliseconds that merges across processes: counts per bucket,
 * plus the exact minimum and maximum.
 */
export class Histogram {
  constructor() {
    this.counts = new Float64Array(HISTOGRAM_BUCKETS);
    this.total = 0;
    this.min = Infinity;
    this.max = -Infinity;
  }

  /** Adds one sample in ms. @param {number} ms */
  add(ms) {
    this.counts[bucketOf(ms * 1000)]++;
    this.total++;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
  }

  /** Adds `histogram` (or its toJSON() form) into this one. @param {Histogram | HistogramJSON} other */
  merge(other) {
    const counts = other instanceof Histogram ? other.counts : decodeCounts(other.counts);
    for (let i = 0; i < HISTOGRAM_BUCKETS; i++) this.counts[i] += counts[i] ?? 0;
    this.total += other.total;
    if (other.total > 0) {
      this.min = Math.min(this.min, other.min);
      this.max = Math.max(this.max, other.max);
    }
    return this;
  }

  /**
   * The latency in ms below which `p` percent of samples fall (nearest rank), as the middle
   * of its bucket, clamped to the exact min and max. NaN when empty.
   * @param {number} p 0–100
   */
  percentile(p) {
    if (this.total === 0) return NaN;
    if (p >= 100) return this.max;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) {
        const middle = (bucketLow(i) + bucketWidth(i) / 2) / 1000;
        return Math.min(this.max, Math.max(this.min, middle));
      }
    }
    return this.max;
  }

  /** A compact, structured-clone friendly form: [bucket, count] pairs of non-empty buckets. */
  toJSON() {
    /** @type {number[]} */
    const pairs = [];
    for (let i = 0; i < HISTOGRAM_BUCKETS; i++) if (this.counts[i] > 0) pairs.push(i, this.counts[i]);
    return { counts: pairs, total: this.total, min: this.min, max: this.max };
  }

  /** @param {HistogramJSON} json */
  static fromJSON(json) {
    return new Histogram().merge(json);
  }
}

/** @typedef {{ counts: number[], total: number, min: number, max: number }} HistogramJSON */

/** @param {number[]} pairs */
function decodeCounts(pairs) {
  const counts = new Float64Array(HISTOGRAM_BUCKETS);
  for (let i = 0; i + 1 < pairs.length; i += 2) counts[pairs[i]] += pairs[i + 1];
  return counts;
}

/**
 * Exact nearest-rank percentile of a sorted array. NaN when empty.
 * @param {ArrayLike<number>} sorted ascending
 * @param {number} p 0–100
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

/**
 * What one watcher of one article saw during a phase. Fed every count it receives, in order;
 * it checks the count never goes backwards, measures read-to-receipt latency, and notes when
 * the final value arrived.
 *
 * Latency: reads are ranked by send time (rank i was sent at sendTimes[i-1]). A count of
 * base + i or more at time t means this watcher now reflects at least i reads, and no such
 * count can exist before the i-th read was sent, so read i's latency here is t − sendTimes[i-1]
 * at the first such count. A coalescing server skips values; each skipped read still gets
 * its latency from the count that covered it.
 */
export class WatcherCheck {
  /**
   * @param {number} base the count this watcher held when the phase began
   * @param {ArrayLike<number>} sendTimes send time of each read of the phase, ascending
   * @param {Histogram} histogram where latencies go
   */
  constructor(base, sendTimes, histogram) {
    this.base = base;
    this.sendTimes = sendTimes;
    this.histogram = histogram;
    this.last = base;
    this.next = 1;
    this.backwards = 0;
    this.frames = 0;
    /** Time the last count arrived. */
    this.lastAt = NaN;
    /** Time the watcher first held base + sendTimes.length. */
    this.finalAt = NaN;
  }

  /** One received count. @param {number} reads @param {number} at */
  receive(reads, at) {
    this.frames++;
    this.lastAt = at;
    if (reads < this.last) this.backwards++;
    else this.last = reads;
    const n = this.sendTimes.length;
    while (this.next <= n && this.base + this.next <= reads) {
      this.histogram.add(at - this.sendTimes[this.next - 1]);
      this.next++;
    }
    if (Number.isNaN(this.finalAt) && reads >= this.base + n) this.finalAt = at;
  }

  /** Reads of the phase this watcher never saw reflected. */
  get missing() {
    return this.sendTimes.length - (this.next - 1);
  }

  /** True when the watcher ended holding exactly the final value. */
  get converged() {
    return this.last === this.base + this.sendTimes.length;
  }
}

/**
 * Sums per-watcher outcomes into the figures a phase reports. A watcher that went backwards
 * or ended on another value than `expected` is a failure, counted, never averaged away.
 * @param {Array<{ backwards: number, converged: boolean, finalAt: number, frames: number, missing: number }>} watchers
 */
export function summarizeWatchers(watchers) {
  let backwards = 0;
  let missedFinal = 0;
  let frames = 0;
  let missing = 0;
  let lastFinalAt = -Infinity;
  for (const w of watchers) {
    frames += w.frames;
    missing += w.missing;
    if (w.backwards > 0) backwards++;
    if (!w.converged) missedFinal++;
    else if (w.finalAt > lastFinalAt) lastFinalAt = w.finalAt;
  }
  return { watchers: watchers.length, frames, backwards, missedFinal, missing, lastFinalAt: missedFinal > 0 ? NaN : lastFinalAt };
}

/**
 * Arithmetic summary of a small array (repeat runs): mean, min, max. NaN fields when empty.
 * @param {number[]} values
 */
export function spread(values) {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { mean: NaN, min: NaN, max: NaN };
  return {
    mean: finite.reduce((a, b) => a + b, 0) / finite.length,
    min: Math.min(...finite),
    max: Math.max(...finite),
  };
}

/** a / b, or NaN when either is not a finite number or b is 0. @param {number} a @param {number} b */
export function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN;
}

/**
 * Total time covered by a set of [start, end] intervals, overlaps counted once. The bench
 * uses it for "time spent delivering": the union, over every value a server sent, of the
 * span from its first copy arriving to its last.
 * @param {Iterable<[number, number]>} intervals
 */
export function unionLength(intervals) {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let start = -Infinity;
  let end = -Infinity;
  for (const [s, e] of sorted) {
    if (s > end) {
      if (end > start) total += end - start;
      start = s;
      end = e;
    } else if (e > end) end = e;
  }
  if (end > start) total += end - start;
  return total;
}
