import { startRedis, type RedisServer } from './redis.js';
import { startServerProcess, type ServerProcess } from './process.js';

/**
 * Settings that make a test cluster quick: a heartbeat every 0.5 s, so a node killed with
 * kill -9 drops out of `live` within 2.5 s and /healthz reacts within 1.25 s; reads count at once.
 */
export const QUICK_CLUSTER_ENV: Record<string, string> = {
  CLUSTER_HEARTBEAT_SECONDS: '0.5',
  DWELL_SECONDS: '0',
  ALLOWED_ORIGINS: 'https://blog.example.com',
};

/** N built server processes (dist/server/main.js) on one real redis-server. */
export interface TestCluster {
  redis: RedisServer;
  /** The running nodes; a killed one stays in place (see start()). */
  nodes: ServerProcess[];
  /** Starts one more node with the cluster's settings and adds it to `nodes`. */
  start(): Promise<ServerProcess>;
  /** kill -9 of a node; waits for it to exit. */
  kill9(node: ServerProcess): Promise<void>;
  /** Stops every node (SIGTERM) and Redis, and removes Redis's dir. */
  cleanup(): Promise<void>;
}

/** Starts a redis-server (AOF `always`) and `count` nodes on it; `env` is added to every node's. */
export async function startCluster(count: number, env: Record<string, string> = {}): Promise<TestCluster> {
  const redis = await startRedis();
  const nodes: ServerProcess[] = [];
  const nodeEnv = { ...QUICK_CLUSTER_ENV, ...env, REDIS_URL: redis.url };
  const start = async (): Promise<ServerProcess> => {
    const node = await startServerProcess(nodeEnv);
    nodes.push(node);
    return node;
  };
  try {
    // One at a time: several nodes from one dist/ share nothing but Redis, and the machine is small.
    for (let i = 0; i < count; i++) await start();
  } catch (error) {
    for (const node of nodes) node.child.kill('SIGKILL');
    await redis.cleanup();
    throw error;
  }
  return {
    redis,
    nodes,
    start,
    async kill9(node) {
      node.child.kill('SIGKILL');
      await node.exited;
    },
    async cleanup() {
      await Promise.all(
        nodes.map(async (node) => {
          if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGTERM');
          await node.exited;
        }),
      );
      await redis.cleanup();
    },
  };
}
