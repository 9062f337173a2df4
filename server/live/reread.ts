import type { Store } from '../store/port.js';
import type { Hub } from './hub.js';

/**
 * Reads the committed count of every article this node's pages show, one `readsOf` per site
 * (all sites at once: a network store pipelines them), and publishes each to the hub (latest
 * wins). Used when counts may have changed behind the hub's back: after an import, and after
 * a reconnect to Redis. Resolves with the first failure, if any; the others still publish.
 */
export async function rereadShownCounts(hub: Pick<Hub, 'publish' | 'topics'>, store: Pick<Store, 'readsOf'>): Promise<Error | undefined> {
  const bySite = new Map<string, string[]>();
  for (const topic of hub.topics()) {
    const articles = bySite.get(topic.site);
    if (articles === undefined) bySite.set(topic.site, [topic.article]);
    else articles.push(topic.article);
  }
  const results = await Promise.allSettled(
    [...bySite].map(async ([site, articles]) => {
      const reads = await store.readsOf(site, articles);
      for (const [i, article] of articles.entries()) hub.publish(site, article, reads[i]!);
    }),
  );
  const failed = results.find((result) => result.status === 'rejected');
  return failed === undefined ? undefined : (failed.reason as Error);
}
