// The viral-post scenarios' tables (issue 10): one per scenario, readcounter beside the
// baseline, the ratio, the target and its verdict. report.mjs prints them after the main table.
import { ratio } from './stats.mjs';

/** Issue 10's targets. */
export const VIRAL_TARGETS = {
  openReadingRatio: 1.5,
  openWatchingCpuRatio: 1.2,
  hotPostQuietCpuPercent: 35,
  hotPostP99OverSingleP99: 2,
  firstCountP99Ms: 1000,
  liveSettleMs: 2000,
  stormRatio: 1.3,
};

const ms = (/** @type {number} */ x) => (Number.isFinite(x) ? (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`) : '—');
const times = (/** @type {number} */ x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '—');
const pct = (/** @type {number} */ x) => (Number.isFinite(x) ? `${x.toFixed(0)} %` : '—');
const verdict = (/** @type {boolean} */ ok, /** @type {string} */ text) => `${text} ${ok ? 'met' : 'MISSED'}`;
const judge = (/** @type {number} */ x, /** @type {number} */ limit, /** @type {string} */ text) => (Number.isFinite(x) ? verdict(x <= limit, text) : `${text} MISSED`);

/**
 * Tables for the viral-post scenarios present in `results`: [{ title, rows, notes }], each row
 * [metric, readcounter, baseline, ratio, target].
 * @param {any} results
 */
export function viralTables(results) {
  const tables = [];
  const add = (/** @type {any} */ run, /** @type {(run: any) => { title: string, rows: string[][], notes: string[] }} */ table) => {
    if (run === undefined) return;
    // A server whose run failed outright shows as — with its error under the table.
    const errors = Object.entries(run).filter(([, x]) => x?.error !== undefined);
    const t = table(Object.fromEntries(Object.entries(run).map(([k, x]) => [k, x?.error === undefined ? x : undefined])));
    tables.push({ ...t, notes: [...t.notes, ...errors.map(([kind, x]) => `${kind} FAILED: ${x.error}`)] });
  };
  add(results.openReading, (run) => openTable(run, 'reading'));
  add(results.openWatching, (run) => openTable(run, 'watching'));
  add(results.hotPost, hotPostTable);
  add(results.reconnectStorm, stormTable);
  return tables;
}

function openTable(/** @type {any} */ run, /** @type {'reading' | 'watching'} */ mode) {
  const r = run.readcounter;
  const b = run.baseline;
  const t = VIRAL_TARGETS;
  const cpuLimit = mode === 'reading' ? t.openReadingRatio : t.openWatchingCpuRatio;
  const cpuQ = ratio(r?.cpuMsPer1000, b?.cpuMsPer1000);
  const timeQ = ratio(r?.openSeconds, b?.openSeconds);
  const rows = [
    ['pages opened', opened(r), opened(b), '', ''],
    ['time to open all', ms(r?.openSeconds * 1000), ms(b?.openSeconds * 1000), times(timeQ), mode === 'reading' ? judge(timeQ, t.openReadingRatio, `≤ ${t.openReadingRatio}×`) : ''],
    ['server CPU per 1,000 connections', ms(r?.cpuMsPer1000), ms(b?.cpuMsPer1000), times(cpuQ), judge(cpuQ, cpuLimit, `≤ ${cpuLimit}×`)],
  ];
  if (mode === 'reading') {
    rows.push(['every page shows live = N', liveCell(r?.live), liveCell(b?.live), '', '']);
    rows.push(['server CPU until live settles', ms(r?.cpuMsUntilLive), ms(b?.cpuMsUntilLive), '', '']);
  }
  const notes = mode === 'reading' ? ['The baseline has no presence: it broadcasts nothing when a page arrives. That cost is what this comparison shows.'] : [];
  return { title: `open-${mode}: ${r?.pages ?? b?.pages} pages on one article, subscribed \`${mode}\``, rows, notes };
}

