import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { STORE_FILE, openLmdbStore, type LmdbStore } from '../store/lmdb/lmdb-store.js';
import { StoreError } from '../store/port.js';
import { CliError, UsageError } from './errors.js';

/** DATA_DIR for a command: `--data-dir`, else the DATA_DIR variable, else ./data (as the server reads it). */
export function resolveDataDir(env: Record<string, string | undefined>, flag: string | undefined): string {
  try {
    const config = loadConfig({ DATA_DIR: env.DATA_DIR }, flag === undefined ? [] : [`--data-dir=${flag}`]);
    return resolve(config.dataDir);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** Path of the LMDB file in DATA_DIR. */
export function storePath(dataDir: string): string {
  return join(dataDir, STORE_FILE);
}

/**
 * Run as root on a DATA_DIR someone else owns (`fly ssh console`, `docker exec`), the CLI
 * becomes that owner first, so nothing it writes there is ever root-owned and unwritable
 * for the server.
 */
export function actAsOwnerOf(dataDir: string): void {
  if (process.getuid?.() !== 0 || !existsSync(dataDir)) return;
  const { uid, gid } = statSync(dataDir);
  if (uid === 0) return;
  process.setgroups?.([gid]);
  process.setgid?.(gid);
  process.setuid?.(uid);
}

/** Opens the store in DATA_DIR, failing (rather than creating one) when there is none. */
export function openExistingStore(dataDir: string): LmdbStore {
  if (!existsSync(storePath(dataDir))) {
    throw new CliError(`DATA_DIR ${JSON.stringify(dataDir)} holds no store (${STORE_FILE} is missing). Pass --data-dir or set DATA_DIR to the server's data folder.`);
  }
  return openAnyStore(dataDir);
}

/** Opens (creating if needed) the store in DATA_DIR, as a CliError when it cannot. */
export function openAnyStore(dataDir: string): LmdbStore {
  try {
    return openLmdbStore(dataDir);
  } catch (error) {
    if (error instanceof StoreError) throw new CliError(error.message);
    throw error;
  }
}
