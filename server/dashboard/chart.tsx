import type { DayReads } from '../stats/site-stats.js';
import { PLOT_HEIGHT, niceMax } from '../../shared/chart-scale.js';

/** "Jan 5": a UTC day as the axis and tooltips show it. */
export function shortDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/**
 * A daily bar chart as server-rendered SVG: one bar per day, zero days drawn as a faint
 * stub so a gap reads as "no reads", not "no data". Axis labels are HTML beside the SVG, so
 * the bars stretch to any width while the text keeps its size.
 */
export function DailyChart({ daily, today }: { daily: DayReads[]; today: string }) {
  const top = niceMax(Math.max(0, ...daily.map((d) => d.reads)));
  const width = daily.length * 10;
  return (
    <div class="chart" data-chart={String(top)}>
      <div class="yaxis" aria-hidden="true">
        <span data-axis="top">{top.toLocaleString('en-US')}</span>
        <span data-axis="half">{(top / 2).toLocaleString('en-US')}</span>
        <span>0</span>
      </div>
      <div class="plot">
        <svg viewBox={`0 0 ${width} ${PLOT_HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={`Daily reads, ${shortDay(daily[0]!.day)} to ${shortDay(daily.at(-1)!.day)}`}>
          {daily.map((d, i) => {
            const height = d.reads === 0 ? 1 : Math.max(1.5, (d.reads / top) * PLOT_HEIGHT);
            const kind = d.reads === 0 ? 'zero' : d.day === today ? 'today' : undefined;
            return (
              <rect x={i * 10 + 1.5} y={PLOT_HEIGHT - height} width="7" height={height} class={kind} data-day={d.day} data-reads={String(d.reads)}>
                <title>{`${shortDay(d.day)}: ${d.reads.toLocaleString('en-US')} ${d.reads === 1 ? 'read' : 'reads'}`}</title>
              </rect>
            );
          })}
        </svg>
      </div>
      <div class="xaxis" aria-hidden="true">
        {axisTicks(daily.length).map(({ index, minor }) => (
          <span class={minor ? 'minor' : undefined} style={index === daily.length - 1 ? 'right:0' : `left:${(((index + 0.5) / daily.length) * 100).toFixed(2)}%`}>
            {daily[index]!.day === today ? 'Today' : shortDay(daily[index]!.day)}
          </span>
        ))}
      </div>
    </div>
  );
}

/**
 * Which days get a label under the chart: counted back from the last day (today), every day of
 * a week, every 3rd of a month, every 10th of a quarter. Every other one is `minor`, hidden on
 * narrow screens so labels never overlap at phone width.
 */
export function axisTicks(days: number): Array<{ index: number; minor: boolean }> {
  const step = days <= 7 ? 1 : days <= 30 ? 3 : 10;
  const ticks: Array<{ index: number; minor: boolean }> = [];
  for (let index = days - 1, k = 0; index >= 0; index -= step, k++) ticks.unshift({ index, minor: k % 2 === 1 });
  return ticks;
}

/** The chart's numbers as a table, folded away: the same data without pointing at bars. */
export function DailyTable({ daily }: { daily: DayReads[] }) {
  return (
    <details>
      <summary>Daily numbers</summary>
      <table>
        <thead>
          <tr><th>Day (UTC)</th><th>Reads</th></tr>
        </thead>
        <tbody>
          {[...daily].reverse().map((d) => (
            <tr><td>{d.day}</td><td>{d.reads.toLocaleString('en-US')}</td></tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
