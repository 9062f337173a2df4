import type { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runServerProcess, startServerProcess } from '../helpers/process.js';
import { FAST_READS, openPage, storedCounts, streamReads, tempDir } from './helpers.js';

// What the docs and fly.toml promise: SHUTDOWN_TIMEOUT_MS in server/main.ts.
const DOCUMENTED_STOP_MS = 5_000;
const ARTICLES = ['/stop/a', '/stop/b', '/stop/c'];

describe('SIGTERM during a stream of reads', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('stop');
  });
  afterEach(() => dir.remove());

  it('exits 0 in time, stores every acknowledged read and closes every page with 1001', async () => {
    const env = { DATA_DIR: dir.path, ...FAST_READS };
    const server = await startServerProcess(env);
    const stream = await streamReads(`${server.url.replace(/^http/, 'ws')}/ws`, ARTICLES);
    await stream.ackedAtLeast(100);

    const started = performance.now();
    server.child.kill('SIGTERM');
    const exit = await server.exited;
    const took = performance.now() - started;
    await stream.closed;

    expect(exit, server.output()).toEqual({ code: 0, signal: null });
    expect(took).toBeLessThan(DOCUMENTED_STOP_MS);
    expect(server.output()).toMatch(/SIGTERM received[\s\S]*stopped cleanly/);
    expect(stream.closeCodes).toHaveLength(8);
    expect(new Set(stream.closeCodes)).toEqual(new Set([1001]));

    const again = await startServerProcess(env);
    const stored = await storedCounts(again.url, ARTICLES);
    for (const article of ARTICLES) {
      // Every `counted` reply was a committed read; nothing is stored that was never sent.
      expect(stored.get(article), article).toBeGreaterThanOrEqual(stream.acked.get(article) ?? 0);
      expect(stored.get(article), article).toBeGreaterThanOrEqual(stream.highest.get(article) ?? 0);
      expect(stored.get(article), article).toBeLessThanOrEqual(stream.sent.get(article) ?? 0);
    }
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
  });

  it('exits 0 in time when a page never answers the close frame', async () => {
    const server = await startServerProcess({ DATA_DIR: dir.path, ...FAST_READS });
    const page = await openPage(`${server.url.replace(/^http/, 'ws')}/ws`, () => {});
    page.send(JSON.stringify({ type: 'subscribe', article: '/stop/a' }));
    // The page stops reading, so it never sees the server's close frame and never answers it.
    (page as unknown as { _socket: Socket })._socket.pause();
    const started = performance.now();
    server.child.kill('SIGTERM');
    const exit = await server.exited;
    expect(exit, server.output()).toEqual({ code: 0, signal: null });
    expect(performance.now() - started).toBeLessThan(DOCUMENTED_STOP_MS);
    expect(server.output()).toMatch(/stopped cleanly/);
    page.terminate();
  });

  it('refuses a second server on the same DATA_DIR while the first runs, naming it', async () => {
    const env = { DATA_DIR: dir.path, ...FAST_READS };
    const first = await startServerProcess(env);
    const second = await runServerProcess({ ...env, HOST: '127.0.0.1', PORT: '0' });
    expect(second.code).toBe(1);
    expect(second.output).toMatch(/DATA_DIR ".*" is in use by another readcounter server/);
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
  });
});
