// Issue 10's viral post, driver side: opening N pages on one article (`open-reading`,
// `open-watching`) and churn on a hot post (`hot-post`): pages arriving and leaving, first
// alone, then with reads. Pages subscribe in `reading` mode, as the element does on a post.
import { setTimeout as sleep } from 'node:timers/promises';
import { openSession, runPhase } from './session.mjs';
import { FILE_LIMIT, FILE_MARGIN, mergeRuns } from './scenarios.mjs';
import { Histogram } from './stats.mjs';
import { cpuPercent, foldStatus, perThousand, settleMs } from './viral-stats.mjs';
import { now } from './raw-socket.mjs';

/** The viral post every page of these scenarios is on. */
const ARTICLE = '/viral';
/**
 * Pages not started this long after opening began are left out and shown as failed: opening
 * 10,000 reading pages took 82 s before issue 10, and far longer on a loaded machine.
 */
export const OPEN_LIMIT_MS = 300_000;

/** Asks every page generator for its pages on ARTICLE, folded. @param {import('./session.mjs').Session} session */
async function status(session, /** @type {object} */ args = {}) {
  return foldStatus(await Promise.all(session.watcherGenerators.map((g) => g.call('pageStatus', { article: ARTICLE, ...args }))));
}

/**
 * Waits (at most `deadlineMs`) until every open page shows `live` equal to the pages open in
 * reading mode (the truth, known here), and returns how long after `since` the last page's
 * `live` changed. A server without presence (the baseline) is not waited for.
 * @param {import('./session.mjs').Session} session
 */
export async function liveSettle(session, since, deadlineMs) {
  let truth = (await status(session)).reading;
  if (session.kind === 'baseline') return { truth, settled: false, applies: false };
  const deadline = now() + deadlineMs;
  let s;
  for (;;) {
    s = await status(session, { live: truth });
    // A page still waiting for its first count joins the truth once it has it.
    if ((s.holdLive === s.total && s.reading === truth) || now() > deadline) break;
    truth = s.reading;
    await sleep(50);
  }
  const settled = s.holdLive === s.total && s.reading === truth;
  return { truth, settled, applies: true, ms: settleMs(s.liveChangedAt, since, settled), holding: s.holdLive, pages: s.total };
}

/**
 * Opening: `count` pages on one article in `mode`; time until each has its first count and
 * server CPU per 1,000 connections over that time. For readcounter in reading mode, also
 * how long after the last page got in until every page shows `live` = count.
 */
export async function openPages(kind, { count, mode, log }) {
  const session = await openSession(kind, { log });
  try {
    const cpuBefore = session.server.cpuMs();
    const opened = await session.openWatchers(count, [ARTICLE], false, { mode, withinMs: OPEN_LIMIT_MS });
    const openedAt = now();
    const cpuMs = session.server.cpuMs() - cpuBefore;
    const live = mode === 'reading' ? await liveSettle(session, openedAt, 30_000) : undefined;
    const result = { pages: opened.opened, failed: opened.failed, openSeconds: opened.seconds, cpuMs, cpuMsPer1000: perThousand(cpuMs, opened.opened), cpuMsUntilLive: session.server.cpuMs() - cpuBefore, live };
    log(`  ${kind} open ${opened.opened} ${mode}: ${opened.seconds.toFixed(2)} s, ${result.cpuMsPer1000.toFixed(0)} ms CPU per 1000${live?.applies ? `, live settled ${live.settled ? `${live.ms.toFixed(0)} ms later` : 'NO'}` : ''}`);
    return result;
  } finally {
    await session.close();
  }
}

/**
 * Hot post: `pages` pages reading one article; the single-read floor at that size; then
 * `windowMs` of churn (`perSecond` arriving, as many leaving) with no reads; then the same
 * churn with `readRate` reads/s from the reader pool.
 */
