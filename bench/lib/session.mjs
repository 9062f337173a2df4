// A session: one server under test, its load generators and its watchers, and the phases run
// against it. A phase sends reads, waits (bounded) for every watcher to hold the final count,
// then gathers latency, convergence and CPU from every generator.
import { setTimeout as sleep } from 'node:timers/promises';
import { Histogram, ratio, unionLength } from './stats.mjs';
import { startServer } from './server-process.mjs';
import { startGenerator } from './generators.mjs';
import { now } from './raw-socket.mjs';

/** Sockets one generator holds at most (its own file limit is 20,000). */
const SOCKETS_PER_GENERATOR = 10_000;

/**
 * Starts a server and enough generators for `watchers` watcher sockets and a reader pool.
 * With `server`, uses that one (a cluster node) and leaves stopping it to its owner; `label`
 * names the generators (distinct user agents per node).
 * @param {'readcounter' | 'baseline'} kind
 * @param {{ env?: Record<string, string>, profileDir?: string, log: (line: string) => void, server?: import('./server-process.mjs').ServerUnderTest, label?: string }} options
 */
export async function openSession(kind, { env, profileDir, log, server: given, label = kind }) {
  const server = given ?? (await startServer(kind, { env }));
  /** @type {import('./generators.mjs').Generator[]} */
  const generators = [];
  const session = {
    kind,
    server,
    profileDir,
    watcherGenerators: /** @type {import('./generators.mjs').Generator[]} */ ([]),
    /** @type {import('./generators.mjs').Generator | undefined} */
    readerGenerator: undefined,
    watchers: 0,
    readers: 0,
    failedSockets: 0,
    /** Set when a phase ended without every watcher converging: later phases need a fresh server. */
    dirty: false,
    async generator(name) {
      const g = startGenerator(`${label}-${name}`);
      generators.push(g);
      await g.target(server);
      return g;
    },
    /**
     * Opens `count` watcher sockets spread over generators (at least `shares` of them); each
     * follows `articles` (all, or one each round robin when `spread`) in `mode`. With `withinMs`,
     * sockets not started by then are left out (a server that admits pages slowly).
     */
    async openWatchers(count, articles, spread = false, { mode = 'watching', shares: atLeast = 1, withinMs = undefined } = {}) {
      const shares = Math.max(atLeast, Math.ceil(count / SOCKETS_PER_GENERATOR));
      while (session.watcherGenerators.length < shares) session.watcherGenerators.push(await session.generator(`w${session.watcherGenerators.length}`));
      const started = now();
      let first = 0;
      const results = await Promise.all(
        session.watcherGenerators.map((g, i) => {
          const share = Math.floor(count / shares) + (i < count % shares ? 1 : 0);
          const args = { count: share, articles, spread, first, mode, withinMs };
          first += share;
          return g.call('openWatchers', args, (withinMs ?? 120_000) + 60_000);
        }),
      );
      const failed = results.reduce((a, r) => a + r.failed, 0);
      session.watchers += count - failed;
      session.failedSockets += failed;
      if (failed > 0) log(`  ${kind}: ${failed} of ${count} watchers failed to open: ${JSON.stringify(results.map((r) => r.reasons))}`);
      return { opened: count - failed, failed, seconds: (now() - started) / 1000 };
    },
    async openReaders(count) {
      session.readerGenerator ??= await session.generator('r');
      const result = await session.readerGenerator.call('openReaders', { count }, 180_000);
      session.readers += result.opened;
      if (result.failed > 0) log(`  ${kind}: ${result.failed} of ${count} readers failed to open: ${JSON.stringify(result.reasons)}`);
      return result;
    },
    async close() {
      await Promise.allSettled(generators.map((g) => g.call('closeAll', {}, 10_000)));
      for (const g of generators) g.stop();
      if (given === undefined) await server.stop();
    },
  };
  return session;
}

/** @typedef {Awaited<ReturnType<typeof openSession>>} Session */

/**
 * Runs one phase of reads against a session and measures it.
 * @param {Session} session
 * `during`, when given, starts once the watchers are armed (pages arriving and leaving while the
 * reads go on) and its result comes back as `during`.
 * @param {{ articles: string[], count?: number, rate?: number, durationMs?: number, random?: boolean, settleMs: number, during?: () => Promise<any> }} load
 */