function hotPostTable(/** @type {any} */ run) {
  const r = run.readcounter;
  const b = run.baseline;
  const t = VIRAL_TARGETS;
  const floor = b?.single.latencyMs.p99 ?? r?.single.latencyMs.p99;
  const limit = t.hotPostP99OverSingleP99 * floor;
  const p99 = (/** @type {any} */ x) => x?.busy.phase.latencyMs.p99;
  const rows = [
    ['reading pages (reader pool)', setupCell(r), setupCell(b), '', ''],
    ['single read → tick p50 / p99', `${ms(r?.single.latencyMs.p50)} / ${ms(r?.single.latencyMs.p99)}`, `${ms(b?.single.latencyMs.p50)} / ${ms(b?.single.latencyMs.p99)}`, times(ratio(r?.single.latencyMs.p99, b?.single.latencyMs.p99)), ''],
    ['churn, no reads: server CPU (one core)', pct(r?.quiet.cpuPercent), pct(b?.quiet.cpuPercent), times(ratio(r?.quiet.cpuPercent, b?.quiet.cpuPercent)), r ? judge(r.quiet.cpuPercent, t.hotPostQuietCpuPercent, `≤ ${t.hotPostQuietCpuPercent} %`) : ''],
    ['  arrival → first count p50 / p99', firstCell(r?.quiet), firstCell(b?.quiet), times(ratio(r?.quiet.firstCountMs.p99, b?.quiet.firstCountMs.p99)), r ? judge(r.quiet.firstCountMs.p99, t.firstCountP99Ms, `p99 ≤ ${ms(t.firstCountP99Ms)}`) : ''],
    ['  live = truth on every page, after churn', liveCell(r?.quiet.live), liveCell(b?.quiet.live), '', r ? judge(r.quiet.live?.ms, t.liveSettleMs, `≤ ${ms(t.liveSettleMs)}`) : ''],
    ['  arrivals / leaves offered', churnCell(r?.quiet), churnCell(b?.quiet), '', ''],
    ['  page generators\' own CPU (sum)', pct(r?.quiet.generatorsCpuPercent), pct(b?.quiet.generatorsCpuPercent), '', ''],
    ['churn + reads: read → tick p50 / p99', `${ms(r?.busy.phase.latencyMs.p50)} / ${ms(p99(r))}`, `${ms(b?.busy.phase.latencyMs.p50)} / ${ms(p99(b))}`, times(ratio(p99(r), p99(b))), r ? judge(p99(r), limit, `p99 ≤ 2 × single = ${ms(limit)}`) : ''],
    ['  arrival → first count p50 / p99', firstCell(r?.busy), firstCell(b?.busy), times(ratio(r?.busy.firstCountMs.p99, b?.busy.firstCountMs.p99)), r ? judge(r.busy.firstCountMs.p99, t.firstCountP99Ms, `p99 ≤ ${ms(t.firstCountP99Ms)}`) : ''],
    ['  live = truth on every page, after churn', liveCell(r?.busy.live), liveCell(b?.busy.live), '', r ? judge(r.busy.live?.ms, t.liveSettleMs, `≤ ${ms(t.liveSettleMs)}`) : ''],
    ['  every page holds the final reads', finalCell(r?.busy.phase), finalCell(b?.busy.phase), '', r ? verdict(r.busy.phase.pages.done === r.busy.phase.pages.total && r.busy.phase.converged, 'all pages') : ''],
    ['  reads counted / planned', readsCell(r?.busy.phase), readsCell(b?.busy.phase), '', ''],
    ['  server CPU (one core)', pct(r?.busy.cpuPercent), pct(b?.busy.cpuPercent), times(ratio(r?.busy.cpuPercent, b?.busy.cpuPercent)), ''],
    ['  arrivals / leaves offered', churnCell(r?.busy), churnCell(b?.busy), '', ''],
    ['  page generators\' own CPU (sum)', pct(r?.busy.generatorsCpuPercent), pct(b?.busy.generatorsCpuPercent), '', ''],
  ];
  const notes = ['The baseline has no presence: it never sends `live` on its own, so "live = truth" does not apply to it. p99 read → tick is over the pages that stayed through the window; the limit is twice the baseline\'s single-read p99 at the same N (readcounter\'s own when the baseline did not run).'];
  return { title: `hot-post: ${r?.setup.pages ?? b?.setup.pages} reading pages on one article, ${churnRate(r ?? b)}`, rows, notes };
}