export async function hotPost(kind, { pages, windowMs, perSecond, readRate, readerPool, log }) {
  const session = await openSession(kind, { log });
  try {
    const files = session.server.openFiles();
    const arrivals = Math.ceil((2 * perSecond * windowMs) / 1000);
    // Arrivals are opened by the page generators too: keep each under its 10,000 sockets.
    const opened = await session.openWatchers(pages, [ARTICLE], false, { mode: 'reading', shares: Math.ceil((pages + arrivals) / 10_000), withinMs: OPEN_LIMIT_MS });
    const pool = Math.max(50, Math.min(readerPool, FILE_LIMIT - files - FILE_MARGIN - opened.opened - arrivals));
    const readers = await session.openReaders(pool);
    const setup = { pages: opened.opened, failed: opened.failed, openSeconds: opened.seconds, readerPool: readers.opened, plannedPool: readerPool };
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await runPhase(session, { articles: [ARTICLE], name: 'single', count: 1, settleMs: 10_000, leadMs: 300, pauseMs: 300 }));
    const single = mergeRuns(runs);
    log(`  ${kind} hot post ${opened.opened} pages, single read p99 ${single.latencyMs.p99.toFixed(1)} ms`);
    const churnArgs = churnShares(session, { perSecond, windowMs });

    // Churn alone: CPU over exactly the window, then how soon `live` is true everywhere.
    const quiet = await churnWindow(session, churnArgs, windowMs);
    const quietCpu = quiet.cpuPercent;
    quiet.live = await liveSettle(session, quiet.lastChangeAt, 10_000);
    log(`  ${kind} churn ${perSecond}/s, no reads: CPU ${quietCpu.toFixed(0)} %, first count p99 ${quiet.firstCountMs.p99.toFixed(0)} ms, live ${describeLive(quiet.live)}`);

    // The same churn with reads: read → tick at the pages that stay, every page's final count.
    const phase = await runPhase(session, {
      articles: [ARTICLE], name: 'churn+reads', rate: readRate, durationMs: windowMs, settleMs: 10_000,
      during: () => churnWindow(session, churnArgs, windowMs),
    });
    const busy = { ...phase.during, phase: { ...phase, during: undefined } };
    busy.lastChangeAt = Math.max(busy.lastChangeAt, phase.readsEnd);
    busy.live = await liveSettle(session, busy.lastChangeAt, 10_000);
    log(`  ${kind} churn ${perSecond}/s + ${readRate} reads/s: p99 ${phase.latencyMs.p99.toFixed(1)} ms, first count p99 ${busy.firstCountMs.p99.toFixed(0)} ms, live ${describeLive(busy.live)}, final reads on ${phase.pages.done}/${phase.pages.total} pages`);
    return { perSecond, readRate, windowSeconds: windowMs / 1000, setup, single, quiet, busy };
  } finally {
    await session.close();
  }
}

/**
 * Runs the churn on every page generator; server CPU is read over exactly the window.
 * @param {import('./session.mjs').Session} session @param {ReturnType<typeof churnShares>} churnArgs @param {number} windowMs
 */
async function churnWindow(session, churnArgs, windowMs) {
  const generatorCpu = () => session.watcherGenerators.reduce((a, g) => a + g.cpuMs(), 0);
  const cpuBefore = session.server.cpuMs();
  const generatorsBefore = generatorCpu();
  const started = now();
  const churning = Promise.all(churnArgs.map(([g, args]) => g.call('churn', args, windowMs + 60_000)));
  await sleep(windowMs);
  const cpu = cpuPercent(session.server.cpuMs() - cpuBefore, now() - started);
  // The page generators' own CPU: when it is near a core each, the load, not the server, is the limit.
  const generatorsCpu = cpuPercent(generatorCpu() - generatorsBefore, now() - started);
  return { ...churnFigures(await churning), cpuPercent: cpu, generatorsCpuPercent: generatorsCpu };
}

/** Each page generator's share of the churn rates. @param {import('./session.mjs').Session} session */
function churnShares(session, { perSecond, windowMs }) {
  const gens = session.watcherGenerators;
  return gens.map((g) => /** @type {const} */ ([g, { article: ARTICLE, mode: 'reading', arrivePerSecond: perSecond / gens.length, leavePerSecond: perSecond / gens.length, durationMs: windowMs }]));
}

/** Churn replies from every generator folded: arrivals, leaves, first-count latency. */
function churnFigures(/** @type {any[]} */ parts) {
  const latency = new Histogram();
  for (const p of parts) latency.merge(p.latency);
  const sum = (/** @type {string} */ key) => parts.reduce((a, p) => a + p[key], 0);
  const stopAt = Math.max(...parts.map((p) => p.stopAt));
  // `live`'s truth last moved when churn stopped or the last late arrival got in.
  const lastChangeAt = Math.max(stopAt, ...parts.map((p) => p.lastArrivalAt ?? -Infinity));
  return {
    arrivals: sum('arrivals'), arrived: sum('arrived'), failed: sum('failed'), leaves: sum('leaves'), left: sum('left'),
    firstCountMs: { p50: latency.percentile(50), p99: latency.percentile(99), max: latency.total > 0 ? latency.max : NaN },
    stopAt, lastChangeAt, cpuPercent: NaN, live: /** @type {any} */ (undefined),
  };
}

function describeLive(/** @type {any} */ live) {
  if (!live.applies) return `n/a (no presence; truth ${live.truth})`;
  return live.settled ? `= ${live.truth} everywhere ${live.ms.toFixed(0)} ms after churn` : `NOT settled (${live.holding}/${live.pages} pages show ${live.truth})`;
}
