import type { FeedItem } from './live-feed.js';
import type { SiteStats, SiteSummary } from '../stats/site-stats.js';
import { RANGE_CHOICES } from './range-query.js';
import { DailyChart, DailyTable, shortDay } from './chart.js';

/** Everything one dashboard page shows. */
export interface DashboardModel {
  site: string;
  sites: SiteSummary[];
  days: number;
  stats: SiteStats;
  recent: FeedItem[];
  today: string;
  /** Show every article instead of the top TOP_ARTICLES. */
  all: boolean;
}

/** Articles listed before "show all". */
export const TOP_ARTICLES = 20;

/** A dashboard link; query values are encoded here and attribute-escaped by JSX. */
export function dashboardUrl(query: { site: string; days?: number; article?: string | null; all?: boolean }): string {
  const params = new URLSearchParams({ site: query.site });
  if (query.days !== undefined) params.set('days', String(query.days));
  if (query.article != null) params.set('article', query.article);
  if (query.all === true) params.set('all', '1');
  return `/dashboard?${params}`;
}

const n = (value: number): string => value.toLocaleString('en-US');

/** The site switcher: a plain GET form, so it works without JavaScript. */
export function SiteSwitcher({ site, sites, days }: { site: string; sites: SiteSummary[]; days: number }) {
  if (sites.length < 2) return null;
  return (
    <form class="switch" method="get" action="/dashboard">
      <label class="muted small" for="site">Site</label>
      <select id="site" name="site" data-autosubmit>
        {sites.map((s) => <option value={s.site} selected={s.site === site}>{`${s.site} (${n(s.reads)})`}</option>)}
      </select>
      <input type="hidden" name="days" value={String(days)} />
      <button type="submit" class="nojs">Show</button>
    </form>
  );
}

/** The page body for a site or one of its articles. */
export function DashboardBody({ model }: { model: DashboardModel }) {
  // Long only as markup: one page of JSX, read top to bottom like the page it renders.
  const { stats, site, days } = model;
  const article = stats.article;
  return (
    <main>
      <div class="head">
        <div>
          {article === null ? null : <div class="crumb"><a href={dashboardUrl({ site, days })}>← {site}</a></div>}
          <h1>
            {article ?? site}
            {article === null ? null : <a class="open" href={articleHref(site, article)} rel="noopener noreferrer" target="_blank">open ↗</a>}
          </h1>
        </div>
        <nav class="range" aria-label="Range">
          {RANGE_CHOICES.map((d) => (
            <a href={dashboardUrl({ site, days: d, article })} aria-current={d === days ? 'page' : undefined}>{`${d} days`}</a>
          ))}
        </nav>
      </div>
      <section class="cards">
        <Stat label="Total reads" value={stats.total} name="total" note={article === null ? plural(model.sites.find((s) => s.site === site)?.articles ?? 0, 'article') : 'all time'} />
        <Stat label="Today" value={stats.today} name="today" note={`yesterday ${n(stats.yesterday)}`} />
        <Stat label="Reading now" value={stats.live} name="live" dot note="pages open right now" />
        <Stat label={`Last ${days} days`} value={stats.reads} name="range" {...trend(stats.reads, stats.previous, days)} />
      </section>
      <section class="card">
        <div class="card-head">
          <h2>Daily reads</h2>
          <span class="muted small">{`${shortDay(stats.from)} – ${shortDay(stats.to)}, UTC days`}</span>
        </div>
        <DailyChart daily={stats.daily} today={model.today} />
        <DailyTable daily={stats.daily} />
      </section>
      <div class="grid">
        {article === null ? <TopArticles model={model} /> : <ArticleFacts stats={stats} />}
        <LiveFeed model={model} />
      </div>
      <footer class="foot">
        <span>Export {site}:</span>
        <a href={`/api/export?${new URLSearchParams({ format: 'csv', site })}`}>CSV</a>
        <a href={`/api/export?${new URLSearchParams({ format: 'json', site })}`}>JSON</a>
        <a href={`/api/stats?${new URLSearchParams({ site, from: stats.from, to: stats.to, ...(article === null ? {} : { article }) })}`}>stats API</a>
      </footer>
    </main>
  );
}

function Stat({ label, value, name, dot = false, note, tone }: { label: string; value: number; name: string; dot?: boolean; note?: string; tone?: 'up' | 'down' }) {
  return (
    <div class="card stat">
      <div class="label">{dot ? <span class={value > 0 ? 'dot on' : 'dot'} data-dot={name} /> : null}{label}</div>
      <div class="value" data-stat={name}>{n(value)}</div>
      {note === undefined ? null : <div class={tone === undefined ? 'note' : `note ${tone}`}>{note}</div>}
    </div>
  );
}

