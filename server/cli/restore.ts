import { closeSync, copyFileSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { acquireDataLock, isDataDirLocked, lockSocketPath } from '../data-lock.js';
import { PENDING_RESTORE_FILE, applyPendingRestore } from '../pending-restore.js';
import { StoreError } from '../store/port.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import { inspectStoreFile } from './store-file.js';
import { refuseWithRedis } from './cli-store.js';

/** Options of `readcounter restore`. */
export interface RestoreOptions {
  /** Stage the file and let the server swap it in when it next starts (allowed while it runs). @default false */
  atNextStart: boolean;
}

/**
 * `readcounter restore <file>`: replaces the store with a backup. Refused while a server runs
 * on DATA_DIR (its lock socket answers): swapping files under a live LMDB would lose reads.
 * The replaced store is kept beside the new one, never deleted.
 */
export async function restore(ctx: CliContext, file: string, { atNextStart }: RestoreOptions): Promise<void> {
  refuseWithRedis(ctx, 'restore');
  const source = resolve(file);
  const summary = await inspectStoreFile(source);
  const running = await isDataDirLocked(ctx.dataDir);
  if (running && !atNextStart) {
    throw new CliError(
      `a readcounter server is running on DATA_DIR ${JSON.stringify(ctx.dataDir)} (${lockSocketPath(ctx.dataDir)} answers). ` +
        'Stop it first, or add --at-next-start and then restart it.',
    );
  }
  stage(source, ctx.dataDir);
  const what = `${summary.articles} articles, ${summary.reads} reads`;
  if (atNextStart) {
    ctx.stderr(`restore: staged ${source} (${what}); the server swaps it in when it next starts${running ? ': restart it now' : ''}`);
    return;
  }
  // Held while swapping, so a server starting at this moment waits its turn (it is refused).
  let lock;
  try {
    lock = await acquireDataLock(ctx.dataDir);
  } catch (error) {
    if (error instanceof StoreError) throw new CliError(`${error.message} Nothing was restored; ${PENDING_RESTORE_FILE} is staged for its next start.`);
    throw error;
  }
  try {
    const applied = applyPendingRestore(ctx.dataDir, ctx.now());
    const kept = applied?.kept === undefined ? '' : `; the previous store is kept as ${applied.kept}`;
    ctx.stderr(`restore: DATA_DIR ${JSON.stringify(ctx.dataDir)} now holds ${source} (${what})${kept}`);
  } finally {
    await lock.release();
  }
}

// Copied under a temporary name and flushed, then renamed: a staged file is always whole.
function stage(source: string, dataDir: string): void {
  const pending = join(dataDir, PENDING_RESTORE_FILE);
  const partial = `${pending}.partial`;
  try {
    mkdirSync(dataDir, { recursive: true });
    copyFileSync(source, partial);
    const fd = openSync(partial, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, pending);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new CliError(`could not copy ${source} into DATA_DIR ${JSON.stringify(dataDir)}: ${(error as Error).message}`);
  }
}
