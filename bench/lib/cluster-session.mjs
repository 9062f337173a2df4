// A cluster under test: one redis-server (AOF on) and N readcounter nodes from dist/, each its
// own process on its own port, each with its own load generators (one Session per node), and
// Redis's own command counts (INFO commandstats) read through redis-cli.
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { startRedisServer } from '../../scripts/cluster.mjs';
import { startServer } from './server-process.mjs';
import { openSession } from './session.mjs';

const run = promisify(execFile);
/** What docs/cluster.md recommends for your own Redis/Valkey (and the tests use): every acknowledged read survives kill -9, an fsync per read. */
export const APPENDFSYNC = 'always';

/** A free loopback port for redis-server (it cannot be told to pick one itself). */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address());
      probe.close(() => resolve(port));
    });
  });
}

/** Calls per Redis command so far, from INFO commandstats. @param {number} port */
export async function commandCalls(port) {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'INFO', 'commandstats'], { timeout: 10_000 });
  /** @type {Record<string, number>} */
  const calls = {};
  for (const match of stdout.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)) calls[match[1]] = Number(match[2]);
  return calls;
}

/** Calls per command between two commandstats snapshots, without the bench's own INFO. */
export function callsBetween(/** @type {Record<string, number>} */ before, /** @type {Record<string, number>} */ after) {
  /** @type {Record<string, number>} */
  const delta = {};
  for (const [command, calls] of Object.entries(after)) {
    const d = calls - (before[command] ?? 0);
    if (d > 0 && command !== 'info') delta[command] = d;
  }
  return delta;
}

/**
 * Starts Redis and `nodes` nodes (one after another: the machine is small), and a Session on
 * each. `close()` stops generators, nodes and Redis, each bounded in time.
 * @param {{ nodes: number, env?: Record<string, string>, log: (line: string) => void }} options
 */
export async function openCluster({ nodes, env = {}, log }) {
  const redisPort = await freePort();
  const redis = await startRedisServer({ port: redisPort, appendfsync: APPENDFSYNC });
  /** @type {Array<import('./server-process.mjs').ServerUnderTest>} */
  const servers = [];
  /** @type {Array<import('./session.mjs').Session>} */
  const sessions = [];
  const close = async () => {
    await Promise.allSettled(sessions.map((s) => s.close()));
    await Promise.allSettled(servers.map((s) => s.stop()));
    await redis.stop();
  };
  try {
    for (let i = 0; i < nodes; i++) {
      const server = await startServer('readcounter', { env: { ...env, REDIS_URL: redis.url } });
      servers.push(server);
      sessions.push(await openSession('readcounter', { server, log, label: `node${i + 1}` }));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    redisPort,
    sessions,
    calls: () => commandCalls(redisPort),
    /**
     * A Session-shaped view for runPhase: reads from node `readerNode`'s pool, watchers of the
     * nodes in `watcherNodes`, CPU of the reading node.
     */
    view(/** @type {number} */ readerNode, /** @type {number[]} */ watcherNodes) {
      const reading = sessions[readerNode];
      return {
        ...reading,
        kind: 'cluster',
        watcherGenerators: watcherNodes.flatMap((i) => sessions[i].watcherGenerators),
        watchers: watcherNodes.reduce((a, i) => a + sessions[i].watchers, 0),
        dirty: false,
      };
    },
    close,
  };
}

/** @typedef {Awaited<ReturnType<typeof openCluster>>} Cluster */