function stormTable(/** @type {any} */ run) {
  const r = run.readcounter;
  const b = run.baseline;
  const q = ratio(r?.fromListeningMs, b?.fromListeningMs);
  const rows = [
    ['pages reconnecting (planned)', stormPages(r), stormPages(b), '', ''],
    ['all back with the right count, from listening again', ms(r?.fromListeningMs), ms(b?.fromListeningMs), times(q), r && b ? judge(q, VIRAL_TARGETS.stormRatio, `≤ ${VIRAL_TARGETS.stormRatio}×`) : ''],
    ['  … from the old process\'s exit', ms(r?.fromClosedMs), ms(b?.fromClosedMs), times(ratio(r?.fromClosedMs, b?.fromClosedMs)), ''],
    ['  … from the stop signal', ms(r?.fromStopMs), ms(b?.fromStopMs), times(ratio(r?.fromStopMs, b?.fromStopMs)), ''],
    ['server down (exit → listening)', ms(r?.downMs), ms(b?.downMs), '', ''],
    ['back / right count / wrong count', stormCounts(r), stormCounts(b), '', ''],
    ['connection attempts', String(r?.attempts ?? '—'), String(b?.attempts ?? '—'), '', ''],
  ];
  const notes = [`readcounter: SIGTERM and start again on the same port and DATA_DIR; the right count is the ${r?.expected ?? 'persisted'} reads counted before the restart. The baseline is killed and started again; it keeps nothing, so any count after resubscribing is right for it. Pages retry as the element does: uniform in [0, min(30 s, 1 s · 2^attempt)), after a 1001 close of a stable connection first ten retries from a 2 s window (docs/protocol.md).`];
  return { title: `reconnect-storm: ${r?.pages ?? b?.pages} reading pages, server restarted`, rows, notes };
}

const opened = (/** @type {any} */ x) => (x === undefined ? '—' : `${x.pages}${x.failed > 0 ? ` (${x.failed} FAILED to open)` : ''}`);
const firstCell = (/** @type {any} */ x) => (x === undefined ? '—' : `${ms(x.firstCountMs.p50)} / ${x.failed > 0 ? '≥ ' : ''}${ms(x.firstCountMs.p99)}`);
const churnRate = (/** @type {any} */ x) => (x === undefined ? '' : `${x.perSecond}/s arriving and leaving for ${x.windowSeconds} s, then the same with ${x.readRate} reads/s`);
const stormPages = (/** @type {any} */ x) => (x === undefined ? '—' : `${x.pages}${x.fits < x.planned ? ` (planned ${x.planned}; the file limit allows ${x.fits})` : ''}${x.failed > 0 ? `, ${x.failed} FAILED to open` : ''}`);
const stormCounts = (/** @type {any} */ x) => (x === undefined ? '—' : `${x.back} / ${x.right} / ${x.wrong}${x.done ? '' : ' — NOT ALL'}`);

function setupCell(/** @type {any} */ x) {
  if (x === undefined) return '—';
  const s = x.setup;
  return `${s.pages}${s.failed > 0 ? ` (${s.failed} FAILED)` : ''} (${s.readerPool}${s.readerPool < s.plannedPool ? ` of ${s.plannedPool} planned; file limit` : ''})`;
}

function liveCell(/** @type {any} */ live) {
  if (live === undefined) return '—';
  if (!live.applies) return 'n/a (no presence)';
  return live.settled ? `${ms(live.ms)} (live ${live.truth})` : `NOT settled: ${live.holding} of ${live.pages} show ${live.truth}`;
}

function churnCell(/** @type {any} */ x) {
  if (x === undefined) return '—';
  const short = x.arrived < x.arrivals || x.left < x.leaves;
  return `${x.arrived}/${x.arrivals} in, ${x.left}/${x.leaves} out${x.failed > 0 ? `, ${x.failed} failed` : ''}${short ? ' (short of plan)' : ''}`;
}

function finalCell(/** @type {any} */ p) {
  if (p === undefined) return '—';
  return `${p.pages.done} / ${p.pages.total}${p.converged ? '' : ' — FAILURE'}`;
}

function readsCell(/** @type {any} */ p) {
  return p === undefined ? '—' : `${p.reads.counted} / ${p.reads.issued}${p.reads.unsent > 0 ? ` (${p.reads.unsent} unsent: no free connection)` : ''}`;
}
