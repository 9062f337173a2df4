// Starts a server under test as its own process and reads its CPU, memory and open files
// from the outside (/proc), plus heap figures through the preloaded probe.
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { track } from './children.mjs';
import { now } from './raw-socket.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROBE = new URL('./probe.mjs', import.meta.url).href;
const CLOCK_TICKS_PER_SECOND = 100;

/** The two servers a run compares. */
export const SERVERS = {
  readcounter: join(ROOT, 'dist/server/main.js'),
  baseline: join(ROOT, 'bench/baseline-server.mjs'),
};

// Limits a real deployment keeps low, raised so the bench's thousands of loopback clients
// are not mistaken for a flood. Unknown names are ignored by the server's config.
const BENCH_ENV = {
  HOST: '127.0.0.1',
  PORT: '0',
  DWELL_SECONDS: '0',
  ALLOWED_ORIGINS: '',
  MAX_CONNECTIONS_PER_IP: '10000',
  MAX_READS_PER_IP_PER_MINUTE: '10000000',
  MAX_READS_PER_IP_PER_ARTICLE_PER_DAY: '10000000',
  MAX_TCP_CONNECTIONS_PER_IP: '1000000',
  MAX_TCP_CONNECTIONS: '1000000',
  MAX_SUBSCRIPTIONS_PER_IP: '10000000',
  MAX_WATCHED_ARTICLES_PER_SITE: '10000000',
};

/**
 * Starts `kind` ('readcounter' or 'baseline') with a fresh DATA_DIR and waits until it
 * listens. `env` adds settings (e.g. DEDUPE).
 * @param {'readcounter' | 'baseline'} kind
 * @param {{ env?: Record<string, string> }} [options]
 */
export async function startServer(kind, { env = {} } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'readcounter-bench-'));
  /** @type {import('node:child_process').ChildProcess} */
  let child;
  let output = '';
  /** Forks the server on `port` (0: any) and resolves with its URL once it listens. */
  const launch = (/** @type {number} */ port) => {
    child = track(fork(SERVERS[kind], [], {
      cwd: ROOT,
      env: { ...process.env, ...BENCH_ENV, DEDUPE: 'off', DATA_DIR: dataDir, ...env, PORT: String(port) },
      execArgv: ['--import', PROBE, '--expose-gc'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    }));
    output = '';
    return listening(kind, child, (chunk) => (output += chunk), () => output);
  };
  const url = await launch(0);
  const { hostname, port } = new URL(url);
  let probeId = 0;
  /** One question to the probe, answered within 20 s. @param {object} question */
  const ask = (question) => {
    const id = ++probeId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${kind} did not answer the probe`)), 20_000);
      const onMessage = (/** @type {any} */ m) => {
        if (m?.id !== id) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        if (m.error) reject(new Error(m.error));
        else resolve(m);
      };
      child.on('message', onMessage);
      child.send({ ...question, id });
    });
  };

  return {
    kind,
    get pid() {
      return /** @type {number} */ (child.pid);
    },
    host: hostname,
    port: Number(port),
    get output() {
      return output;
    },
    /** User + system CPU time of the server so far, in ms (10 ms resolution). */
    cpuMs() {
      const { user, system } = this.cpu();
      return user + system;
    },
    /** User and system (kernel) CPU time so far, in ms, from /proc/PID/stat. */
    cpu() {
      return processCpu(/** @type {number} */ (child.pid));
    },
    /** Files the server holds open now. */
    openFiles() {
      return readdirSync(`/proc/${child.pid}/fd`).length;
    },
    /** RSS and heap in bytes, after two full GCs when `gc`. */
    memory(gc = true) {
      return ask({ type: 'memory', gc });
    },
    /** Starts a CPU profile of the server (inspector, 200 µs sampling). */
    startProfile() {
      return ask({ type: 'profile', action: 'start' });
    },
    /** Stops the profile and writes it to `file` (.cpuprofile, for DevTools or bench/profile-top.mjs). */
    stopProfile(/** @type {string} */ file) {
      return ask({ type: 'profile', action: 'stop', file });
    },
    /**
     * Stops the server (SIGTERM, or SIGKILL when `kill`) and starts it again on the same port
     * and DATA_DIR. Returns when it was told to stop, when it exited, and when it listened again.
     */
    async restart({ kill = false, graceMs = 8_000 } = {}) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const stoppedAt = now();
      child.kill(kill ? 'SIGKILL' : 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      const closedAt = now();
      await launch(Number(port));
      return { stoppedAt, closedAt, listeningAt: now() };
    },
    /** SIGTERM, then SIGKILL after `graceMs`; removes the data folder. */
    async stop(graceMs = 8_000) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** @typedef {Awaited<ReturnType<typeof startServer>>} ServerUnderTest */

/** User and system (kernel) CPU time of process `pid` so far, in ms, from /proc/PID/stat. */
export function processCpu(/** @type {number} */ pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: (Number(fields[11]) * 1000) / CLOCK_TICKS_PER_SECOND, system: (Number(fields[12]) * 1000) / CLOCK_TICKS_PER_SECOND };
}

/**
 * Resolves with the URL a server prints once it listens; rejects if it exits first or takes
 * more than 15 s.
 * @param {string} kind @param {import('node:child_process').ChildProcess} child
 * @param {(chunk: Buffer) => void} append @param {() => string} output
 * @returns {Promise<string>}
 */
function listening(kind, child, append, output) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} did not start within 15 s:\n${output()}`)), 15_000);
    const onExit = (/** @type {number | null} */ code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} exited with ${code} before listening:\n${output()}`));
    };
    child.stdout?.on('data', (/** @type {Buffer} */ chunk) => {
      append(chunk);
      const match = /listening on (http:\/\/[^\s)]+)/.exec(output());
      if (match) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', append);
    child.once('exit', onExit);
  });
}
