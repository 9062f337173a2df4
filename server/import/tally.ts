import { ArticleError, normalizeArticle } from '../../shared/article.js';
import { SiteError, normalizeSite } from '../../shared/site.js';
import { ExportFormatError } from '../format-error.js';
import type { DailyRow } from '../store/port.js';

/** Why a row of another tool's file was left out, as the summary words it. */
export type SkipReason = 'event' | 'bot' | 'not a page path' | 'other site' | 'no hostname';

/** What an import found, for the summary. */
export interface TallySummary {
  /** Page views kept (each becomes one read). */
  views: number;
  articles: number;
  days: number;
  /** Sites the rows went to, sorted. */
  sites: string[];
  /** Rows left out, by reason, in the order first seen. */
  skipped: [SkipReason, number][];
}

// Paths repeat on every row; normalizing each distinct one once is the difference at a
// million rows. Bounded, so a file of only distinct paths cannot grow it without end.
const MAX_CACHED_PATHS = 50_000;

/**
 * Sums page views by (site, article, UTC day) as rows stream in: memory grows with the
 * distinct keys, never with the rows. Articles go through normalizeArticle() like live reads,
 * so `/a/`, `/a?ref=x` and `/a` land on one key. `onlySite` (from `--site`) is the site of
 * rows that name no host, and the only site kept of rows that do.
 */
export class Tally {
  readonly #onlySite: string | undefined;
  // site → article → day → page views: one short lookup per level, no key built per row.
  readonly #reads = new Map<string, Map<string, Map<string, number>>>();
  #articles = 0;
  readonly #days = new Set<string>();
  readonly #skipped = new Map<SkipReason, number>();
  readonly #hosts = new Map<string, string | undefined>();
  #paths = new Map<string, string | undefined>();
  #views = 0;

  constructor(onlySite: string | undefined) {
    this.#onlySite = onlySite;
  }

  /**
   * Adds one row's page views. `host` is the row's host, or undefined when the file names
   * none. Throws ExportFormatError (naming `line`) for a row that names no site without --site.
   */
  add(line: number, host: string | undefined, path: string, day: string, views: number): void {
    const site = this.#siteOf(line, host);
    if (site === undefined) return;
    const article = this.#articleOf(path);
    if (article === undefined) return this.skip('not a page path');
    if (views === 0) return;
    const days = this.#daysOf(site, article);
    days.set(day, (days.get(day) ?? 0) + views);
    this.#days.add(day);
    this.#views += views;
  }

  /** Counts a row left out. */
  skip(reason: SkipReason): void {
    this.#skipped.set(reason, (this.#skipped.get(reason) ?? 0) + 1);
  }

  /** The daily rows to merge. */
  rows(): DailyRow[] {
    const rows: DailyRow[] = [];
    for (const [site, articles] of this.#reads) {
      for (const [article, days] of articles) {
        for (const [day, reads] of days) rows.push({ site, article, day, reads });
      }
    }
    return rows;
  }

  /** Counts for the summary. */
  summary(): TallySummary {
    return {
      views: this.#views,
      articles: this.#articles,
      days: this.#days.size,
      sites: [...this.#reads.keys()].sort(),
      skipped: [...this.#skipped],
    };
  }

  #daysOf(site: string, article: string): Map<string, number> {
    let articles = this.#reads.get(site);
    if (articles === undefined) this.#reads.set(site, (articles = new Map()));
    let days = articles.get(article);
    if (days === undefined) {
      articles.set(article, (days = new Map()));
      this.#articles++;
    }
    return days;
  }

  #siteOf(line: number, host: string | undefined): string | undefined {
    if (host === undefined || host === '') {
      if (this.#onlySite !== undefined) return this.#onlySite;
      if (host === '') return void this.skip('no hostname');
      throw new ExportFormatError(`line ${line}: this file does not name the site; pass --site HOST (your blog's host, e.g. blog.example.com)`);
    }
    let site = this.#hosts.get(host);
    if (site === undefined && !this.#hosts.has(host)) {
      try {
        site = normalizeSite(host);
      } catch (error) {
        if (!(error instanceof SiteError)) throw error;
        if (this.#onlySite === undefined) throw new ExportFormatError(`line ${line}: ${error.message}`);
      }
      this.#hosts.set(host, site);
    }
    if (this.#onlySite !== undefined && site !== this.#onlySite) return void this.skip('other site');
    return site;
  }

  #articleOf(path: string): string | undefined {
    const cached = this.#paths.get(path);
    if (cached !== undefined || this.#paths.has(path)) return cached;
    let article: string | undefined;
    try {
      article = normalizeArticle(path);
    } catch (error) {
      if (!(error instanceof ArticleError)) throw error;
    }
    if (this.#paths.size >= MAX_CACHED_PATHS) this.#paths = new Map();
    this.#paths.set(path, article);
    return article;
  }
}
