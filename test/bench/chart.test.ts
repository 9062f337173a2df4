import { describe, expect, it } from 'vitest';
import { logTicks, renderChart, seriesOf } from '../../bench/lib/chart.mjs';

const phase = (p99: number, fanOut: number, undelivered = 0) => ({ latencyMs: { p50: p99 / 2, p99, max: p99 }, fanOutPerSecond: fanOut, framesPerSecond: fanOut, undelivered });
const results = {
  startedAt: '2026-01-01T00:00:00.000Z',
  machine: { nproc: 2, node: 'v20' },
  hot: [2_000, 10_000].map((watchers) => ({
    watchers,
    readcounter: { phases: { single: phase(20, 1e5), 'burst 10k': phase(300, 1e5) } },
    baseline: { phases: { single: phase(25, 9e4), 'burst 10k': phase(9000, 9e4, 0.9) } },
  })),
};

describe('bench chart', () => {
  it('draws one line per server and phase, points sorted by watchers', () => {
    const series = seriesOf(results, (r) => r.latencyMs.p99);
    expect(series.map((s) => `${s.kind} ${s.phase}`).sort()).toEqual(['baseline burst 10k', 'baseline single', 'readcounter burst 10k', 'readcounter single']);
    expect(series.find((s) => s.kind === 'baseline' && s.phase === 'burst 10k')?.points).toEqual([[2000, 9000, true], [10000, 9000, true]]);
  });

  it('renders a standalone SVG with both panels and a hollow point for cut-off figures', () => {
    const svg = renderChart(results);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('read → receipt latency, p99');
    expect(svg).toContain('fan-out');
    expect(svg.match(/<polyline/g)).toHaveLength(4 + 2);
    expect(svg).toContain('fill="white" stroke=');
    expect(svg).not.toContain('NaN');
  });

  it('puts log ticks at 1, 2 and 5 of each decade', () => {
    expect(logTicks(1, 100)).toEqual([1, 2, 5, 10, 20, 50, 100]);
  });
});
