// Draws docs/bench-chart.svg from a run's JSON, by hand: read-to-receipt p99 latency (log
// scale) and frames delivered per second, against watchers on the hot article, readcounter
// solid and bare ws dashed. Hollow points mark baseline figures cut off by the run's window
// (the true value is higher).

const WIDTH = 960;
const HEIGHT = 440;
const PANEL = { top: 56, bottom: 80, left: 70, width: 360, gap: 110 };
const COLORS = { single: '#1b9e77', 'steady 100/s': '#7570b3', 'steady 1000/s': '#d95f02', burst: '#e7298a' };

/** @param {string} name */
const colorOf = (name) => COLORS[/** @type {keyof typeof COLORS} */ (name.startsWith('burst') ? 'burst' : name)] ?? '#666';

/** @param {string} s */
const esc = (s) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c);

/**
 * Series for one panel: per (server, phase), the points [watchers, value, censored].
 * @param {any} results @param {(phase: any) => number} pick
 */
export function seriesOf(results, pick) {
  /** @type {Map<string, { kind: string, phase: string, points: Array<[number, number, boolean]> }>} */
  const series = new Map();
  for (const hot of results.hot ?? []) {
    for (const kind of ['readcounter', 'baseline']) {
      const phases = hot[kind]?.phases ?? {};
      for (const [phase, r] of Object.entries(phases)) {
        const value = pick(r);
        if (!Number.isFinite(value) || value <= 0) continue;
        const key = `${kind} ${phase}`;
        if (!series.has(key)) series.set(key, { kind, phase, points: [] });
        series.get(key)?.points.push([hot.watchers, value, /** @type {any} */ (r).undelivered > 0]);
      }
    }
  }
  return [...series.values()];
}

/** Ticks for a log axis: 1, 2, 5 × powers of ten within [lo, hi]. */
export function logTicks(lo, hi) {
  const ticks = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo && v <= hi) ticks.push(v);
    }
  }
  return ticks;
}

/** @param {number} v */
function label(v) {
  if (v >= 1e6) return `${v / 1e6}M`;
  if (v >= 1e3) return `${v / 1e3}k`;
  return String(v);
}

/**
 * One panel's SVG. `hollow` marks figures cut off by the window (a lower bound).
 * @param {{ x0: number, title: string, unit: string, log: boolean, series: ReturnType<typeof seriesOf>, maxX: number, hollow: boolean }} p
 */
function panel({ x0, title, unit, log, series, maxX, hollow }) {
  const values = series.flatMap((s) => s.points.map((p) => p[1]));
  const h = HEIGHT - PANEL.top - PANEL.bottom;
  const w = PANEL.width;
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (log) {
    lo = 10 ** Math.floor(Math.log10(lo));
    hi = 10 ** Math.ceil(Math.log10(hi));
  } else {
    lo = 0;
    hi = niceCeil(hi);
  }
  const sx = (/** @type {number} */ x) => x0 + (x / maxX) * w;
  const sy = (/** @type {number} */ y) => PANEL.top + h - (log ? (Math.log10(y) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (y - lo) / (hi - lo)) * h;
  const yTicks = log ? logTicks(lo, hi) : Array.from({ length: 6 }, (_, i) => (hi * i) / 5);
  const xTicks = Array.from({ length: 5 }, (_, i) => (maxX * i) / 4);
  const out = [`<text x="${x0}" y="${PANEL.top - 14}" class="title">${esc(title)}</text>`];
  for (const t of yTicks) {
    out.push(`<line x1="${x0}" x2="${x0 + w}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" class="grid"/>`);
    out.push(`<text x="${x0 - 6}" y="${(sy(t) + 4).toFixed(1)}" class="tick" text-anchor="end">${label(+t.toPrecision(3))}</text>`);
  }
  for (const t of xTicks) out.push(`<text x="${sx(t).toFixed(1)}" y="${PANEL.top + h + 18}" class="tick" text-anchor="middle">${label(Math.round(t))}</text>`);
  out.push(`<line x1="${x0}" x2="${x0 + w}" y1="${PANEL.top + h}" y2="${PANEL.top + h}" class="axis"/>`);
  out.push(`<line x1="${x0}" x2="${x0}" y1="${PANEL.top}" y2="${PANEL.top + h}" class="axis"/>`);
  out.push(`<text x="${x0 + w / 2}" y="${PANEL.top + h + 38}" class="tick" text-anchor="middle">watchers on one article</text>`);
  out.push(`<text transform="translate(${x0 - 52} ${PANEL.top + h / 2}) rotate(-90)" class="tick" text-anchor="middle">${esc(unit)}</text>`);
  for (const s of series) {
    const color = colorOf(s.phase);
    const dash = s.kind === 'baseline' ? ' stroke-dasharray="6 4"' : '';
    const pts = [...s.points].sort((a, b) => a[0] - b[0]);
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${pts.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}"/>`);
    for (const [x, y, cut] of pts) {
      out.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3.5" fill="${cut && hollow ? 'white' : color}" stroke="${color}" stroke-width="1.5"/>`);
    }
  }
  return out.join('\n');
}

/** @param {number} v */
function niceCeil(v) {
  const e = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * e).find((c) => c >= v) ?? 10 * e;
}

/** The whole chart as an SVG document. @param {any} results */
export function renderChart(results) {
  const latency = seriesOf(results, (r) => r.latencyMs.p99);
  const throughput = seriesOf(results, (r) => r.fanOutPerSecond).filter((s) => s.phase !== 'single');
  const maxX = niceCeil(Math.max(...(results.hot ?? []).map((h) => h.watchers), 1));
  const phases = [...new Set(latency.map((s) => s.phase))];
  const legend = phases
    .map((phase, i) => `<g transform="translate(${PANEL.left + i * 150} ${HEIGHT - 14})"><line x1="0" x2="22" y1="-4" y2="-4" stroke="${colorOf(phase)}" stroke-width="3"/><text x="28" y="0" class="tick">${esc(phase)}</text></g>`)
    .join('\n');
  const when = `${results.startedAt?.slice(0, 10) ?? ''}, ${results.machine?.nproc ?? '?'} cores, Node ${results.machine?.node ?? '?'}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif">
<style>.title{font-size:14px;font-weight:600}.tick{font-size:11px;fill:#333}.grid{stroke:#e5e5e5}.axis{stroke:#333}</style>
<rect width="100%" height="100%" fill="white"/>
<text x="${PANEL.left}" y="22" class="title">readcounter (solid) vs bare ws (dashed), hot article — ${esc(when)}</text>
<text x="${PANEL.left + 4 * 150}" y="${HEIGHT - 14}" class="tick">hollow = cut off by the window: true p99 higher</text>
${panel({ x0: PANEL.left, title: 'read → receipt latency, p99 (ms, log)', unit: 'ms', log: true, series: latency, maxX, hollow: true })}
${panel({ x0: PANEL.left + PANEL.width + PANEL.gap, title: 'fan-out: frames delivered per second while sending', unit: 'frames/s', log: false, series: throughput, maxX, hollow: false })}
${legend}
</svg>
`;
}
