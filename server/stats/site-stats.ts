import type { Hub } from '../live/hub.js';
import { readAll } from '../store/read-all.js';
import type { Store } from '../store/port.js';
import { utcDay } from '../utc-day.js';
import { addDays, dayCount, daysOf, type DayRange } from './range.js';
import { yielding } from './yielding.js';

/** Most articles one stats API answer may list. */
export const MAX_ARTICLES_LISTED = 1000;

/** Reads on one day. */
export interface DayReads {
  day: string;
  reads: number;
}

/** One article in a site's ranking. */
export interface ArticleStats {
  article: string;
  /** Reads within the range. */
  reads: number;
  /** Reads of all time. */
  total: number;
  /** Pages reading it now. */
  live: number;
}

/** What the stats API returns and the dashboard shows, for a site or one of its articles. */
export interface SiteStats {
  site: string;
  /** The article, or null for the whole site. */
  article: string | null;
  from: string;
  to: string;
  /** Reads within the range (the sum of `daily`). */
  reads: number;
  /** Reads of all time. */
  total: number;
  /** Reads on the current UTC day. */
  today: number;
  /** Reads on the UTC day before today. */
  yesterday: number;
  /** Reads in the range of the same length just before `from`, for comparison. */
  previous: number;
  /** Pages reading now. */
  live: number;
  /** One entry per day of the range, oldest first; days without reads are 0. */
  daily: DayReads[];
  /** The site's articles, most read in the range first, at most `limit` of them (empty for an article). */
  articles: ArticleStats[];
  /** How many articles had reads in the range or a reader now (`articles` may list fewer). */
  articleCount: number;
}

/** What siteStats() reads: the store and the hub's live figures. */
export interface StatsSource {
  store: Pick<Store, 'dailyRows' | 'totals' | 'reads' | 'sites'>;
  hub: Pick<Hub, 'liveOf' | 'live'>;
}

/**
 * A site's (or one article's) daily series, totals and ranking over an inclusive range. Reads
 * only the rows in range (and the range before it), yielding to the event loop as it goes.
 */
export async function siteStats({ store, hub }: StatsSource, site: string, range: DayRange, now: number, article?: string, limit = Infinity): Promise<SiteStats> {
  const today = utcDay(now);
  const yesterday = addDays(today, -1);
  const previousFrom = addDays(range.from, -dayCount(range));
  // One scan covers the range, the one before it, yesterday and today.
  const rows = store.dailyRows(site, previousFrom < yesterday ? previousFrom : yesterday, range.to > today ? range.to : today, article);
  const byDay = new Map<string, number>();
  const byArticle = new Map<string, number>();
  let todayReads = 0;
  let yesterdayReads = 0;
  let previous = 0;
  for await (const row of yielding(rows)) {
    if (row.day === today) todayReads += row.reads;
    if (row.day === yesterday) yesterdayReads += row.reads;
    if (row.day >= previousFrom && row.day < range.from) previous += row.reads;
    if (row.day < range.from || row.day > range.to) continue;
    byDay.set(row.day, (byDay.get(row.day) ?? 0) + row.reads);
    byArticle.set(row.article, (byArticle.get(row.article) ?? 0) + row.reads);
  }
  const daily = daysOf(range).map((day) => ({ day, reads: byDay.get(day) ?? 0 }));
  const base = { site, from: range.from, to: range.to, reads: daily.reduce((sum, d) => sum + d.reads, 0), today: todayReads, yesterday: yesterdayReads, previous, daily };
  if (article !== undefined) {
    return { ...base, article, total: await store.reads(site, article), live: hub.live(site, article), articles: [], articleCount: 0 };
  }
  const live = liveBySite(hub, site);
  const liveTotal = live.total;
  const articles: ArticleStats[] = [];
  let total = 0;
  for await (const t of yielding(store.totals(site))) {
    total += t.reads;
    const reads = byArticle.get(t.article) ?? 0;
    const reading = live.byArticle.get(t.article) ?? 0;
    if (reads > 0 || reading > 0) articles.push({ article: t.article, reads, total: t.reads, live: reading });
    live.byArticle.delete(t.article);
  }
  // Articles being read that have never been counted yet.
  for (const [name, reading] of live.byArticle) articles.push({ article: name, reads: 0, total: 0, live: reading });
  articles.sort((a, b) => b.reads - a.reads || b.live - a.live || b.total - a.total);
  return { ...base, article: null, total, live: liveTotal, articles: articles.slice(0, limit), articleCount: articles.length };
}

/** Pages reading now on a site: in all, and per article (articles with nobody reading are left out). */
export function liveBySite(hub: Pick<Hub, 'liveOf'>, site: string): { total: number; byArticle: Map<string, number> } {
  const byArticle = hub.liveOf(site);
  let total = 0;
  for (const readers of byArticle.values()) total += readers;
  return { total, byArticle };
}

/** A site that has reads, with its total. */
export interface SiteSummary {
  site: string;
  reads: number;
  articles: number;
}

/** Every site in the store, most read first: the dashboard's site switcher. */
export async function siteList(store: Pick<Store, 'sites'>): Promise<SiteSummary[]> {
  return (await readAll(store.sites())).sort((a, b) => b.reads - a.reads || (a.site < b.site ? -1 : 1));
}
