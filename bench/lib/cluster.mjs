// `--nodes=N`: readcounter as N nodes on one Redis, beside one node in the same run.
// Capacity and latency: watchers spread evenly over the nodes on one article, reads on node A;
// Redis commands per counted read; presence traffic per node at two reader counts.
import { setTimeout as sleep } from 'node:timers/promises';
import { callsBetween, openCluster } from './cluster-session.mjs';
import { hotArticle, mergeRuns } from './scenarios.mjs';
import { runPhase, serverMemory } from './session.mjs';
import { now } from './raw-socket.mjs';

const HOT = '/hot';
const POST = '/viral';
/** Both sides count as a default install does (DEDUPE=daily): the dedupe SET is part of each read's script. */
const ENV = { DEDUPE: 'daily' };

/**
 * Latency, then capacity, all on one article. One node with `oneNodeWatchers` runs the
 * hot-article `phases` (reads and watchers on that node); then the cluster holds as many
 * watchers in all, an even share on each node, and runs the same phases with reads on node A
 * and the ticks timed on the last node's watchers. Then each node is filled up to `watchers`
 * in all, and one `capacityPhase` is timed on every watcher (does each converge?).
 */
export async function clusterHot({ nodes, watchers, oneNodeWatchers, readerPool, phases, capacityPhase, log }) {
  log(`cluster: one node, ${oneNodeWatchers} watchers`);
  const oneNode = await hotArticle('readcounter', { watchers: oneNodeWatchers, phases, readerPool, env: ENV, log });
  log(`cluster: ${nodes} nodes on one Redis, ${watchers} watchers`);
  const cluster = await openCluster({ nodes, env: ENV, log });
  try {
    // Generators per node for the full share from the start (each holds 10,000 sockets at most).
    const shares = Math.ceil(Math.ceil(watchers / nodes) / 10_000);
    const first = await spread(cluster, oneNodeWatchers, shares);
    await cluster.sessions[0].openReaders(readerPool);
    log(`  cluster watchers per node ${first.map((o) => o.opened).join(' / ')} (latency phases)`);
    const last = nodes - 1;
    /** @type {Record<string, any>} */
    const results = {};
    for (const phase of phases) {
      const runs = [];
      for (let i = 0; i < (phase.repeat ?? 1); i++) runs.push(await measured(cluster, cluster.view(0, [last]), phase));
      results[phase.name] = runs.length === 1 ? runs[0] : { ...mergeRuns(runs), redis: redisOf(runs) };
      log(`  cluster A → node ${last + 1}, ${phase.name}: p50 ${results[phase.name].latencyMs.p50.toFixed(1)} p99 ${results[phase.name].latencyMs.p99.toFixed(1)} ms, ${perRead(results[phase.name])}`);
    }
    const more = await spread(cluster, watchers - oneNodeWatchers, shares);
    const memory = await Promise.all(cluster.sessions.map((s) => serverMemory(s)));
    const setup = {
      latencyWatchers: first.map((o) => o.opened), watchers: cluster.sessions.map((s) => s.watchers), failed: cluster.sessions.map((s) => s.failedSockets),
      openSeconds: Math.max(...more.map((o) => o.seconds)), memory,
    };
    log(`  cluster watchers per node ${setup.watchers.join(' / ')}, RSS ${memory.map((m) => (m.rss / 2 ** 20).toFixed(0)).join(' / ')} MB`);
    const all = await measured(cluster, cluster.view(0, cluster.sessions.map((_, i) => i)), capacityPhase);
    log(`  cluster A → all ${all.watchers} watchers, ${capacityPhase.name}: ${all.pages.done}/${all.pages.total} hold the final count, p99 ${all.latencyMs.p99.toFixed(1)} ms`);
    const memoryAfter = await Promise.all(cluster.sessions.map((s) => serverMemory(s)));
    return { nodes, oneNode, cluster: { setup: { ...setup, memoryAfter }, phases: results, capacity: all } };
  } finally {
    await cluster.close();
  }
}

