import { describe, expect, it } from 'vitest';
import { tempLmdbStore } from '../../helpers/lmdb.js';
import { MAX_SESSIONS, SESSION_TTL_MS, openSessions } from '../../../server/dashboard/sessions.js';
import { bearerToken, tokenMatches } from '../../../server/dashboard/token.js';

const TOKEN = 'first-admin-token-0123456789';

describe('admin sessions', () => {
  const temp = tempLmdbStore();

  it('lasts SESSION_TTL_MS, then ends', async () => {
    const sessions = openSessions(temp.store.sessions, TOKEN);
    const cookie = await sessions.create(1000);
    expect(await sessions.valid(cookie, 1000 + SESSION_TTL_MS - 1)).toBe(true);
    expect(await sessions.valid(cookie, 1000 + SESSION_TTL_MS)).toBe(false);
  });

  it('ends at logout', async () => {
    const sessions = openSessions(temp.store.sessions, TOKEN);
    const cookie = await sessions.create(1000);
    await sessions.revoke(cookie);
    expect(await sessions.valid(cookie, 1000)).toBe(false);
  });

  it('ends every session when ADMIN_TOKEN changes', async () => {
    const cookie = await openSessions(temp.store.sessions, TOKEN).create(1000);
    expect(await openSessions(temp.store.sessions, 'second-admin-token-0123456789').valid(cookie, 1000)).toBe(false);
    expect(await openSessions(temp.store.sessions, TOKEN).valid(cookie, 1000)).toBe(true);
  });

  it('never stores the cookie value itself', async () => {
    const cookie = await openSessions(temp.store.sessions, TOKEN).create(1000);
    const keys = [...temp.store.root.openDB<number, string>({ name: 'admin-sessions' }).getKeys()];
    expect(keys).toHaveLength(1);
    expect(keys).not.toContain(cookie);
  });

  it(`keeps at most ${MAX_SESSIONS} sessions, dropping the oldest`, async () => {
    const sessions = openSessions(temp.store.sessions, TOKEN);
    const first = await sessions.create(1000);
    for (let i = 1; i <= MAX_SESSIONS; i++) await sessions.create(1000 + i);
    expect(await sessions.valid(first, 2000)).toBe(false);
  });

  it('refuses malformed cookie values without a lookup', async () => {
    const sessions = openSessions(temp.store.sessions, TOKEN);
    for (const value of [undefined, '', 'x', 'A'.repeat(44), `${'A'.repeat(42)}!`]) expect(await sessions.valid(value, 0)).toBe(false);
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
