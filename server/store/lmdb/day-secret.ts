import { randomBytes } from 'node:crypto';
import type { RootDatabase } from 'lmdb';
import type { Tables } from './tables.js';
import type { WriteGuard } from './write-guard.js';

/** The store's daySecret(): the day's HMAC key, created on first use, forgetting every other day's. */
export function daySecret(root: RootDatabase, { secrets, seen }: Tables, guard: WriteGuard, day: string): Buffer {
  const found = secrets.get(day);
  if (found !== undefined) return found;
  const problem = guard.roomToWrite();
  if (problem !== undefined) throw guard.cannotWrite(problem);
  const secret = randomBytes(32);
  root.transactionSync(() => {
    for (const other of secrets.getKeys()) if (other !== day) secrets.remove(other);
    secrets.put(day, secret);
  });
  // Older days' seen keys are useless without their secret; drop them in the background.
  void root.transaction(() => {
    for (const key of seen.getKeys({ end: day })) seen.remove(key);
  });
  return secret;
}
