import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { StoreError } from './store/port.js';
import { unusableDataDir } from './store/lmdb/lmdb-store.js';
import { listen } from './listen.js';

/** Name of the lock socket inside DATA_DIR while a server runs there. */
export const LOCK_SOCKET = 'readcounter.sock';

// Unix socket paths are cut at 107 bytes by the kernel; longer DATA_DIRs use a socket in the
// temp folder named by a hash of the folder, which the server and the CLI compute alike.
const MAX_SOCKET_PATH = 100;

/** The line `readcounter import` sends a running server after merging: open pages' counts changed. */
export const IMPORTED_SIGNAL = 'imported';

// A signal is one short line; anything longer is not from our CLI.
const MAX_SIGNAL_BYTES = 64;

/** A held lock on DATA_DIR; release() frees it (the kernel frees it too if the process dies). */
export interface DataLock {
  release(): Promise<void>;
  /** Calls `handler` each time a `readcounter import` on this DATA_DIR has merged counts. */
  onImported(handler: () => void): void;
}

/** Where the lock socket of `dataDir` lives. */
export function lockSocketPath(dataDir: string): string {
  const dir = resolve(dataDir);
  const inside = join(dir, LOCK_SOCKET);
  if (Buffer.byteLength(inside) <= MAX_SOCKET_PATH) return inside;
  return join(tmpdir(), `readcounter-${createHash('sha256').update(dir).digest('hex').slice(0, 16)}.sock`);
}

/**
 * True when a server holds `dataDir`: its lock socket accepts a connection. A socket file
 * left by a killed server refuses connections, so a crash never leaves DATA_DIR locked.
 */
export function isDataDirLocked(dataDir: string): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = createConnection(lockSocketPath(dataDir));
    socket.once('connect', () => {
      socket.destroy();
      resolvePromise(true);
    });
    socket.once('error', () => resolvePromise(false));
  });
}

/**
 * Tells the server running on `dataDir` (if any) that `readcounter import` merged counts, so
 * it re-reads the counts of open pages. Resolves true once a server took the signal, false
 * when none runs.
 */
export function signalImported(dataDir: string): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = createConnection(lockSocketPath(dataDir));
    socket.once('connect', () => socket.end(`${IMPORTED_SIGNAL}\n`));
    socket.once('close', (hadError) => resolvePromise(!hadError && socket.bytesWritten > 0));
    socket.once('error', () => {});
  });
}

/**
 * Takes DATA_DIR for this server by listening on its lock socket, so a second server (or a
 * `readcounter restore`) on the same folder is refused while this one runs. Fails with a
 * StoreError naming DATA_DIR.
 */
export async function acquireDataLock(dataDir: string): Promise<DataLock> {
  // Long because the lock is one sequence: check nobody answers, listen on the socket (which also takes import signals), then hand back release.
  const dir = resolve(dataDir);
  const path = lockSocketPath(dir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw unusableDataDir(dir, error);
  }
  const inUse = new StoreError(`DATA_DIR ${JSON.stringify(dir)} is in use by another readcounter server (${path} answers). Stop that server first, or give this one its own DATA_DIR.`);
  if (await isDataDirLocked(dir)) throw inUse;
  let imported: (() => void) | undefined;
  const server = createServer((socket) => {
    // isDataDirLocked() connects and hangs up; `readcounter import` sends one line first.
    let text = '';
    socket.setEncoding('utf8').unref();
    socket.on('error', () => {});
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > MAX_SIGNAL_BYTES) return void socket.destroy();
      if (!text.includes('\n')) return;
      if (text.trim() === IMPORTED_SIGNAL) imported?.();
      socket.end();
    });
  });
  try {
    // Nobody answers: any socket file there was left by a process that died.
    rmSync(path, { force: true });
    await listen(server, { path });
  } catch (error) {
    // Another server started in the same instant and bound the socket first.
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw inUse;
    throw unusableDataDir(dir, error);
  }
  // The lock must never keep a stopping process alive.
  server.unref();
  let released: Promise<void> | undefined;
  return {
    onImported: (handler) => void (imported = handler),
    release() {
      released ??= new Promise<void>((done) => server.close(() => done())).then(() => rmSync(path, { force: true }));
      return released;
    },
  };
}
