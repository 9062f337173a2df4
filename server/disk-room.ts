import { accessSync, constants, statfsSync } from 'node:fs';

// Writes stop while less than this is free. LMDB maps its lock file into memory, so a start on
// a full disk dies of SIGBUS; and lmdb-js 3.5 overflows a heap buffer while reporting a failed
// page write (ENOSPC, EROFS). So the store refuses to write before LMDB would fail.
const MIN_FREE_BYTES = 1 << 20;

// With this much free, no second of reads can fill the disk (a read commits well under a
// kilobyte), so the answer is reused for a second instead of costing two system calls per read.
const AMPLE_FREE_BYTES = 256 << 20;
const AMPLE_RECHECK_MS = 1_000;

/** Why a folder cannot take a write now (read-only, nearly full), or undefined when it can. */
export type RoomCheck = () => string | undefined;

/** Checks `dir` for room to write, reusing an ample answer for up to a second. */
export function createRoomCheck(dir: string): RoomCheck {
  let ampleUntil = -Infinity;
  return () => {
    if (performance.now() < ampleUntil) return undefined;
    try {
      accessSync(dir, constants.W_OK);
      const { bavail, bsize } = statfsSync(dir);
      const free = bavail * bsize;
      if (free >= AMPLE_FREE_BYTES) ampleUntil = performance.now() + AMPLE_RECHECK_MS;
      if (free >= MIN_FREE_BYTES) return undefined;
      return `the disk is full (${Math.floor(free / 1024)} KB free, at least ${MIN_FREE_BYTES / 1024} KB needed); free some space or grow the volume`;
    } catch (error) {
      return (error as Error).message;
    }
  };
}
