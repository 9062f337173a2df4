// `npm run bench`: readcounter against a bare-ws broadcast loop, side by side, on this machine.
// Never part of `npm test`. See docs/benchmarks.md for what each figure means.
//
//   npm run bench                          default run, ~8 minutes (far longer on a server that admits reading pages slowly)
//   npm run bench -- --full                longer phases, steady rates at every watcher count
//   npm run bench -- --quick               a small smoke run for development (no chart)
//   npm run bench -- --watchers=2000,10000 --only=hot,idle --profile
//   npm run bench -- --nodes=3             cluster mode only: 3 nodes on one Redis beside one node (~10 minutes)
//   npm run bench -- --quick --nodes=3     its smoke version, about a minute
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { hotArticle, idleMemory, ingest, longTail } from './lib/scenarios.mjs';
import { hotPost, openPages } from './lib/hot-post.mjs';
import { reconnectStorm } from './lib/reconnect-storm.mjs';
import { renderMarkdown, renderTable } from './lib/report.mjs';
import { renderChart } from './lib/chart.mjs';
import { clusterHot, clusterPresence } from './lib/cluster.mjs';
import { renderClusterMarkdown, renderClusterTable } from './lib/report-cluster.mjs';
import { APPENDFSYNC } from './lib/cluster-session.mjs';

const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const CHART = fileURLToPath(new URL('../docs/bench-chart.svg', import.meta.url));
/** The whole run stops itself after this long, whatever happens (a server that admits reading pages slowly hits the viral-post scenarios' 5-minute opening deadlines several times). */
const RUN_LIMIT_MS = 60 * 60_000;

const { values: flags } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    watchers: { type: 'string' },
    only: { type: 'string' },
    servers: { type: 'string', default: 'baseline,readcounter' },
    profile: { type: 'boolean', default: false },
    chart: { type: 'boolean' },
    phases: { type: 'string' },
    readers: { type: 'string' },
    nodes: { type: 'string' },
  },
});

