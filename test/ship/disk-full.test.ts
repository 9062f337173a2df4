import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runServerProcess, startServerProcess } from '../helpers/process.js';
import { connect, type TestSocket } from '../helpers/ws.js';
import { FAST_READS, canMountTmpfs, mountTmpfs, storedCounts } from './helpers.js';
import { openLmdbStore } from '../../server/store/lmdb/lmdb-store.js';

// Tests run as root, so chmod cannot stop a write. A tiny tmpfs is a real disk that really
// fills up, or is really read-only. Without the right to mount (not root), say so and skip.
const CAN_MOUNT = canMountTmpfs();
if (!CAN_MOUNT) console.warn('test/ship/disk-full.test.ts skipped: mounting a tmpfs needs root (CAP_SYS_ADMIN)');

/** Writes zeros until the disk says ENOSPC; returns a function that frees them again. */
function fillDisk(dir: string): () => void {
  const filler = join(dir, 'filler');
  // All but the last MB in one call, as fast as another process could fill it; then the rest.
  const { bavail, bsize } = statfsSync(dir);
  const bulk = bavail * bsize - (1 << 20);
  if (bulk > 0) execFileSync('fallocate', ['-l', String(bulk), filler]);
  const fd = openSync(filler, 'a');
  const block = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return () => rmSync(filler);
}

async function read(page: TestSocket, article: string) {
  page.send({ type: 'subscribe', article });
  page.send({ type: 'read', article });
  const reply = await page.nextWhere((m) => (m.type === 'counted' || m.type === 'error') && m.article === article);
  page.send({ type: 'unsubscribe', article });
  return reply;
}

// In CI (a root machine like this one) the suite must run: a skip there would pass unseen.
describe.skipIf(!CAN_MOUNT && process.env.CI === undefined)('a full or read-only DATA_DIR', () => {
  const mounts: { unmount: () => void }[] = [];
  afterEach(() => {
    for (const mount of mounts.splice(0)) mount.unmount();
  });

  it('at start: refuses a read-only DATA_DIR with exit 1, naming it', async () => {
    const disk = mountTmpfs('1m', 'ro');
    mounts.push(disk);
    const result = await runServerProcess({ DATA_DIR: disk.path, HOST: '127.0.0.1', PORT: '0' });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(new RegExp(`DATA_DIR "${disk.path}" cannot be used: .*read-only file system`));
  });

  it('at start: refuses a full disk with exit 1, naming DATA_DIR, instead of dying in LMDB', async () => {
    const disk = mountTmpfs('2m');
    mounts.push(disk);
    const dataDir = join(disk.path, 'data');
    mkdirSync(dataDir);
    fillDisk(disk.path);
    const result = await runServerProcess({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0' });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(new RegExp(`DATA_DIR "${dataDir}" cannot be used: the disk is full \\(0 KB free`));
  });

  it('at restart on a full disk: serves the stored counts with /healthz 503, refuses reads, and recovers', async () => {
    const disk = mountTmpfs('8m');
    mounts.push(disk);
    const env = { DATA_DIR: join(disk.path, 'data'), ...FAST_READS };
    const first = await startServerProcess(env);
    const page = await connect(`${first.url.replace(/^http/, 'ws')}/ws`);
    for (let i = 0; i < 3; i++) expect(await read(page, '/kept')).toMatchObject({ type: 'counted', reads: i + 1 });
    await page.close();
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);

    const free = fillDisk(disk.path);
    const server = await startServerProcess(env);
    expect(server.output()).toMatch(/the disk is full .*Serving the stored counts/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
    expect(await storedCounts(server.url, ['/kept'])).toEqual(new Map([['/kept', 3]]));
    const again = await connect(`${server.url.replace(/^http/, 'ws')}/ws`);
    expect(await read(again, '/kept')).toMatchObject({ type: 'error', code: 'store_unavailable' });
    expect(await storedCounts(server.url, ['/kept'])).toEqual(new Map([['/kept', 3]]));

    free();
    expect(await read(again, '/kept')).toMatchObject({ type: 'counted', reads: 4 });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await again.close();
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  });

  it('checks for room before every write batch: a disk filled by another process a moment after a write is seen', async () => {
    // Over 256 MB free: the old check reused such an "ample" answer for a whole second.
    const disk = mountTmpfs('300m');
    mounts.push(disk);
    const store = openLmdbStore(join(disk.path, 'data'));
    try {
      expect(await store.increment('blog.example.com', '/a', Date.now())).toBe(1);
      const free = fillDisk(disk.path);
      await expect(store.increment('blog.example.com', '/a', Date.now())).rejects.toThrow(/cannot be written: the disk is full/);
      free();
      await new Promise((resolve) => setImmediate(resolve));
      expect(await store.increment('blog.example.com', '/a', Date.now())).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('at run time: refuses reads with store_unavailable and turns /healthz 503, keeps what was stored, and recovers', async () => {
    const disk = mountTmpfs('8m');
    mounts.push(disk);
    const env = { DATA_DIR: join(disk.path, 'data'), ...FAST_READS };
    const server = await startServerProcess(env);
    const page = await connect(`${server.url.replace(/^http/, 'ws')}/ws`);
    for (let i = 0; i < 3; i++) expect(await read(page, '/kept')).toMatchObject({ type: 'counted', reads: i + 1 });

    const free = fillDisk(disk.path);
    expect(await read(page, '/while-full')).toMatchObject({ type: 'error', code: 'store_unavailable' });
    expect(await read(page, '/kept')).toMatchObject({ type: 'error', code: 'store_unavailable' });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
    // Counts already stored are still served, unchanged.
    expect((await storedCounts(server.url, ['/kept', '/while-full'])).get('/kept')).toBe(3);

    free();
    expect(await read(page, '/kept')).toMatchObject({ type: 'counted', reads: 4 });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await page.close();
    server.child.kill('SIGTERM');
    expect((await server.exited).code, server.output()).toBe(0);
    expect(server.output()).toMatch(/DATA_DIR ".*" cannot be written: the disk is full/);

    const again = await startServerProcess(env);
    expect(await storedCounts(again.url, ['/kept', '/while-full'])).toEqual(new Map([['/kept', 4], ['/while-full', 0]]));
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
  });
});
