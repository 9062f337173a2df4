// The `--nodes=N` table: one node beside N nodes on one Redis, with the targets
// (watchers held, read → tick p99, Redis calls per read, presence traffic per node).
import { alignedTable, markdownTable } from './report.mjs';

/** Issue 12's targets. */
export const CLUSTER_TARGETS = { watchers: 45_000, p99OverOneNodeMs: 25, callsPerRead: 1 };

const ms = (/** @type {number} */ x) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : '—');
const mb = (/** @type {number} */ x) => (Number.isFinite(x) ? `${(x / 2 ** 20).toFixed(0)} MB` : '—');
const verdict = (/** @type {boolean} */ ok, /** @type {string} */ text) => `${text} ${ok ? 'met' : 'MISSED'}`;
const lat = (/** @type {any} */ p) => (p === undefined ? '—' : `${ms(p.latencyMs.p50)} / ${ms(p.latencyMs.p99)}`);

/**
 * Rows of [scenario, metric, N nodes, one node, target] for a run's `cluster` part.
 * @param {any} cluster
 */
export function clusterRows(cluster) {
  /** @type {string[][]} */
  const rows = [];
  const hot = cluster?.hot;
  if (hot !== undefined) {
    const c = hot.cluster;
    const one = hot.oneNode;
    const n = hot.nodes;
    const held = c.setup.watchers.reduce((a, b) => a + b, 0);
    const quick = held < CLUSTER_TARGETS.watchers;
    const total = (/** @type {number[]} */ w) => w.reduce((a, b) => a + b, 0);
    for (const [name, p] of Object.entries(c.phases)) {
      const o = one.phases[name];
      const limit = (o?.latencyMs.p99 ?? NaN) + CLUSTER_TARGETS.p99OverOneNodeMs;
      rows.push([`${total(c.setup.latencyWatchers)} watchers · ${name}`, `read A → tick node ${n} / on the node: p50 / p99`, lat(p), lat(o), verdict(p.latencyMs.p99 <= limit, `p99 ≤ ${ms(limit)}`)]);
      rows.push(['', 'watchers per node', c.setup.latencyWatchers.join(' / '), String(one.setup?.watchers ?? '—'), '']);
      rows.push(['', 'all hold final count', p.converged ? 'yes' : 'NO', o === undefined ? '—' : o.converged ? 'yes' : 'NO', '']);
      // The first reads of a run also load the script (EVALSHA, NOSCRIPT, EVAL) and note the article: judged on steady phases.
      const scripts = (p.redis.perRead.evalsha ?? 0) + (p.redis.perRead.eval ?? 0);
      const judged = name.startsWith('steady');
      rows.push(['', 'Redis calls per counted read', describeCalls(p.redis.perRead), '—', judged ? verdict(scripts <= CLUSTER_TARGETS.callsPerRead + 0.05, `script calls ${scripts.toFixed(2)} ≤ 1`) : '']);
    }
    rows.push([`${held} watchers · capacity`, 'watchers per node', c.setup.watchers.join(' / '), '', '']);
    rows.push(['', 'watchers holding the final count', `${c.capacity.pages.done} of ${held}`, '', quick ? '' : verdict(c.capacity.pages.done >= CLUSTER_TARGETS.watchers, `≥ ${CLUSTER_TARGETS.watchers}`)]);
    rows.push(['', 'read A → tick anywhere p50 / p99', lat(c.capacity), '', '']);
    rows.push(['', 'RSS per node (after GC)', c.setup.memory.map((m) => mb(m.rss)).join(' / '), mb(one.setup?.idle?.after.rss), '']);
    rows.push(['', 'heap per node', c.setup.memory.map((m) => mb(m.heapUsed)).join(' / '), mb(one.setup?.idle?.after.heapUsed), '']);
  }
  for (const step of cluster?.presence?.steps ?? []) {
    rows.push([`presence, ${step.pages} reading pages`, `Redis commands/s per node (churn ${cluster.presence.perSecond}/s per node)`, step.commandsPerSecondPerNode.toFixed(2), '—', '']);
  }
  return rows;
}

/** Each command's calls per read, largest first. @param {Record<string, number>} perRead */
function describeCalls(perRead) {
  return Object.entries(perRead).sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n.toFixed(2)}`).join(', ');
}

/** The printed table. @param {any} cluster */
export function renderClusterTable(cluster) {
  return alignedTable(clusterHeader(cluster), clusterRows(cluster)).join('\n');
}

/** The same as a Markdown table. @param {any} cluster */
export function renderClusterMarkdown(cluster) {
  return markdownTable(clusterHeader(cluster), clusterRows(cluster)).join('\n');
}

function clusterHeader(/** @type {any} */ cluster) {
  return ['scenario', 'metric', `${cluster.hot?.nodes ?? cluster.presence?.nodes} nodes`, 'one node', 'target'];
}
