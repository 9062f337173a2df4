import { afterEach, beforeEach } from 'vitest';
import type { Store, StoreCaps } from '../../../server/store/port.js';
import { readAll } from '../../../server/store/read-all.js';

/** A fresh, empty store of one backend, and how to open it again on the same data. */
export interface StorePortHandle {
  store: Store;
  /** Closes the store and opens it again on the same data, with these caps (none when omitted). */
  reopen(caps?: StoreCaps): Promise<Store>;
  /** Closes the store and removes its data. */
  cleanup(): Promise<void>;
}

/** Opens a fresh, empty store with these caps (none when omitted). */
export type OpenStorePort = (caps?: StoreCaps) => Promise<StorePortHandle>;

/** 2026-03-01T10:00Z: far from midnight, so a read stays on its day. */
export const T0 = Date.UTC(2026, 2, 1, 10);
export const DAY = 86_400_000;
/** Small caps, so a test reaches them in a few reads. */
export const CAPS: StoreCaps = { maxSites: 2, maxArticlesPerSite: 2 };

/** The store of the running test (after a reopen, the reopened one). */
export interface FreshStore {
  readonly store: Store;
  reopen(caps?: StoreCaps): Promise<Store>;
}

/** Opens a fresh store before each test of the enclosing describe and cleans it up after. */
export function freshStore(open: OpenStorePort, caps?: StoreCaps): FreshStore {
  let handle: StorePortHandle | undefined;
  let store: Store | undefined;
  beforeEach(async () => {
    handle = await open(caps);
    store = handle.store;
  });
  afterEach(() => handle?.cleanup());
  return {
    get store() {
      if (store === undefined) throw new Error('no store outside a test');
      return store;
    },
    async reopen(withCaps) {
      store = await handle!.reopen(withCaps);
      return store;
    },
  };
}


/** Each site's reads and articles, summed from the article totals: what the running totals must equal. */
export async function summed(store: Store): Promise<Array<{ site: string; reads: number; articles: number }>> {
  const bySite = new Map<string, { site: string; reads: number; articles: number }>();
  for (const { site, reads } of await readAll(store.totals())) {
    const found = bySite.get(site) ?? { site, reads: 0, articles: 0 };
    found.reads += reads;
    found.articles++;
    bySite.set(site, found);
  }
  return [...bySite.values()];
}

/** Everything a store holds that a read can change, to show a refusal changed nothing. */
export async function everything(store: Store): Promise<unknown> {
  return { totals: await readAll(store.totals()), sites: await readAll(store.sites()) };
}
