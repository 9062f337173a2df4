// Presence and health traffic of one cluster node: the Redis commands it sends per second, idle
// and while reading pages come and go. Measures docs/cluster.md's "Traffic per node" figure.
//
//   npm run build && node scripts/presence-traffic.mjs            30 s each, 300 pages on 50 articles
//   node scripts/presence-traffic.mjs --seconds=10 --pages=1000
import { parseArgs } from 'node:util';
import { createClient } from '@redis/client';
import WebSocket from 'ws';
import { startNodes, startRedisServer } from './cluster.mjs';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '30' }, pages: { type: 'string', default: '300' }, 'redis-port': { type: 'string', default: '16421' } } });
const SECONDS = Number(values.seconds);
const PAGES = Number(values.pages);
const ORIGIN = 'https://blog.example.com';
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const redis = await startRedisServer({ port: Number(values['redis-port']) });
const [node] = await startNodes({ count: 1, redisUrl: redis.url, basePort: 0, env: { ALLOWED_ORIGINS: ORIGIN, MAX_CONNECTIONS_PER_IP: '100000', MAX_TCP_CONNECTIONS_PER_IP: '100000' } });
const admin = createClient({ url: redis.url });
await admin.connect();

/** Calls per command since Redis started, from INFO commandstats. */
async function calls() {
  const lines = (await admin.info('commandstats')).split('\r\n').filter((line) => line.startsWith('cmdstat_'));
  return Object.fromEntries(lines.map((line) => [line.slice(8, line.indexOf(':')), Number(/calls=(\d+)/.exec(line)[1])]));
}

/** Commands per second between two snapshots, leaving out this script's own INFO. */
function perSecond(before, after) {
  const rates = Object.entries(after).map(([name, n]) => [name, (n - (before[name] ?? 0)) / SECONDS]).filter(([name, rate]) => rate > 0 && name !== 'info');
  const total = rates.reduce((sum, [, rate]) => sum + rate, 0);
  return `${total.toFixed(2)} commands/s (${rates.map(([name, rate]) => `${name} ${rate.toFixed(2)}`).join(', ')})`;
}

function openPage() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${node.url.replace('http', 'ws')}/ws`, { origin: ORIGIN, headers: { 'user-agent': UA } });
    ws.once('error', reject);
    ws.once('open', () => {
      ws.send(JSON.stringify({ type: 'subscribe', article: `/p${Math.floor(Math.random() * 50)}`, mode: 'reading' }));
      resolve(ws);
    });
  });
}

let before = await calls();
await wait(SECONDS * 1000);
console.log(`idle node, ${SECONDS} s: ${perSecond(before, await calls())}`);

const pages = [];
for (let i = 0; i < PAGES; i++) pages.push(await openPage());
before = await calls();
const end = Date.now() + SECONDS * 1000;
let moves = 0;
while (Date.now() < end) {
  const i = Math.floor(Math.random() * pages.length);
  pages[i].close();
  pages[i] = await openPage();
  moves++;
  await wait(10);
}
console.log(`${PAGES} reading pages, ${(moves / SECONDS).toFixed(0)} leaving and arriving a second, ${SECONDS} s: ${perSecond(before, await calls())}`);

for (const page of pages) page.close();
await admin.close();
await node.stop();
await redis.stop();
