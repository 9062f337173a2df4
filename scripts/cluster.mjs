// Starting a local cluster: one redis-server and N readcounter nodes from the built dist/.
// Used by `npm run cluster:dev` (scripts/cluster-dev.mjs); a benchmark can import it too.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built server; run `npm run build` once first (nodes never build, so they cannot race on dist/). */
export const MAIN_JS = fileURLToPath(new URL('../dist/server/main.js', import.meta.url));

/** Resolves with the child once `pattern` shows in its output; rejects if it exits first. */
function waitFor(child, pattern, name) {
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const match = pattern.exec(output);
      if (match) resolve(match);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready:\n${output}`)));
  });
}

/**
 * Starts redis-server on 127.0.0.1:`port` in a fresh temp dir, AOF on with `appendfsync`.
 * Returns { url, dir, child, stop() }; stop() ends it and removes the dir.
 */
export async function startRedisServer({ port = 6379, appendfsync = 'always', bin = process.env.REDIS_SERVER_PATH ?? 'redis-server' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'readcounter-cluster-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', appendfsync, '--save', '', '--logfile', ''];
  // Its own process group: a Ctrl-C in the terminal stops the nodes first, and Redis after them.
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  process.once('exit', () => child.kill('SIGTERM'));
  await waitFor(child, /Ready to accept connections/, 'redis-server');
  return {
    url: `redis://127.0.0.1:${port}`,
    dir,
    child,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts `count` nodes on `redisUrl`, on ports basePort, basePort + 1, … (0: free ports).
 * `env` is added to each node's environment. Returns [{ url, child, stop() }], in order.
 */
export async function startNodes({ count, redisUrl, basePort = 8080, env = {}, onOutput }) {
  const nodes = [];
  for (let i = 0; i < count; i++) {
    const port = basePort === 0 ? 0 : basePort + i;
    const child = spawn(process.execPath, [MAIN_JS], {
      env: { ...process.env, HOST: '127.0.0.1', ...env, PORT: String(port), REDIS_URL: redisUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (onOutput) {
      child.stdout.on('data', (chunk) => onOutput(i, String(chunk)));
      child.stderr.on('data', (chunk) => onOutput(i, String(chunk)));
    }
    const [, url] = await waitFor(child, /listening on (http:\/\/\S+)/, `node ${i + 1}`);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    nodes.push({
      url,
      child,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      },
    });
  }
  return nodes;
}
