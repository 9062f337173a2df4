// The bench's scenarios. Each takes a server kind and a plan, runs against a fresh server
// process, and returns plain figures for the report. Baseline and readcounter alternate per
// scenario in run.mjs, so background load hits both alike.
import { openSession, runPhase, serverMemory } from './session.mjs';
import { Histogram } from './stats.mjs';

/** The server's hard file limit on these machines (`ulimit -Hn`); it cannot be raised. */
export const FILE_LIMIT = 20_000;
/** Files kept free for LMDB, logs and the odd reconnecting reader. */
export const FILE_MARGIN = 40;

/**
 * Idle memory: RSS and heap before and after N subscribed, idle watcher sockets (one
 * article each, spread over 100 articles). `count` 'max' means as many as the file limit
 * allows. (Each hot-article run measures the same for its watchers on one article.)
 */
export async function idleMemory(kind, { count, env, log }) {
  const session = await openSession(kind, { env, log });
  try {
    const before = await serverMemory(session);
    const files = session.server.openFiles();
    const n = count === 'max' ? FILE_LIMIT - files - FILE_MARGIN : count;
    const articles = Array.from({ length: 100 }, (_, i) => `/idle/${i}`);
    const opened = await session.openWatchers(n, articles, true);
    return idleFigures(before, await serverMemory(session), opened);
  } finally {
    await session.close();
  }
}

/** Memory per watcher from server memory before and after opening them. */
function idleFigures(before, after, opened) {
  const per = (/** @type {'rss' | 'heapUsed' | 'external'} */ key) => (after[key] - before[key]) / Math.max(1, opened.opened);
  return {
    watchers: opened.opened,
    failed: opened.failed,
    openSeconds: opened.seconds,
    before,
    after,
    perWatcherBytes: { rss: per('rss'), heapUsed: per('heapUsed'), external: per('external') },
  };
}

/**
 * Hot article: `watchers` sockets watch one article; phases send reads to it: single reads
 * (the latency floor), steady rates, and a burst. A pool of reader sockets subscribes in
 * `reading` mode, reads once, and leaves; a reader that has counted the article is replaced
 * by a new connection (a new page view), as each connection may count an article only once.
 */
export async function hotArticle(kind, { watchers, phases, env, log, profileDir, readerPool }) {
  const article = '/hot';
  /** @type {Awaited<ReturnType<typeof openSession>> | undefined} */
  let session;
  const results = /** @type {Record<string, any>} */ ({});
  let setup;
  const open = async () => {
    session = await openSession(kind, { env, log, profileDir });
    const files = session.server.openFiles();
    // The first time, the idle cost of these watchers is measured on the way (before any reader).
    const before = setup === undefined ? await serverMemory(session) : undefined;
    const opened = await session.openWatchers(watchers, [article]);
    const idle = before === undefined ? undefined : idleFigures(before, await serverMemory(session), opened);
    const pool = readerPool ?? Math.max(100, Math.min(10_000, FILE_LIMIT - files - FILE_MARGIN - opened.opened));
    const readers = await session.openReaders(pool);
    setup ??= { watchers: opened.opened, failed: opened.failed, readerPool: readers.opened, openSeconds: opened.seconds, idle };
  };
  try {
    for (const phase of phases) {
      if (session === undefined || session.dirty) {
        if (session !== undefined) log(`  ${kind}: restarting the server, the last phase left it behind`);
        await session?.close();
        await open();
      }
      const s = /** @type {NonNullable<typeof session>} */ (session);
      const runs = [];
      for (let i = 0; i < (phase.repeat ?? 1); i++) runs.push(await runPhase(s, { articles: [article], name: phase.name, ...phase.load }));
      results[phase.name] = runs.length === 1 ? runs[0] : mergeRuns(runs);
      log(`  ${kind} ${watchers} watchers, ${phase.name}: ${brief(results[phase.name])}`);
    }
  } finally {
    await session?.close();
  }
  return { setup, phases: results };
}

/** Long tail: `articles` articles with `perArticle` watchers each, reads on random articles. */
export async function longTail(kind, { articles, perArticle, rate, durationMs, env, log }) {
  const session = await openSession(kind, { env, log });
  try {
    const keys = Array.from({ length: articles }, (_, i) => `/tail/${i}`);
    const opened = await session.openWatchers(articles * perArticle, keys, true);
    await session.openReaders(Math.min(2_000, Math.ceil(rate / 4)));
    const result = await runPhase(session, { articles: keys, rate, durationMs, random: true, settleMs: 10_000 });
    log(`  ${kind} long tail: ${brief(result)}`);
    return { watchers: opened.opened, ...result, readsPerSecond: result.reads.counted / (durationMs / 1000) };
  } finally {
    await session.close();
  }
}

