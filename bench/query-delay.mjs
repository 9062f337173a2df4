// The worst admin and badge queries, measured: how long each takes, and how long it holds the
// event loop (perf_hooks.monitorEventLoopDelay) while /healthz is polled beside it. Never part
// of `npm test`; the numbers go in docs/security.md.
//
//   npm run build && node bench/query-delay.mjs [ARTICLES] [DAYS]
//
// Seeds one site with ARTICLES articles (default 50,000 = MAX_ARTICLES_PER_SITE) read on each of
// DAYS days (default 10), then asks for the site-wide stats over the longest range (1830 days),
// the whole CSV and JSON export, and the site-wide badge.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../dist/server/config.js';
import { startServer } from '../dist/server/server.js';

const ARTICLES = Number(process.argv[2] ?? 50_000);
const DAYS = Number(process.argv[3] ?? 10);
const SITE = 'blog.example.com';
const TOKEN = 'bench-admin-token-0123456789';
const NOW = Date.UTC(2026, 0, 15, 12);

const dataDir = mkdtempSync(join(tmpdir(), 'readcounter-query-delay-'));
const server = await startServer({ config: loadConfig({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, ADMIN_TOKEN: TOKEN }), now: () => NOW, log: () => {} });

const seedStarted = performance.now();
for (let a = 0; a < ARTICLES; a += 5000) {
  const rows = [];
  for (let i = a; i < Math.min(a + 5000, ARTICLES); i++) {
    for (let d = 0; d < DAYS; d++) rows.push({ site: SITE, article: `/posts/${i}`, day: new Date(NOW - d * 86_400_000).toISOString().slice(0, 10), reads: 1 + (i % 7) });
  }
  server.store.mergeCounts(rows, []);
}
console.log(`seeded ${ARTICLES.toLocaleString('en-US')} articles × ${DAYS} days = ${(ARTICLES * DAYS).toLocaleString('en-US')} rows in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

const auth = { authorization: `Bearer ${TOKEN}` };
const queries = [
  ['stats, site-wide, 1830 days', `/api/stats?site=${SITE}&from=2021-01-12&to=2026-01-15`],
  ['stats, one article, 1830 days', `/api/stats?site=${SITE}&from=2021-01-12&to=2026-01-15&article=/posts/1`],
  ['export, CSV, everything', '/api/export?format=csv'],
  ['export, JSON, everything', '/api/export?format=json'],
  ['badge, site-wide', `/badge.svg?site=${SITE}`],
];

console.log('| query | answer | took | loop delay p50 | p99 | max | /healthz answered during it |');
console.log('|---|---|---|---|---|---|---|');
for (const [label, path] of queries) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let healthChecks = 0;
  let running = true;
  const poll = (async () => {
    while (running) {
      if ((await fetch(`${server.url}/healthz`)).status === 200 && running) healthChecks++;
    }
  })();
  histogram.enable();
  const started = performance.now();
  const response = await fetch(`${server.url}${path}`, { headers: auth });
  const bytes = (await response.arrayBuffer()).byteLength;
  const took = performance.now() - started;
  histogram.disable();
  running = false;
  await poll;
  const ms = (ns) => (ns / 1e6).toFixed(1);
  console.log(`| ${label} | ${response.status}, ${(bytes / 1024).toFixed(0)} KiB | ${took.toFixed(0)} ms | ${ms(histogram.percentile(50))} ms | ${ms(histogram.percentile(99))} ms | ${ms(histogram.max)} ms | ${healthChecks} times |`);
}

await server.close();
rmSync(dataDir, { recursive: true, force: true });
