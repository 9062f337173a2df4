// The driver's handle on its load generator processes: fork them, send commands, collect replies.
import { fork } from 'node:child_process';
import { track } from './children.mjs';
import { processCpu } from './server-process.mjs';

const WORKER = new URL('./load-worker.mjs', import.meta.url);

/** 127.0.0.1 … 127.0.0.50: fifty source addresses, so ephemeral ports never run out. */
export const SOURCE_ADDRESSES = Array.from({ length: 50 }, (_, i) => `127.0.0.${i + 1}`);

/** The Origin every bench client sends (the server refuses upgrades without one). */
export const ORIGIN = 'http://bench.local';

/**
 * Forks one generator process.
 * @param {string} name shows in user agents, so every reader is a distinct reader for DEDUPE
 */
export function startGenerator(name) {
  const child = track(fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=4096'] }));
  let nextId = 0;
  /** @type {Map<number, { resolve: (v: any) => void, reject: (e: Error) => void }>} */
  const waiting = new Map();
  child.on('message', (/** @type {any} */ message) => {
    const entry = waiting.get(message.id);
    if (entry === undefined) return;
    waiting.delete(message.id);
    if (message.ok) entry.resolve(message.result);
    else entry.reject(new Error(`generator ${name}: ${message.error}`));
  });
  child.on('exit', (code, signal) => {
    for (const entry of waiting.values()) entry.reject(new Error(`generator ${name} exited (${code ?? signal})`));
    waiting.clear();
  });

  return {
    name,
    /**
     * Runs one command in the generator, failing after `timeoutMs`.
     * @param {string} command @param {object} [args] @param {number} [timeoutMs]
     */
    call(command, args = {}, timeoutMs = 120_000) {
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`generator ${name}: ${command} took more than ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(id, {
          resolve: (v) => (clearTimeout(timer), resolve(v)),
          reject: (e) => (clearTimeout(timer), reject(e)),
        });
        child.send({ id, command, args });
      });
    },
    /** Points the generator at a server. @param {{ host: string, port: number }} server */
    target(server) {
      return this.call('setup', { host: server.host, port: server.port, origin: ORIGIN, addresses: SOURCE_ADDRESSES, name });
    },
    /** The generator's own CPU time so far, in ms (is the load, not the server, the bottleneck?). */
    cpuMs() {
      if (child.exitCode !== null || child.signalCode !== null) return NaN;
      const { user, system } = processCpu(/** @type {number} */ (child.pid));
      return user + system;
    },
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** @typedef {ReturnType<typeof startGenerator>} Generator */