/** "▲ 12% vs previous 30 days": the range compared with the one before it. */
function trend(reads: number, previous: number, days: number): { note?: string; tone?: 'up' | 'down' } {
  if (previous === 0) return reads === 0 ? { note: 'no reads yet' } : { note: `new: none the ${days} days before` };
  const change = Math.round(((reads - previous) / previous) * 100);
  if (change === 0) return { note: `same as the previous ${days} days` };
  return { note: `${change > 0 ? '▲' : '▼'} ${Math.abs(change)}% vs previous ${days} days`, tone: change > 0 ? 'up' : 'down' };
}

function plural(count: number, word: string): string {
  return `${n(count)} ${word}${count === 1 ? '' : 's'}`;
}

function TopArticles({ model }: { model: DashboardModel }) {
  const { stats, site, days } = model;
  const shown = model.all ? stats.articles : stats.articles.slice(0, TOP_ARTICLES);
  const max = Math.max(1, ...shown.map((a) => a.reads));
  return (
    <section class="card">
      <div class="card-head">
        <h2>Top articles</h2>
        <span class="muted small">by reads in the last {days} days</span>
      </div>
      {shown.length === 0 ? (
        <p class="empty">No reads in this range yet.</p>
      ) : (
        <table data-articles>
          <thead>
            <tr><th>Article</th><th>Reads</th><th>Now</th><th>Total</th></tr>
          </thead>
          <tbody>
            {shown.map((a) => (
              <tr data-article={a.article}>
                <td class="name">
                  <svg aria-hidden="true"><rect width={`${(a.reads / max) * 100}%`} height="100%" rx="5" /></svg>
                  <a href={dashboardUrl({ site, days, article: a.article })}><span>{a.article}</span></a>
                </td>
                <td data-col="reads">{n(a.reads)}</td>
                <td data-col="live" class={a.live > 0 ? 'now' : undefined}>{a.live > 0 ? n(a.live) : '–'}</td>
                <td data-col="total">{n(a.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!model.all && stats.articles.length > TOP_ARTICLES ? (
        <p class="small"><a href={dashboardUrl({ site, days, all: true })}>Show all {n(stats.articles.length)} articles</a></p>
      ) : null}
    </section>
  );
}

function ArticleFacts({ stats }: { stats: SiteStats }) {
  const best = stats.daily.reduce((a, b) => (b.reads > a.reads ? b : a), stats.daily[0]!);
  const average = stats.reads / stats.daily.length;
  return (
    <section class="card">
      <div class="card-head"><h2>This article</h2></div>
      <table>
        <tbody>
          <tr><td>Best day in range</td><td>{best.reads === 0 ? '–' : `${shortDay(best.day)} · ${plural(best.reads, 'read')}`}</td></tr>
          <tr><td>Average per day</td><td>{average.toLocaleString('en-US', { maximumFractionDigits: 1 })}</td></tr>
          <tr><td>Share of all-time reads in range</td><td>{stats.total === 0 ? '–' : `${Math.round((stats.reads / stats.total) * 100)}%`}</td></tr>
        </tbody>
      </table>
    </section>
  );
}

function LiveFeed({ model }: { model: DashboardModel }) {
  const { site, days } = model;
  const article = model.stats.article;
  const items = model.recent.filter((item) => article === null || item.article === article);
  return (
    <section class="card">
      <div class="card-head">
        <h2>Live <span class="muted small">UTC</span></h2>
        <span class="status" data-status><span class="dot" />reload to refresh</span>
      </div>
      <p class="empty" data-feed-empty hidden={items.length > 0}>
        {article === null ? 'Reads appear here the moment they are counted.' : 'Reads of this article appear here the moment they are counted.'}
      </p>
      <ul class="feed" data-feed>
        {items.map((item) => (
          <li>
            <time datetime={new Date(item.at).toISOString()}>{new Date(item.at).toISOString().slice(11, 19)}</time>
            <a href={dashboardUrl({ site, days, article: item.article })}>{item.article}</a>
            <span class="n">#{n(item.reads)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The article's own page, for the "open" link: plain http only for local sites. */
function articleHref(site: string, article: string): string {
  const local = /^(localhost|127\.|\[::1\])/.test(site);
  // Keys keep "%" only as the escapes %25, %3F and %23, so "%" stays; the rest is percent-encoded.
  return `${local ? 'http' : 'https'}://${site}${article.replace(/[^\w\-.~!$&'()*+,;=:@/%]/gu, encodeURIComponent)}`;
}

/** The first-run page: no site has reads yet. */
export function EmptyState({ origin }: { origin: string }) {
  return (
    <main class="card">
      <h2>No reads yet</h2>
      <p class="muted">Add the counter to your blog's post template; reads show up here as they are counted.</p>
      <pre>{`<script type="module" src="${origin}/counter.js"></script>\n<read-counter></read-counter>`}</pre>
    </main>
  );
}
