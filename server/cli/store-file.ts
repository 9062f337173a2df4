import { closeSync, existsSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { open } from 'lmdb';
import { OLDEST_SCHEMA_VERSION, SCHEMA_VERSION } from '../store/lmdb/lmdb-store.js';
import { CliError } from './errors.js';

/** What a store file holds, read without changing it. */
export interface StoreFileSummary {
  bytes: number;
  schemaVersion: number;
  articles: number;
  reads: number;
}

/**
 * Opens an LMDB file read-only and checks it is a readcounter store this release can read
 * (a backup, or a file to restore). Throws a CliError naming the file and what is wrong.
 */
export async function inspectStoreFile(path: string): Promise<StoreFileSummary> {
  if (!existsSync(path) || !statSync(path).isFile()) throw new CliError(`${path} does not exist or is not a file`);
  // lmdb-js crashes (SIGSEGV) on a file that is not LMDB, so look at its header first.
  if (!looksLikeLmdb(path)) throw new CliError(`${path} is not a readcounter backup: it is not an LMDB file (write one with \`readcounter backup\`)`);
  const lockFile = `${path}-lock`;
  const hadLockFile = existsSync(lockFile);
  let root;
  try {
    root = open({ path, readOnly: true, compression: false });
  } catch (error) {
    throw new CliError(`${path} is not a readcounter backup: ${(error as Error).message}`);
  }
  try {
    let schemaVersion: unknown;
    try {
      schemaVersion = root.openDB<unknown, string>({ name: 'meta' }).get('schemaVersion');
    } catch {
      schemaVersion = undefined;
    }
    if (schemaVersion === undefined) throw new CliError(`${path} is not a readcounter backup: it has no schema version (an LMDB file from something else?)`);
    // An older schema is fine: the store migrates it when the server opens it.
    if (typeof schemaVersion !== 'number' || schemaVersion < OLDEST_SCHEMA_VERSION || schemaVersion > SCHEMA_VERSION) {
      throw new CliError(`${path} holds schema version ${String(schemaVersion)}; this release reads versions ${OLDEST_SCHEMA_VERSION}–${SCHEMA_VERSION}. Use the readcounter release that wrote it.`);
    }
    let articles = 0;
    let reads = 0;
    for (const { value } of root.openDB<number, [string, string]>({ name: 'totals' }).getRange()) {
      articles++;
      reads += value;
    }
    return { bytes: statSync(path).size, schemaVersion, articles, reads };
  } finally {
    await root.close();
    // Opening a file leaves LMDB's reader table beside it; a backup should stay one file.
    if (!hadLockFile) rmSync(lockFile, { force: true });
  }
}

// The first meta page carries MDB_MAGIC (0xBEEFC0DE) after its 24-byte page header.
const LMDB_MAGIC = 0xbeefc0de;
const LMDB_MAGIC_OFFSET = 24;
const LMDB_MIN_BYTES = 8192;

function looksLikeLmdb(path: string): boolean {
  if (statSync(path).size < LMDB_MIN_BYTES) return false;
  const header = Buffer.alloc(LMDB_MAGIC_OFFSET + 4);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  return header.readUInt32LE(LMDB_MAGIC_OFFSET) === LMDB_MAGIC;
}

/** `24.0 KB`: a size for people. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
