import { utcDay } from '../utc-day.js';
import type { CliContext } from './context.js';
import { UsageError } from './errors.js';
import { openCliStore } from './cli-store.js';

const DAY_MS = 86_400_000;

/** Options of `readcounter stats`. */
export interface StatsOptions {
  /** Articles listed per site. @default 5 */
  top: string;
}

interface SiteSummary {
  site: string;
  articles: { article: string; reads: number }[];
  reads: number;
  today: number;
  week: number;
}

/** `readcounter stats`: a quick summary in the terminal: sites, totals, today, the last 7 days, top articles. */
export async function stats(ctx: CliContext, { top }: StatsOptions): Promise<void> {
  if (!/^\d+$/.test(top)) throw new UsageError(`--top must be a whole number, got ${JSON.stringify(top)}`);
  const opened = await openCliStore(ctx, { create: false });
  const { store } = opened;
  const today = utcDay(ctx.now());
  const weekStart = utcDay(ctx.now() - 6 * DAY_MS);
  const sites = new Map<string, SiteSummary>();
  try {
    for await (const { site, article, reads } of store.totals()) {
      let summary = sites.get(site);
      if (summary === undefined) {
        summary = { site, articles: [], reads: 0, today: 0, week: 0 };
        sites.set(site, summary);
      }
      summary.articles.push({ article, reads });
      summary.reads += reads;
    }
    for (const summary of sites.values()) {
      for (const row of await store.daily(summary.site, weekStart, today)) {
        summary.week += row.reads;
        if (row.day === today) summary.today += row.reads;
      }
    }
  } finally {
    await store.close();
  }
  ctx.stdout(render([...sites.values()], Number(top), { heading: opened.heading(), today }));
}

function render(sites: SiteSummary[], top: number, { heading, today }: { heading: string; today: string }): string {
  const n = (value: number): string => value.toLocaleString('en-US');
  const sum = (pick: (s: SiteSummary) => number): number => sites.reduce((total, s) => total + pick(s), 0);
  const articles = sum((s) => s.articles.length);
  const lines = [
    heading,
    `${n(sites.length)} sites, ${n(articles)} articles, ${n(sum((s) => s.reads))} reads; today (${today} UTC) ${n(sum((s) => s.today))}, last 7 days ${n(sum((s) => s.week))}`,
  ];
  for (const site of sites.sort((a, b) => b.reads - a.reads)) {
    lines.push('', `${site.site}: ${n(site.reads)} reads in ${n(site.articles.length)} articles; today ${n(site.today)}, last 7 days ${n(site.week)}`);
    const best = site.articles.sort((a, b) => b.reads - a.reads || a.article.localeCompare(b.article)).slice(0, top);
    const width = Math.max(...best.map((a) => n(a.reads).length), 0);
    for (const { article, reads } of best) lines.push(`  ${n(reads).padStart(width)}  ${article}`);
  }
  return `${lines.join('\n')}\n`;
}
