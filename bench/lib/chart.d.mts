// Types of chart.mjs, for test/bench/chart.test.ts.
export declare function renderChart(results: unknown): string;
export declare function logTicks(lo: number, hi: number): number[];
export declare function seriesOf(results: unknown, pick: (phase: any) => number): Array<{ kind: string; phase: string; points: Array<[number, number, boolean]> }>;
