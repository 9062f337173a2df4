import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's redis-server; `REDIS_SERVER_PATH` overrides (e.g. a valkey-server). */
export const REDIS_SERVER_PATH = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';

/** How often the append-only file is fsynced: on every write, or once a second. */
export type AppendFsync = 'always' | 'everysec';

/** Options of startRedis(). */
export interface RedisOptions {
  /** @default 'always' */
  appendfsync?: AppendFsync;
}

/** A real redis-server on 127.0.0.1 with its own temp dir and the append-only file on. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly dir: string;
  /** Everything the running server wrote to stdout and stderr. */
  output(): string;
  /** SIGTERM, as an orderly shutdown would; waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would: nothing gets flushed that was not flushed already. */
  kill9(): Promise<void>;
  /** Starts it again on the same dir and port (stopping it first if it runs); waits for PING. */
  restart(): Promise<void>;
  /** Stops it and removes its dir. Safe to call twice. */
  cleanup(): Promise<void>;
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  output: () => string;
}

/** A port nothing listens on now; redis-server is told to take it (retried when another took it first). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

function serverArgs(dir: string, port: number, appendfsync: AppendFsync): string[] {
  return [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
    '--appendonly', 'yes', '--appendfsync', appendfsync,
    // The AOF alone is the durability under test; no RDB snapshots on a timer.
    '--save', '',
    '--daemonize', 'no', '--logfile', '', '--loglevel', 'notice',
  ];
}

/** Answers once the server replies +PONG on a fresh connection. */
function ping(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (!reply.includes('\r\n')) return;
      socket.destroy();
      if (reply.startsWith('+PONG')) resolve();
      else reject(new Error(`redis answered PING with ${JSON.stringify(reply)}`));
    });
    socket.on('error', reject);
  });
}

/** Spawns redis-server and waits for its "Ready to accept connections" line, then a PING. */
async function launch(dir: string, port: number, appendfsync: AppendFsync): Promise<Running> {
  const child = spawn(REDIS_SERVER_PATH, serverArgs(dir, port, appendfsync), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  // A test file that dies must not leave its redis-server running.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) =>
    child.on('exit', () => {
      process.off('exit', killOnExit);
      resolve();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', reject);
    void exited.then(() => reject(new Error(`redis-server exited before it was ready:\n${output}`)));
  });
  await ping(port);
  return { child, exited, output: () => output };
}

async function signal(running: Running | undefined, name: NodeJS.Signals): Promise<void> {
  if (!running || running.child.exitCode !== null || running.child.signalCode !== null) return;
  running.child.kill(name);
  await running.exited;
}

/** Starts a redis-server on a free loopback port in a fresh temp dir, AOF on, and waits until it answers PING. */
export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  const appendfsync = options.appendfsync ?? 'always';
  const dir = mkdtempSync(join(tmpdir(), 'readcounter-redis-'));
  let port = 0;
  let running: Running | undefined;
  for (let attempt = 1; running === undefined; attempt++) {
    port = await freePort();
    try {
      running = await launch(dir, port, appendfsync);
    } catch (error) {
      // Another process may take the port between freePort() and the bind; try a new one.
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    output: () => running?.output() ?? '',
    stop: () => signal(running, 'SIGTERM'),
    kill9: () => signal(running, 'SIGKILL'),
    async restart() {
      await signal(running, 'SIGTERM');
      running = await launch(dir, port, appendfsync);
    },
    async cleanup() {
      await signal(running, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