/** Opens `count` more watchers on HOT, an even share on each node. @param {import('./cluster-session.mjs').Cluster} cluster */
function spread(cluster, /** @type {number} */ count, /** @type {number} */ shares) {
  const n = cluster.sessions.length;
  return Promise.all(cluster.sessions.map((s, i) => s.openWatchers(Math.floor(count / n) + (i < count % n ? 1 : 0), [HOT], false, { shares })));
}

/** One runPhase on a cluster view, with Redis's command counts over it. */
async function measured(cluster, view, phase) {
  const before = await cluster.calls();
  const result = await runPhase(view, { articles: [HOT], name: phase.name, ...phase.load });
  const calls = callsBetween(before, await cluster.calls());
  return { ...result, redis: { calls, perRead: perCountedRead(calls, result.reads.counted) } };
}

/** Redis calls of repeated runs added up, per counted read over all of them. */
function redisOf(/** @type {any[]} */ runs) {
  /** @type {Record<string, number>} */
  const calls = {};
  for (const r of runs) for (const [command, n] of Object.entries(r.redis.calls)) calls[command] = (calls[command] ?? 0) + n;
  return { calls, perRead: perCountedRead(calls, runs.reduce((a, r) => a + r.reads.counted, 0)) };
}

/** Calls of each command per counted read. */
function perCountedRead(/** @type {Record<string, number>} */ calls, /** @type {number} */ counted) {
  return Object.fromEntries(Object.entries(calls).map(([command, n]) => [command, n / Math.max(1, counted)]));
}

function perRead(/** @type {any} */ r) {
  return Object.entries(r.redis.perRead).map(([c, n]) => `${c} ${n.toFixed(2)}`).join(', ') + ' per read';
}

/**
 * Presence traffic: for each count in `pages`, that many pages reading one article, an even
 * share on each node, with `perSecond` arriving and as many leaving on each node for
 * `windowMs` and no reads; Redis commands per second per node over the window.
 */
export async function clusterPresence({ nodes, pages, perSecond, windowMs, log }) {
  const cluster = await openCluster({ nodes, log });
  try {
    const steps = [];
    let open = 0;
    for (const target of pages) {
      const add = target - open;
      const opened = await Promise.all(cluster.sessions.map((s, i) => s.openWatchers(Math.floor(add / nodes) + (i < add % nodes ? 1 : 0), [POST], false, { mode: 'reading' })));
      open += opened.reduce((a, o) => a + o.opened, 0);
      // Let the arrivals' own presence changes pass before the window opens.
      await sleep(2_000);
      const before = await cluster.calls();
      const started = now();
      const churned = await Promise.all(cluster.sessions.flatMap((s) => s.watcherGenerators.map((g) => g.call('churn', {
        article: POST, mode: 'reading', arrivePerSecond: perSecond / s.watcherGenerators.length, leavePerSecond: perSecond / s.watcherGenerators.length, durationMs: windowMs,
      }, windowMs + 60_000))));
      const seconds = (now() - started) / 1000;
      const calls = callsBetween(before, await cluster.calls());
      const total = Object.values(calls).reduce((a, b) => a + b, 0);
      const step = {
        pages: open, seconds, calls,
        arrived: churned.reduce((a, c) => a + c.arrived, 0), left: churned.reduce((a, c) => a + c.left, 0),
        commandsPerSecondPerNode: total / seconds / nodes,
      };
      log(`  presence, ${open} reading pages on ${nodes} nodes, churn ${perSecond}/s per node: ${step.commandsPerSecondPerNode.toFixed(2)} Redis commands/s per node (${Object.entries(calls).map(([c, n]) => `${c} ${n}`).join(', ')})`);
      steps.push(step);
    }
    return { nodes, perSecond, windowSeconds: windowMs / 1000, steps };
  } finally {
    await cluster.close();
  }
}
