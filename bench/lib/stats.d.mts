// Types of stats.mjs, for test/bench/*.test.ts (the bench itself is plain JavaScript).
export declare const HISTOGRAM_BUCKETS: number;
export declare function bucketOf(micros: number): number;
export declare function bucketLow(bucket: number): number;
export declare function bucketWidth(bucket: number): number;
export interface HistogramJSON {
  counts: number[];
  total: number;
  min: number;
  max: number;
}
export declare class Histogram {
  counts: Float64Array;
  total: number;
  min: number;
  max: number;
  add(ms: number): void;
  merge(other: Histogram | HistogramJSON): this;
  percentile(p: number): number;
  toJSON(): HistogramJSON;
  static fromJSON(json: HistogramJSON): Histogram;
}
export declare function percentile(sorted: ArrayLike<number>, p: number): number;
export declare class WatcherCheck {
  constructor(base: number, sendTimes: ArrayLike<number>, histogram: Histogram);
  base: number;
  last: number;
  backwards: number;
  frames: number;
  lastAt: number;
  finalAt: number;
  receive(reads: number, at: number): void;
  readonly missing: number;
  readonly converged: boolean;
}
export interface WatcherOutcome {
  backwards: number;
  converged: boolean;
  finalAt: number;
  frames: number;
  missing: number;
}
export declare function summarizeWatchers(watchers: WatcherOutcome[]): {
  watchers: number;
  frames: number;
  backwards: number;
  missedFinal: number;
  missing: number;
  lastFinalAt: number;
};
export declare function spread(values: number[]): { mean: number; min: number; max: number };
export declare function ratio(a: number, b: number): number;
export declare function unionLength(intervals: Iterable<[number, number]>): number;