/**
 * Ingest: `readers` connections each subscribe to `perReader` articles of their own, then
 * count them one after another, each next read as soon as the last was answered, for
 * `durationMs`; no watchers. The per-connection frame limit is raised for this one scenario,
 * so that the server, not the limit, sets the pace.
 */
export async function ingest(kind, { readers, perReader, durationMs, env, log, profileDir }) {
  const session = await openSession(kind, { env: { MAX_FRAMES_PER_SECOND: '10000', MAX_SUBSCRIPTIONS: String(perReader), ...env }, log });
  try {
    const pool = await session.openReaders(readers);
    const reader = /** @type {import('./generators.mjs').Generator} */ (session.readerGenerator);
    const setup = await reader.call('ingestSetup', { perReader }, 120_000);
    const cpuBefore = session.server.cpuMs();
    if (profileDir !== undefined) await session.server.startProfile();
    const r = await reader.call('ingestRun', { durationMs }, durationMs + 60_000);
    const cpuMs = session.server.cpuMs() - cpuBefore;
    if (profileDir !== undefined) await session.server.stopProfile(`${profileDir}/${kind}-ingest-${env?.DEDUPE ?? 'off'}-${Date.now()}.cpuprofile`);
    const seconds = (r.stopAt - r.start) / 1000;
    const reply = Histogram.fromJSON(r.replyLatency);
    const result = {
      readers: pool.opened,
      subscriptions: setup.subscriptions,
      setupSeconds: setup.setupSeconds,
      counted: r.counted,
      readsPerSecond: r.counted / seconds,
      seconds,
      exhausted: r.exhausted,
      errors: r.errors,
      replyMs: { p50: reply.percentile(50), p99: reply.percentile(99), max: reply.total > 0 ? reply.max : NaN },
      cpuMsPer1000Reads: (cpuMs / Math.max(1, r.counted)) * 1000,
    };
    log(`  ${kind} ingest ${JSON.stringify(env ?? {})}: ${Math.round(result.readsPerSecond)} reads/s, reply p50 ${result.replyMs.p50.toFixed(1)} p99 ${result.replyMs.p99.toFixed(1)} ms, errors ${JSON.stringify(r.errors)}${r.exhausted > 0 ? `, ${r.exhausted} readers ran out of articles` : ''}`);
    return result;
  } finally {
    await session.close();
  }
}

/** Repeated single-read phases folded into one: the worst of each figure, so a bad run shows. */
export function mergeRuns(runs) {
  const worst = (/** @type {(r: any) => number} */ f) => Math.max(...runs.map(f));
  return {
    ...runs[runs.length - 1],
    runs: runs.length,
    latencyMs: { p50: median(runs.map((r) => r.latencyMs.p50)), p99: median(runs.map((r) => r.latencyMs.p99)), max: worst((r) => r.latencyMs.max) },
    convergeMs: { afterLastRead: median(runs.map((r) => r.convergeMs.afterLastRead)), afterFirstRead: median(runs.map((r) => r.convergeMs.afterFirstRead)) },
    framesPerSecond: median(runs.map((r) => r.framesPerSecond)),
    failures: {
      backwards: runs.reduce((a, r) => a + r.failures.backwards, 0),
      missedFinal: runs.reduce((a, r) => a + r.failures.missedFinal, 0),
      inconsistentBase: runs.some((r) => r.failures.inconsistentBase),
    },
    converged: runs.every((r) => r.converged),
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function brief(r) {
  const f = (/** @type {number} */ x) => (Number.isFinite(x) ? x.toFixed(1) : '—');
  return `${r.reads.counted} reads, ${Math.round(r.framesPerSecond)} frames/s, p50 ${f(r.latencyMs.p50)} p99 ${f(r.latencyMs.p99)} max ${f(r.latencyMs.max)} ms, converged ${r.converged ? `in ${f(r.convergeMs.afterLastRead)} ms` : `NO (missed ${r.failures.missedFinal}, backwards ${r.failures.backwards}, undelivered ${(r.undelivered * 100).toFixed(1)} %)`}`;
}
