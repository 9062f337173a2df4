import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { BROWSER_UA, TEST_ORIGIN } from '../helpers/ws.js';
import { publicReads } from '../helpers/server.js';
import type { ServerMessage } from '../../shared/protocol.js';

/** The built CLI; `npm test` builds it first (pretest). */
export const CLI_JS = fileURLToPath(new URL('../../dist/server/cli.js', import.meta.url));

/** The site TEST_ORIGIN counts for. */
export const TEST_SITE = 'blog.example.com';

/** Settings for a server that counts every read at once and never rate-limits the test's one IP. */
export const FAST_READS = {
  DWELL_SECONDS: '0',
  DEDUPE: 'off',
  MAX_FRAMES_PER_SECOND: '10000',
  MAX_CONNECTIONS_PER_IP: '10000',
  MAX_READS_PER_IP_PER_MINUTE: '10000000',
};

/** A fresh temp folder, removed by the returned function. */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `readcounter-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Runs dist/server/cli.js to completion as its own process. */
export function runCliProcess(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI_JS, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Stored totals of `articles` on TEST_SITE, as /api/count serves them. */
export async function storedCounts(url: string, articles: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const article of articles) {
    counts.set(article, await publicReads(url, TEST_SITE, article));
  }
  return counts;
}

/** A raw page socket (no helper buffering): every frame goes to `onFrame`. */
export function openPage(wsUrl: string, onFrame: (message: ServerMessage) => void): Promise<WebSocket> {
  const ws = new WebSocket(wsUrl, { origin: TEST_ORIGIN, headers: { 'user-agent': BROWSER_UA } });
  ws.on('message', (data) => onFrame(JSON.parse(data.toString()) as ServerMessage));
  ws.on('error', () => {
    // A killed server resets the socket; the close event tells the caller.
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('close', () => reject(new Error('socket closed before it opened')));
  });
}

/** What a stream of reads saw: acknowledged counts, sends and how the sockets were closed. */
export interface ReadStream {
  /** Highest count each article was ever sent, as `count` (watchers) or `counted` (readers). */
  highest: Map<string, number>;
  /** `counted` replies per article: reads the server acknowledged as committed. */
  acked: Map<string, number>;
  /** `read` frames sent per article. */
  sent: Map<string, number>;
  /** Close code of every socket, once closed. */
  closeCodes: number[];
  /** Resolves once `n` reads in total were acknowledged. */
  ackedAtLeast(n: number): Promise<void>;
  /** Resolves when every socket has closed (after the server went away, or stop()). */
  closed: Promise<void>;
  /** Stops sending and closes the sockets. */
  stop(): Promise<void>;
}

/**
 * Drives reads into a server as fast as it acknowledges them: `readers` sockets cycle through
 * `articles` (subscribe, read, unsubscribe), while `watchers` sockets watch every article and
 * record every count they are sent.
 */
export async function streamReads(wsUrl: string, articles: readonly string[], { readers = 6, watchers = 2 } = {}): Promise<ReadStream> {
  const highest = new Map<string, number>();
  const acked = new Map<string, number>();
  const sent = new Map<string, number>();
  const closeCodes: number[] = [];
  const bump = (map: Map<string, number>, key: string, by = 1): void => void map.set(key, (map.get(key) ?? 0) + by);
  const see = (article: string, reads: number): void => void highest.set(article, Math.max(highest.get(article) ?? 0, reads));
  let totalAcked = 0;
  let ackWaiters: { n: number; wake: () => void }[] = [];
  let stopped = false;
  const sockets: WebSocket[] = [];

  for (let w = 0; w < watchers; w++) {
    const ws = await openPage(wsUrl, (m) => {
      if (m.type === 'count') see(m.article, m.reads);
    });
    for (const article of articles) ws.send(JSON.stringify({ type: 'subscribe', article, mode: 'watching' }));
    sockets.push(ws);
  }
  for (let r = 0; r < readers; r++) {
    let next = r % articles.length;
    let ws: WebSocket;
    const cycle = (): void => {
      if (stopped || ws.readyState !== WebSocket.OPEN) return;
      const article = articles[next++ % articles.length]!;
      bump(sent, article);
      ws.send(JSON.stringify({ type: 'subscribe', article }));
      ws.send(JSON.stringify({ type: 'read', article }));
      ws.send(JSON.stringify({ type: 'unsubscribe', article }));
    };
    ws = await openPage(wsUrl, (m) => {
      if (m.type === 'count') see(m.article, m.reads);
      if (m.type === 'counted') {
        see(m.article, m.reads);
        bump(acked, m.article);
        totalAcked++;
        ackWaiters = ackWaiters.filter((waiter) => (totalAcked >= waiter.n ? void waiter.wake() : true));
      }
      if (m.type === 'counted' || (m.type === 'error' && m.code !== 'not_subscribed')) cycle();
    });
    sockets.push(ws);
    cycle();
  }
  const closed = Promise.all(
    sockets.map((ws) => (ws.readyState === WebSocket.CLOSED ? Promise.resolve() : new Promise<void>((resolve) => ws.once('close', (code) => {
      closeCodes.push(code);
      resolve();
    })))),
  ).then(() => undefined);

  return {
    highest,
    acked,
    sent,
    closeCodes,
    closed,
    ackedAtLeast: (n) => (totalAcked >= n ? Promise.resolve() : new Promise((wake) => ackWaiters.push({ n, wake }))),
    async stop() {
      stopped = true;
      for (const ws of sockets) ws.close();
      await closed;
    },
  };
}

/** True when this process may mount a tmpfs (root with CAP_SYS_ADMIN, as in CI here). */
export function canMountTmpfs(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'readcounter-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

/** A tiny tmpfs: a real disk that really fills up, or is really read-only. */
export function mountTmpfs(size: string, options = ''): { path: string; unmount: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'readcounter-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${options === '' ? '' : `,${options}`}`, 'tmpfs', path]);
  return {
    path,
    unmount() {
      execFileSync('umount', ['-l', path]);
      rmSync(path, { recursive: true, force: true });
    },
  };
}
