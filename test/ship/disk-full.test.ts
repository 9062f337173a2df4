import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runServerProcess, startServerProcess } from '../helpers/process.js';
import { connect, type TestSocket } from '../helpers/ws.js';
import { FAST_READS, canMountTmpfs, mountTmpfs, storedCounts } from './helpers.js';

// Tests run as root, so chmod cannot stop a write. A tiny tmpfs is a real disk that really
// fills up, or is really read-only. Without the right to mount (not root), say so and skip.
const CAN_MOUNT = canMountTmpfs();
if (!CAN_MOUNT) console.warn('test/ship/disk-full.test.ts skipped: mounting a tmpfs needs root (CAP_SYS_ADMIN)');

/** Writes zeros until the disk says ENOSPC; returns a function that frees them again. */
function fillDisk(dir: string): () => void {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
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
