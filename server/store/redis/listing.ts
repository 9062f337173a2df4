import type { ArticleTotal, DailyRow, SiteTotal } from '../port.js';
import type { RedisKeys } from './keys.js';
import type { RedisStoreClient } from './connect.js';

// Names read per round trip when walking a sorted set: big enough to amortise the round
// trip, small enough that a site with a million articles streams instead of loading at once.
const PAGE = 500;
// A range of at most this many days is read field by field (HMGET: cost = days in range);
// a longer one reads the article's whole day hash and filters it.
const MAX_DAYS_BY_FIELD = 400;
const DAY_MS = 86_400_000;

/** Every member of a lex-ordered sorted set (scores 0), in byte order, a page per round trip. */
async function* members(client: RedisStoreClient, key: string): AsyncGenerator<string[]> {
  let start = '-';
  for (;;) {
    const page = await client.zRange(key, start, '+', { BY: 'LEX', LIMIT: { offset: 0, count: PAGE } });
    if (page.length > 0) yield page;
    if (page.length < PAGE) return;
    start = `(${page[page.length - 1]}`;
  }
}

/** A stored integer reply (or none) as a number. */
const count = (value: string | null | undefined): number => (value === null || value === undefined ? 0 : Number(value));

/** Every (site, article, total) of the given sites, ordered by site then article. */
export async function* listTotals(client: RedisStoreClient, keys: RedisKeys, site?: string): AsyncGenerator<ArticleTotal> {
  const sites = site === undefined ? members(client, keys.sites) : single([site]);
  for await (const page of sites) {
    for (const name of page) {
      for await (const articles of members(client, keys.articles(name))) {
        const reads = await client.hmGet(keys.totals(name), articles);
        for (const [i, article] of articles.entries()) yield { site: name, article, reads: count(reads[i]) };
      }
    }
  }
}

async function* single<T>(value: T): AsyncGenerator<T> {
  yield value;
}

/** One site's figures from its hash. */
export async function siteFigures(client: RedisStoreClient, keys: RedisKeys, site: string): Promise<SiteTotal> {
  const [reads, articles] = await client.hmGet(keys.site(site), ['reads', 'articles']);
  return { reads: count(reads), articles: count(articles) };
}

/** Every site with its figures, ordered by site; one pipelined round trip per page of sites. */
export async function* listSites(client: RedisStoreClient, keys: RedisKeys): AsyncGenerator<{ site: string } & SiteTotal> {
  for await (const page of members(client, keys.sites)) {
    // Commands issued in one turn go out as one pipeline.
    const figures = await Promise.all(page.map((site) => siteFigures(client, keys, site)));
    for (const [i, site] of page.entries()) yield { site, ...figures[i]! };
  }
}

/** The days from `from` to `to` inclusive, or undefined when there are more than MAX_DAYS_BY_FIELD. */
function daysBetween(from: string, to: string): string[] | undefined {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end) || (end - start) / DAY_MS >= MAX_DAYS_BY_FIELD) return undefined;
  const days: string[] = [];
  for (let at = start; at <= end; at += DAY_MS) days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}

/** One article's rows in range, ordered by day. */
async function articleRows(client: RedisStoreClient, keys: RedisKeys, site: string, article: string, from: string, to: string): Promise<DailyRow[]> {
  const key = keys.daily(site, article);
  const days = daysBetween(from, to);
  if (days !== undefined) {
    const reads = days.length === 0 ? [] : await client.hmGet(key, days);
    return days.flatMap((day, i) => (reads[i] === null || reads[i] === undefined ? [] : [{ site, article, day, reads: Number(reads[i]) }]));
  }
  const all = await client.hGetAll(key);
  return Object.keys(all)
    .filter((day) => day >= from && day <= to)
    .sort()
    .map((day) => ({ site, article, day, reads: Number(all[day]) }));
}

/** Daily rows of one site (or one article), `from` and `to` inclusive, ordered by article then day. */
export async function* listDailyRows(client: RedisStoreClient, keys: RedisKeys, site: string, from: string, to: string, article?: string): AsyncGenerator<DailyRow> {
  const articles = article === undefined ? members(client, keys.articles(site)) : single([article]);
  for await (const page of articles) {
    // A page of articles in one pipelined round trip.
    const rows = await Promise.all(page.map((name) => articleRows(client, keys, site, name, from, to)));
    for (const articleRowsInRange of rows) yield* articleRowsInRange;
  }
}