const plan = makePlan(flags);
const log = (/** @type {string} */ line) => console.log(line);
const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${RUN_LIMIT_MS / 60_000} minutes; stopping`);
  process.exit(3);
}, RUN_LIMIT_MS);
watchdog.unref();

/** What to run: the default, --full or --quick, narrowed by --watchers and --only. */
function makePlan(f) {
  const size = f.quick ? 'quick' : f.full ? 'full' : 'default';
  const watchers = f.watchers?.split(',').map(Number) ?? (size === 'quick' ? [500, 2000] : [2_000, 10_000, 19_000]);
  const burst = size === 'quick' ? 2_000 : 10_000;
  const steadyMs = size === 'full' ? 5_000 : size === 'quick' ? 2_000 : 3_000;
  // One read at a time, three times: the fan-out floor at this watcher count.
  const single = { name: 'single', repeat: 3, load: { count: 1, settleMs: 10_000, leadMs: 300, pauseMs: 300 } };
  const steady = (/** @type {number} */ rate) => ({ name: `steady ${rate}/s`, load: { rate, durationMs: steadyMs, settleMs: 4_000, pauseMs: 300 } });
  const nodes = f.nodes === undefined ? undefined : Number(f.nodes);
  if (nodes !== undefined && !(Number.isInteger(nodes) && nodes >= 2 && nodes <= 8)) throw new Error(`--nodes=${f.nodes}: give a whole number of nodes from 2 to 8`);
  return {
    size,
    // --nodes alone runs the cluster scenarios only; --only can add others.
    only: new Set((f.only ?? (nodes === undefined ? 'idle,hot,tail,ingest,open-reading,open-watching,hot-post,reconnect-storm' : 'cluster')).split(',')),
    servers: /** @type {Array<'baseline' | 'readcounter'>} */ (f.servers.split(',')),
    // 10k (and 2k, 19k) idle figures come from the hot-article runs' setup.
    idle: size === 'quick' ? [] : ['max'],
    hot: watchers.map((w) => ({
      watchers: w,
      readerPool: f.readers === undefined ? undefined : Number(f.readers),
      phases: /** @type {Array<{ name: string, repeat?: number, load: object }>} */ ([
        single,
        // Steady rates everywhere in --full; by default where the targets are set, and below.
        ...(size === 'full' || w <= 10_000 || f.watchers !== undefined ? [steady(100), steady(1_000)] : []),
        { name: `burst ${burst / 1000}k`, load: { count: burst, settleMs: 8_000, pauseMs: 300 } },
      ]).filter((p) => f.phases === undefined || f.phases.split(',').some((name) => p.name.startsWith(name))),
    })),
    tail: size === 'quick' ? { articles: 100, perArticle: 10, rate: 200, durationMs: 2_000 } : { articles: 1_000, perArticle: 10, rate: 1_000, durationMs: steadyMs },
    ingest: size === 'quick' ? { readers: 500, perReader: 100, durationMs: 2_000 } : { readers: 2_000, perReader: size === 'full' ? 200 : 50, durationMs: size === 'full' ? 8_000 : 3_000 },
    chart: f.chart ?? size !== 'quick',
    // Issue 10, a post goes viral: pages on one article in `reading` mode, as on a post.
    openPages: size === 'quick' ? 2_000 : 10_000,
    hotPost: { pages: size === 'quick' ? 2_000 : 10_000, windowMs: size === 'quick' ? 4_000 : 10_000, perSecond: 50, readRate: 100, readerPool: size === 'quick' ? 600 : 1_500 },
    // As many as the file limit allows, up to 19,000 (the issue's figure).
    stormPages: size === 'quick' ? 2_000 : 19_000,
    // Issue 12, cluster mode (--nodes): watchers spread over the nodes beside one node holding a
    // node's share, with the hot-article phases; presence traffic at two reading-page counts.
    cluster: nodes === undefined ? undefined : {
      // The steady phase three times on each side (median p99, as for single reads): the machine is shared.
      hot: { nodes, watchers: (size === 'quick' ? 1_000 : 15_000) * nodes, oneNodeWatchers: size === 'quick' ? 1_000 : 15_000, readerPool: size === 'quick' ? 300 : 1_000, phases: [single, { ...steady(100), repeat: size === 'quick' ? 1 : 3 }], capacityPhase: steady(100) },
      // Windows of several heartbeats (5 s each), so that where a beat falls moves the figure little.
      presence: { nodes, pages: size === 'quick' ? [300, 3_000] : [1_000, 10_000], perSecond: size === 'quick' ? 10 : 20, windowMs: size === 'quick' ? 5_000 : 30_000 },
      appendfsync: APPENDFSYNC,
    },
  };
}

async function main() {
  const started = Date.now();
  const machine = { nproc: cpus().length, cpu: cpus()[0]?.model, memoryGiB: +(totalmem() / 2 ** 30).toFixed(1), node: process.version, loadAverageAtStart: loadavg() };
  log(`readcounter bench (${plan.size}): ${machine.nproc} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  // Other work on this machine skews every figure: sample the load average while we run.
  const load = /** @type {number[]} */ ([]);
  const sampler = setInterval(() => load.push(loadavg()[0]), 5_000);
  sampler.unref();
  const profileDir = flags.profile ? `${RESULTS}profiles` : undefined;
  if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });
  /** @type {Record<string, any>} */
  const results = { machine, plan, startedAt: new Date(started).toISOString(), idle: [], hot: [], tail: undefined, ingest: [] };

  // Baseline and readcounter alternate within each scenario, so background load hits both.
  const both = async (/** @type {(kind: 'baseline' | 'readcounter') => Promise<any>} */ run) => {
    const out = /** @type {Record<string, any>} */ ({});
    for (const kind of plan.servers) out[kind] = await run(kind);
    return out;
  };
  if (plan.only.has('idle')) {
    for (const count of plan.idle) {
      log(`idle memory, ${count} watchers`);
      results.idle.push({ count, ...(await both((kind) => idleMemory(kind, { count, log }))) });
    }
  }
  if (plan.only.has('hot')) {
    for (const hot of plan.hot) {
      log(`hot article, ${hot.watchers} watchers`);
      results.hot.push({ watchers: hot.watchers, ...(await both((kind) => hotArticle(kind, { ...hot, log, profileDir: kind === 'readcounter' ? profileDir : undefined }))) });
    }
  }
  if (plan.only.has('tail')) {
    log(`long tail, ${plan.tail.articles} articles × ${plan.tail.perArticle} watchers, ${plan.tail.rate} random reads/s`);
    results.tail = await both((kind) => longTail(kind, { ...plan.tail, log }));
  }
  if (plan.only.has('ingest')) {
    for (const dedupe of ['off', 'daily']) {
      log(`ingest, ${plan.ingest.readers} connections, DEDUPE=${dedupe}`);
      const kinds = dedupe === 'off' ? plan.servers : plan.servers.filter((k) => k === 'readcounter');
      const out = /** @type {Record<string, any>} */ ({ dedupe });
      for (const kind of kinds) out[kind] = await ingest(kind, { ...plan.ingest, env: { DEDUPE: dedupe }, log, profileDir: kind === 'readcounter' ? profileDir : undefined });
      results.ingest.push(out);
    }
  }
  // A viral-post run that fails outright (a server too slow to admit its pages in time) is
  // recorded as { error }, shown under its table, and the run goes on.
  const survive = (/** @type {(kind: 'baseline' | 'readcounter') => Promise<any>} */ run) => async (/** @type {'baseline' | 'readcounter'} */ kind) => {
    try {
      return await run(kind);
    } catch (error) {
      log(`  ${kind} FAILED: ${error instanceof Error ? error.message : String(error)}`);
      return { error: error instanceof Error ? error.message : String(error) };
    }
  };
  for (const mode of /** @type {const} */ (['reading', 'watching'])) {
    if (!plan.only.has(`open-${mode}`)) continue;
    log(`open-${mode}: ${plan.openPages} pages on one article`);
    results[mode === 'reading' ? 'openReading' : 'openWatching'] = await both(survive((kind) => openPages(kind, { count: plan.openPages, mode, log })));
  }
  if (plan.only.has('hot-post')) {
    log(`hot-post: ${plan.hotPost.pages} reading pages, ${plan.hotPost.perSecond}/s arriving and leaving for ${plan.hotPost.windowMs / 1000} s, then with ${plan.hotPost.readRate} reads/s`);
    results.hotPost = await both(survive((kind) => hotPost(kind, { ...plan.hotPost, log })));
  }
  if (plan.cluster !== undefined && plan.only.has('cluster')) {
    results.cluster = {
      hot: await clusterHot({ ...plan.cluster.hot, log }),
      presence: await clusterPresence({ ...plan.cluster.presence, log }),
    };
  }
  if (plan.only.has('reconnect-storm')) {
    log(`reconnect-storm: up to ${plan.stormPages} reading pages, server restarted`);
    results.reconnectStorm = await both(survive((kind) => reconnectStorm(kind, { pages: plan.stormPages, log })));
  }
  results.seconds = (Date.now() - started) / 1000;
  results.machine.loadAverageAtEnd = loadavg();
  clearInterval(sampler);
  results.machine.loadAverageDuringRun = load.length > 0 ? { min: Math.min(...load), mean: load.reduce((a, b) => a + b, 0) / load.length, max: Math.max(...load) } : undefined;

  mkdirSync(RESULTS, { recursive: true });
  const file = `${RESULTS}${results.startedAt.replaceAll(':', '-')}.json`;
  writeFileSync(file, JSON.stringify(results, null, 2));
  // A cluster run keeps its own latest, so it never hides the last default run.
  const latest = results.cluster === undefined ? 'latest' : 'cluster-latest';
  writeFileSync(`${RESULTS}${latest}.json`, JSON.stringify(results, null, 2));
  writeFileSync(`${RESULTS}${latest}.md`, `${renderMarkdown(results)}\n${results.cluster === undefined ? '' : `\n${renderClusterMarkdown(results.cluster)}\n`}`);
  log('');
  log(renderTable(results));
  if (results.cluster !== undefined) log(`\n${plan.cluster?.hot.nodes} nodes on one Redis (appendfsync ${plan.cluster?.appendfsync}), beside one node:\n${renderClusterTable(results.cluster)}`);
  const during = results.machine.loadAverageDuringRun;
  if (during !== undefined) log(`\nbackground: 1-minute load average ${during.min.toFixed(1)}–${during.max.toFixed(1)} (mean ${during.mean.toFixed(1)}) on ${machine.nproc} cores during the run`);
  log(`JSON: ${file} (${results.seconds.toFixed(0)} s)`);
  if (plan.chart && results.hot.length > 0) {
    writeFileSync(CHART, renderChart(results));
    log(`chart: ${CHART}`);
  }
}

try {
  await main();
  process.exit(0);
} catch (error) {
  console.error(error);
  process.exit(1);
}
