import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { STORE_FILE } from './store/lmdb/lmdb-store.js';
import { StoreError } from './store/port.js';

/** A restore staged by `readcounter restore --at-next-start`, inside DATA_DIR. */
export const PENDING_RESTORE_FILE = 'restore-pending.mdb';

/** What applyPendingRestore() did. */
export interface AppliedRestore {
  /** The store that was replaced, kept beside it; undefined when DATA_DIR had none. */
  kept: string | undefined;
}

/**
 * Puts a staged restore in place of the store, before anything opens it. The replaced store
 * is renamed, never deleted. Each step is a rename, so a crash halfway is finished by the
 * next start. Returns undefined when no restore is staged.
 */
export function applyPendingRestore(dataDir: string, at: number): AppliedRestore | undefined {
  const dir = resolve(dataDir);
  const pending = join(dir, PENDING_RESTORE_FILE);
  if (!existsSync(pending)) return undefined;
  const current = join(dir, STORE_FILE);
  let kept: string | undefined;
  try {
    if (existsSync(current)) {
      kept = `${current}.before-restore-${new Date(at).toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z')}`;
      renameSync(current, kept);
    }
    renameSync(pending, current);
    // The reader table of the replaced store must not be taken for the restored one's.
    rmSync(`${current}-lock`, { force: true });
    rmSync(`${pending}-lock`, { force: true });
  } catch (error) {
    throw new StoreError(`DATA_DIR ${JSON.stringify(dir)}: the staged ${PENDING_RESTORE_FILE} could not be swapped in: ${(error as Error).message}. It must be a writable folder.`);
  }
  syncFolder(dir);
  return { kept };
}

// Renames are durable only once the folder itself is flushed.
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a folder; the renames still happened.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
