import { accessSync, constants, existsSync, statSync, statfsSync } from 'node:fs';

// Writes stop while less than this is free. LMDB maps its lock file into memory, so a start on
// a full disk dies of SIGBUS; and lmdb-js 3.5 overflows a heap buffer while reporting a failed
// page write (ENOSPC, EROFS). So the store refuses to write before LMDB would fail.
const MIN_FREE_BYTES = 1 << 20;

/** How a disk-full answer of a RoomCheck begins. */
export const DISK_FULL = 'the disk is full';

/** Why a folder cannot take a write now (read-only, nearly full), or undefined when it can. */
export type RoomCheck = () => string | undefined;

/**
 * Checks `dir` for room to write, once per event-loop turn. lmdb-js commits every write of a
 * turn as one batch, so each batch is checked just before it goes to disk, at the cost of two
 * system calls per batch rather than per read. (Reusing an "ample" answer for a second left a
 * window in which another process could fill the disk under LMDB.)
 */
export function createRoomCheck(dir: string): RoomCheck {
  let answer: string | undefined;
  let fresh = false;
  const expire = (): void => void (fresh = false);
  return () => {
    if (fresh) return answer;
    answer = check(dir);
    fresh = true;
    setImmediate(expire);
    return answer;
  };
}

function check(dir: string): string | undefined {
  try {
    accessSync(dir, constants.W_OK);
    const { bavail, bsize } = statfsSync(dir);
    const free = bavail * bsize;
    if (free >= MIN_FREE_BYTES) return undefined;
    return `${DISK_FULL} (${Math.floor(free / 1024)} KB free, at least ${MIN_FREE_BYTES / 1024} KB needed); free some space or grow the volume`;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * True when an LMDB file and its lock file were both created before. Only then may LMDB open
 * on a full disk: creating or growing the memory-mapped lock file there dies of SIGBUS.
 */
export function lmdbFilesExist(file: string): boolean {
  const lock = `${file}-lock`;
  return existsSync(file) && existsSync(lock) && statSync(lock).size > 0;
}