export async function runPhase(session, { articles, count, rate, durationMs, random = false, settleMs, leadMs = 0, pauseMs = 0, name = 'phase', during }) {
  if (pauseMs > 0) await sleep(pauseMs);
  if (session.profileDir !== undefined) await session.server.startProfile();
  const { server, watcherGenerators: watchers } = session;
  const reader = /** @type {import('./generators.mjs').Generator} */ (session.readerGenerator);
  const armed = await Promise.all(watchers.map((g) => g.call('arm', { articles })));
  /** @type {Record<string, number>} */
  const bases = {};
  let inconsistentBase = false;
  for (const article of articles) {
    const found = armed.map((a) => a.bases[article]).filter(Boolean);
    bases[article] = Math.max(...found.map((b) => b.max));
    if (found.some((b) => b.min !== b.max)) inconsistentBase = true;
  }
  const cpuBefore = server.cpu();
  const alongside = during?.();
  const sendWindowMs = durationMs ?? 0;
  const reads = await reader.call('read', { articles, count, rate, durationMs, random, lead: leadMs, deadlineMs: sendWindowMs + leadMs + settleMs }, sendWindowMs + settleMs + 60_000);
  /** @type {Record<string, number>} */
  const expected = {};
  for (const article of articles) expected[article] = bases[article] + (reads.counted[article] ?? 0);
  const deadline = reads.sendDone + settleMs;
  // Pages still arriving are pages too: wait for them before judging convergence.
  const duringResult = await alongside;
  let status;
  for (;;) {
    status = await Promise.all(watchers.map((g) => g.call('converged', { expected })));
    const done = status.reduce((a, s) => a + s.done, 0);
    const total = status.reduce((a, s) => a + s.total, 0);
    if (done === total || now() > deadline) break;
    await sleep(50);
  }
  // Whatever a server is still sending after the deadline is not counted; let it land before reading CPU.
  const cpuAfter = server.cpu();
  if (session.profileDir !== undefined) {
    const file = `${session.profileDir}/${session.kind}-${session.watchers}w-${name.replace(/[^\w]+/g, '-')}-${Date.now()}.cpuprofile`;
    await session.server.stopProfile(file);
  }
  const analyses = await Promise.all(watchers.map((g) => g.call('analyze', { sendTimes: reads.sendTimes, bases }, 300_000)));
  const cpu = { user: cpuAfter.user - cpuBefore.user, system: cpuAfter.system - cpuBefore.system };
  const pages = { done: status.reduce((a, s) => a + s.done, 0), total: status.reduce((a, s) => a + s.total, 0) };
  return { ...summarizePhase({ reads, analyses, cpu, inconsistentBase, session }), pages, readsEnd: reads.end, during: duringResult };
}

/** Folds generator replies into one phase result. */
function summarizePhase({ reads, analyses, cpu, inconsistentBase, session }) {
  const cpuMs = cpu.user + cpu.system;
  const histogram = new Histogram();
  let frames = 0;
  let backwards = 0;
  let missedFinal = 0;
  let missing = 0;
  let watcherCount = 0;
  let lastAt = -Infinity;
  let lastFinalAt = -Infinity;
  /** @type {Map<string, [number, number]>} */
  const spans = new Map();
  for (const a of analyses) {
    for (const [key, [first, last]] of a.spans) {
      const span = spans.get(key);
      if (span === undefined) spans.set(key, [first, last]);
      else spans.set(key, [Math.min(span[0], first), Math.max(span[1], last)]);
    }
    histogram.merge(a.histogram);
    frames += a.frames;
    backwards += a.backwards;
    missedFinal += a.missedFinal;
    missing += a.missing;
    watcherCount += a.watchers;
    lastAt = Math.max(lastAt, a.lastAt);
    // NaN (some watcher never got the final count) crosses IPC as null.
    const finalAt = a.lastFinalAt ?? NaN;
    lastFinalAt = Number.isNaN(finalAt) || Number.isNaN(lastFinalAt) ? NaN : Math.max(lastFinalAt, finalAt);
  }
  const counted = Object.values(reads.counted).reduce((a, b) => a + b, 0);
  const windowMs = lastAt - reads.start;
  // Reads the generator could not send in time (no free connection) are a shortfall of the
  // load, reported beside the result; a read sent and never answered is the server's failure.
  const converged = missedFinal === 0 && backwards === 0 && reads.unanswered === 0;
  if (!converged) session.dirty = true;
  const samples = histogram.total + missing;
  return {
    reads: { issued: reads.issued, counted, unanswered: reads.unanswered, unsent: reads.unsent, errors: reads.errors, reconnects: reads.reconnects, sendSeconds: (reads.sendDone - reads.start) / 1000 },
    watchers: watcherCount,
    frames,
    framesPerSecond: windowMs > 0 ? (frames / windowMs) * 1000 : NaN,
    // Frames per second of the time some value was being delivered: the fan-out rate itself,
    // without the time a coalescing server had nothing left to send.
    deliveringMs: unionLength(spans.values()),
    fanOutPerSecond: ratio(frames, unionLength(spans.values()) / 1000),
    values: spans.size,
    latencyMs: { p50: histogram.percentile(50), p99: histogram.percentile(99), max: histogram.total > 0 ? histogram.max : NaN },
    // Deliveries (read × watcher) never seen within the window: a latency beyond it.
    undelivered: samples > 0 ? missing / samples : 0,
    convergeMs: { afterLastRead: lastFinalAt - reads.sendDone, afterFirstRead: lastFinalAt - reads.start },
    cpuMs,
    cpuSystemShare: ratio(cpu.system, cpuMs),
    cpuMsPer1000Frames: ratio(cpuMs, frames / 1000),
    failures: { backwards, missedFinal, inconsistentBase },
    converged,
    readReplyMs: { p50: Histogram.fromJSON(reads.replyLatency).percentile(50), p99: Histogram.fromJSON(reads.replyLatency).percentile(99) },
  };
}

/** Server memory after a full GC, in bytes. @param {Session} session */
export async function serverMemory(session) {
  await sleep(300);
  const m = await session.server.memory(true);
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
}
