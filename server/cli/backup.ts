import { existsSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import { openExistingStore } from './data-dir.js';
import { refuseWithRedis } from './cli-store.js';
import { formatBytes, inspectStoreFile } from './store-file.js';

/**
 * `readcounter backup <file>`: a consistent copy of the whole store (counts, daily buckets,
 * dedupe keys), safe while the server runs: LMDB copies one read snapshot, and the server's
 * writes carry on beside it.
 */
export async function backup(ctx: CliContext, file: string): Promise<void> {
  refuseWithRedis(ctx, 'backup');
  const target = resolve(file);
  if (existsSync(target)) throw new CliError(`${target} already exists; choose a new name or remove it first (a backup never overwrites)`);
  // Written under a temporary name, so an interrupted backup never looks like a finished one.
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const store = openExistingStore(ctx.dataDir);
  try {
    await store.backup(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw new CliError(`could not write the backup to ${target}: ${(error as Error).message}`);
  } finally {
    await store.close();
  }
  let summary;
  try {
    summary = await inspectStoreFile(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  renameSync(partial, target);
  ctx.stderr(`backup: wrote ${target} (${formatBytes(summary.bytes)}): ${summary.articles} articles, ${summary.reads} reads, schema ${summary.schemaVersion}`);
}
