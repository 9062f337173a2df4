import type { ImportFormat } from '../import/formats.js';
import type { SkipReason, TallySummary } from '../import/tally.js';
import type { DailyRow, Store } from '../store/port.js';

/** What a merge did, or (dry run) would do. */
export interface MergeResult {
  daysChanged: number;
  readsAdded: number;
}

/**
 * What mergeCounts() would do with `rows`, read without writing: one range read per article,
 * through the store port, so a dry run costs about what the import would on either backend.
 * No store (DATA_DIR without one) takes every row.
 */
export async function plannedMerge(store: Pick<Store, 'daily'> | undefined, rows: readonly DailyRow[]): Promise<MergeResult> {
  const result: MergeResult = { daysChanged: 0, readsAdded: 0 };
  const byArticle = new Map<string, DailyRow[]>();
  for (const row of rows) {
    const key = `${row.site}\n${row.article}`;
    const group = byArticle.get(key);
    if (group === undefined) byArticle.set(key, [row]);
    else group.push(row);
  }
  for (const group of byArticle.values()) {
    const { site, article } = group[0]!;
    const days = group.map((row) => row.day).sort();
    const stored = new Map(((await store?.daily(site, days[0]!, days.at(-1)!, article)) ?? []).map((row) => [row.day, row.reads]));
    for (const { day, reads } of group) {
      const before = stored.get(day) ?? 0;
      if (reads <= before) continue;
      result.daysChanged++;
      result.readsAdded += reads - before;
    }
  }
  return result;
}

/** Everything the summary needs. */
export interface SummaryInput {
  source: string;
  format: ImportFormat;
  onlySite: string | undefined;
  summary: TallySummary;
  result: MergeResult;
  dryRun: boolean;
  /** How running servers learn of the new counts (told through the lock socket, or no need with Redis); undefined: nothing to say. */
  after: string | undefined;
}

/** The lines `readcounter import` prints: what was read, skipped, merged, and what the figures are. */
export function importSummary({ source, format, onlySite, summary, result, dryRun, after }: SummaryInput): string[] {
  const n = (value: number): string => value.toLocaleString('en-US');
  const unit = format.pageViews ? 'page views' : 'reads';
  const lines = [
    `import: ${source} (${format.tool}): ${n(summary.views)} ${unit} in ${count(summary.articles, 'article')} over ${count(summary.days, 'day')}, ${sitesOf(onlySite, summary.sites)}`,
  ];
  const skipped = summary.skipped.reduce((total, [, count]) => total + count, 0);
  lines.push(skipped === 0 ? 'import: no rows skipped' : `import: ${count(skipped, 'row')} skipped: ${summary.skipped.map(([why, rows]) => `${n(rows)} ${plural(why, rows)}`).join(', ')}`);
  if (dryRun) {
    lines.push(`import: dry run, nothing written: it would raise ${n(result.daysChanged)} days and add ${n(result.readsAdded)} reads`);
  } else {
    const unchanged = result.readsAdded === 0 ? ' (already up to date)' : '';
    lines.push(`import: ${n(result.daysChanged)} days raised, ${n(result.readsAdded)} reads added${unchanged}`);
  }
  if (format.pageViews) {
    lines.push(`import: these are page views counted by ${format.tool}, each taken as one read; they were not dwell-checked like readcounter's own reads`);
  }
  if (format.note !== undefined) lines.push(`import: ${format.note}`);
  if (after !== undefined) lines.push(`import: ${after}`);
  return lines;
}

function count(value: number, noun: string): string {
  return `${value.toLocaleString('en-US')} ${noun}${value === 1 ? '' : 's'}`;
}

function sitesOf(onlySite: string | undefined, sites: readonly string[]): string {
  if (onlySite !== undefined) return `for ${onlySite} (--site)`;
  if (sites.length === 0) return 'for no site';
  const shown = sites.length > 5 ? `${sites.slice(0, 5).join(', ')}, …` : sites.join(', ');
  return `each host as its own site (${sites.length}: ${shown})`;
}

const WORDS: Record<SkipReason, [string, string]> = {
  event: ['event', 'events'],
  bot: ['bot', 'bots'],
  'other site': ['row of another site', 'rows of other sites'],
  'not a page path': ['not a page path', 'not page paths'],
  'no hostname': ['row without a hostname', 'rows without a hostname'],
};

function plural(reason: SkipReason, count: number): string {
  return WORDS[reason][count === 1 ? 0 : 1];
}
