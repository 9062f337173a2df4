import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, openLmdbStore, type LmdbStore } from '../../server/store/lmdb/lmdb-store.js';
import { StoreCapError } from '../../server/store/port.js';
import { readAll } from '../../server/store/read-all.js';

const T0 = Date.UTC(2026, 2, 1, 10);
const DAY = 86_400_000;

/** Each site's reads and articles, summed from the article totals: what the running totals must equal. */
async function summed(store: LmdbStore): Promise<Array<{ site: string; reads: number; articles: number }>> {
  const bySite = new Map<string, { site: string; reads: number; articles: number }>();
  for await (const { site, reads } of store.totals()) {
    const found = bySite.get(site) ?? { site, reads: 0, articles: 0 };
    found.reads += reads;
    found.articles++;
    bySite.set(site, found);
  }
  return [...bySite.values()];
}

describe('per-site running totals', () => {
  let dir: string;
  let store: LmdbStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'readcounter-sites-'));
    store = openLmdbStore(dir);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('grows with every read, in the same commit as the article total', async () => {
    await Promise.all([
      store.increment('a.example', '/x', T0),
      store.increment('a.example', '/x', T0),
      store.increment('a.example', '/y', T0 + DAY),
      store.increment('b.example', '/x', T0),
    ]);
    expect(await store.siteTotal('a.example')).toEqual({ reads: 3, articles: 2 });
    expect(await store.siteTotal('b.example')).toEqual({ reads: 1, articles: 1 });
    expect(await store.siteTotal('unknown.example')).toEqual({ reads: 0, articles: 0 });
    expect((await readAll(store.sites()))).toEqual(await summed(store));
  });

  it('does not move for a read already seen today', async () => {
    await store.increment('a.example', '/x', T0, 'reader-1');
    expect(await store.increment('a.example', '/x', T0, 'reader-1')).toBeUndefined();
    expect(await store.siteTotal('a.example')).toEqual({ reads: 1, articles: 1 });
  });

  it('is kept by the import merge: days and totals that grow add to the site, the rest change nothing', async () => {
    await store.increment('a.example', '/x', T0);
    const rows = [
      { site: 'a.example', article: '/x', day: '2026-03-01', reads: 5 },
      { site: 'a.example', article: '/new', day: '2026-02-01', reads: 2 },
    ];
    const totals = [{ site: 'a.example', article: '/old', reads: 40 }];
    await store.mergeCounts(rows, totals);
    expect(await store.siteTotal('a.example')).toEqual({ reads: 47, articles: 3 });
    await store.mergeCounts(rows, totals);
    expect(await store.siteTotal('a.example')).toEqual({ reads: 47, articles: 3 });
    expect((await readAll(store.sites()))).toEqual(await summed(store));
  });

  it('is derived once from the article totals when a schema 1 store opens', async () => {
    await store.increment('a.example', '/x', T0);
    await store.increment('a.example', '/y', T0);
    await store.increment('b.example', '/z', T0);
    // What a store written by the previous release looks like: no per-site table, schema 1.
    await store.root.openDB({ name: 'sites' }).drop();
    await store.root.openDB({ name: 'meta' }).put('schemaVersion', 1);
    await store.close();
    store = openLmdbStore(dir);
    expect((await readAll(store.sites()))).toEqual([
      { site: 'a.example', reads: 2, articles: 2 },
      { site: 'b.example', reads: 1, articles: 1 },
    ]);
    expect(store.root.openDB({ name: 'meta' }).get('schemaVersion')).toBe(SCHEMA_VERSION);
    expect(await store.increment('a.example', '/x', T0)).toBe(2);
    expect(await store.siteTotal('a.example')).toEqual({ reads: 3, articles: 2 });
  });
});

describe('store caps', () => {
  let dir: string;
  let store: LmdbStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'readcounter-caps-'));
    store = openLmdbStore(dir, () => {}, { maxSites: 2, maxArticlesPerSite: 2 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a read that would create a third site, and changes nothing', async () => {
    await store.increment('a.example', '/x', T0);
    await store.increment('b.example', '/x', T0);
    const before = (await readAll(store.totals()));
    const refusal = await store.increment('c.example', '/x', T0).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(StoreCapError);
    expect(refusal).toMatchObject({ code: 'too_many_sites', message: expect.stringMatching(/at most 2 sites \(MAX_SITES\)/) });
    expect((await readAll(store.totals()))).toEqual(before);
    expect(await store.siteTotal('c.example')).toEqual({ reads: 0, articles: 0 });
    expect(await store.daily('c.example', '2026-01-01', '2026-12-31')).toEqual([]);
    expect(await store.checkWritable(T0)).toBe(true);
  });

  it('refuses a read that would create a third article of a site, and leaves the reader unspent', async () => {
    await store.increment('a.example', '/x', T0);
    await store.increment('a.example', '/y', T0);
    const refusal = await store.increment('a.example', '/z', T0, 'reader-1').catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'too_many_articles', message: expect.stringMatching(/at most 2 articles per site \(MAX_ARTICLES_PER_SITE\)/) });
    expect(await store.reads('a.example', '/z')).toBe(0);
    expect(await store.siteTotal('a.example')).toEqual({ reads: 2, articles: 2 });
    // The same reader still counts on an article that exists: the refusal spent nothing.
    expect(await store.increment('a.example', '/x', T0, 'reader-1')).toBe(2);
  });

  it('keeps counting sites and articles that already exist, even past the caps', async () => {
    await store.close();
    store = openLmdbStore(dir);
    for (const site of ['a.example', 'b.example', 'c.example']) for (const article of ['/x', '/y', '/z']) await store.increment(site, article, T0);
    await store.close();
    store = openLmdbStore(dir, () => {}, { maxSites: 2, maxArticlesPerSite: 2 });
    expect(await store.increment('c.example', '/z', T0)).toBe(2);
    await expect(store.increment('c.example', '/new', T0)).rejects.toMatchObject({ code: 'too_many_articles' });
    await expect(store.increment('d.example', '/x', T0)).rejects.toMatchObject({ code: 'too_many_sites' });
  });
});
