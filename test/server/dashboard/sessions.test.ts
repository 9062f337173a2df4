import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../server/store.js';
import { MAX_SESSIONS, SESSION_TTL_MS, openSessions } from '../../../server/dashboard/sessions.js';
import { bearerToken, tokenMatches } from '../../../server/dashboard/token.js';

const TOKEN = 'first-admin-token-0123456789';

describe('admin sessions', () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'readcounter-sessions-'));
    store = openStore(dir);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lasts SESSION_TTL_MS, then ends', async () => {
    const sessions = openSessions(store.root, TOKEN);
    const cookie = await sessions.create(1000);
    expect(sessions.valid(cookie, 1000 + SESSION_TTL_MS - 1)).toBe(true);
    expect(sessions.valid(cookie, 1000 + SESSION_TTL_MS)).toBe(false);
  });

  it('ends at logout', async () => {
    const sessions = openSessions(store.root, TOKEN);
    const cookie = await sessions.create(1000);
    await sessions.revoke(cookie);
    expect(sessions.valid(cookie, 1000)).toBe(false);
  });

  it('ends every session when ADMIN_TOKEN changes', async () => {
    const cookie = await openSessions(store.root, TOKEN).create(1000);
    expect(openSessions(store.root, 'second-admin-token-0123456789').valid(cookie, 1000)).toBe(false);
    expect(openSessions(store.root, TOKEN).valid(cookie, 1000)).toBe(true);
  });

  it('never stores the cookie value itself', async () => {
    const cookie = await openSessions(store.root, TOKEN).create(1000);
    const keys = [...store.root.openDB<number, string>({ name: 'admin-sessions' }).getKeys()];
    expect(keys).toHaveLength(1);
    expect(keys).not.toContain(cookie);
  });

  it(`keeps at most ${MAX_SESSIONS} sessions, dropping the oldest`, async () => {
    const sessions = openSessions(store.root, TOKEN);
    const first = await sessions.create(1000);
    for (let i = 1; i <= MAX_SESSIONS; i++) await sessions.create(1000 + i);
    expect(sessions.valid(first, 2000)).toBe(false);
  });

  it('refuses malformed cookie values without a lookup', () => {
    const sessions = openSessions(store.root, TOKEN);
    for (const value of [undefined, '', 'x', 'A'.repeat(44), `${'A'.repeat(42)}!`]) expect(sessions.valid(value, 0)).toBe(false);
  });
});

describe('admin token', () => {
  it('matches only the exact token, whatever the length', () => {
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(`${TOKEN}x`, TOKEN)).toBe(false);
    expect(tokenMatches(TOKEN.slice(0, -1), TOKEN)).toBe(false);
    expect(tokenMatches('', TOKEN)).toBe(false);
  });

  it('reads a Bearer header', () => {
    expect(bearerToken(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerToken(`bearer  ${TOKEN} `)).toBe(TOKEN);
    expect(bearerToken(`Basic ${TOKEN}`)).toBeUndefined();
    expect(bearerToken(`Bearer a b`)).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
