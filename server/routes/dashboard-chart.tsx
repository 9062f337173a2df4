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
  const middle = Math.max(1, Math.ceil(daily.length / 2) - 1);
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
        <span>{shortDay(daily[0]!.day)}</span>
        <span>{shortDay(daily[middle]!.day)}</span>
        <span>{daily.at(-1)!.day === today ? 'Today' : shortDay(daily.at(-1)!.day)}</span>
      </div>
    </div>
  );
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
