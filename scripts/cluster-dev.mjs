// `npm run cluster:dev`: a local cluster to try cluster mode. Builds once, starts a redis-server
// (AOF on) in a temp dir and N nodes on it, prints their addresses, and stops them all on Ctrl-C.
//
//   npm run cluster:dev                       3 nodes on :8080 :8081 :8082, Redis on :6379
//   npm run cluster:dev -- --nodes=2 --port=9000 --redis-port=6380
//   npm run cluster:dev -- --redis-url=redis://127.0.0.1:6379     use a Redis that already runs
import { parseArgs } from 'node:util';
import { startNodes, startRedisServer } from './cluster.mjs';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '3' },
    port: { type: 'string', default: '8080' },
    'redis-port': { type: 'string', default: '6379' },
    'redis-url': { type: 'string' },
  },
});

const redis = values['redis-url'] === undefined ? await startRedisServer({ port: Number(values['redis-port']) }) : undefined;
const redisUrl = values['redis-url'] ?? redis.url;
const nodes = await startNodes({
  count: Number(values.nodes),
  redisUrl,
  basePort: Number(values.port),
  onOutput: (i, text) => process.stdout.write(text.replace(/^(?=.)/gm, `[node ${i + 1}] `)),
});
console.log(`\ncluster:dev: ${nodes.length} nodes on ${redisUrl}${redis ? ` (data in ${redis.dir}, removed on stop)` : ''}:`);
for (const node of nodes) console.log(`  ${node.url}`);
console.log('Ctrl-C stops them all.');

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await Promise.all(nodes.map((node) => node.stop()));
  await redis?.stop();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
