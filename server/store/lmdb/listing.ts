import type { ArticleTotal, DailyRow } from '../port.js';
import type { Tables } from './tables.js';

/** Every (site, article, total), ordered by site then article; one site's when given. Read lazily, no snapshot held. */
export function* totalsOf({ totals }: Tables, site?: string): Generator<ArticleTotal> {
  const start = site === undefined ? undefined : ([site] as unknown as [string, string]);
  for (const { key, value } of totals.getRange({ start, snapshot: false })) {
    if (site !== undefined && key[0] !== site) break;
    yield { site: key[0], article: key[1], reads: value };
  }
}

/** Daily rows of one site (or article), ordered by article then day: a seek to each article's `from`. */
export function* dailyRowsOf(tables: Tables, site: string, from: string, to: string, article?: string): Generator<DailyRow> {
  const articles = article === undefined ? totalsOf(tables, site) : [{ article }];
  for (const { article: name } of articles) {
    // A day is YYYY-MM-DD, so `${to}~` sorts after `to` and before the day after it.
    for (const { key, value } of tables.days.getRange({ start: [site, name, from], end: [site, name, `${to}~`], snapshot: false })) {
      yield { site, article: name, day: key[2], reads: value };
    }
  }
}

/** A synchronous LMDB range as the port's async iterable; read lazily, one row per step. */
export async function* toAsync<T>(rows: Iterable<T>): AsyncGenerator<T> {
  yield* rows;
}
