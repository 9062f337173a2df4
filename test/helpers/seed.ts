import type { Store } from '../../server/store/port.js';

const DAY_MS = 86_400_000;

/** One article's reads per day, newest day last; `reads[i]` lands `reads.length - 1 - i` days before `now`. */
export interface SeedArticle {
  site: string;
  article: string;
  reads: number[];
}

/** Writes every read through store.increment(), the same path a counted reader takes. */
export async function seed(store: Store, now: number, articles: SeedArticle[]): Promise<void> {
  const writes: Promise<unknown>[] = [];
  for (const { site, article, reads } of articles) {
    reads.forEach((count, i) => {
      const at = now - (reads.length - 1 - i) * DAY_MS;
      for (let n = 0; n < count; n++) writes.push(store.increment(site, article, at));
    });
  }
  await Promise.all(writes);
}

/** A believable blog: a few posts with weekly rhythm, a launch spike, and some quiet days. */
export function sampleBlog(site: string, days = 90): SeedArticle[] {
  const posts = [
    ['/posts/why-i-self-host-my-analytics', 9, 30],
    ['/posts/lmdb-in-practice', 6, 12],
    ['/posts/a-tiny-web-component', 5, 50],
    ['/posts/notes-on-websockets-at-scale', 4, 70],
    ['/posts/hello-world', 2, 0],
    ['/posts/reading-list-2026', 3, 80],
    ['/about', 1.5, 0],
    ['/posts/the-ten-second-rule', 2.5, 60],
  ] as const;
  return posts.map(([article, weight, start], p) => ({
    site,
    article,
    reads: Array.from({ length: days }, (_, i) => {
      if (i < days - 90 + start) return 0;
      const weekday = (i + p) % 7;
      const rhythm = weekday >= 5 ? 0.45 : 1;
      const spike = i === days - 90 + start + 1 ? 6 : 1;
      const wobble = ((i * 7919 + p * 104729) % 13) / 13;
      return Math.round(weight * rhythm * spike * (0.6 + wobble));
    }),
  }));
}
