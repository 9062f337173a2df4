import { addToBar } from './chart.js';
import { watchSite, type AdminFrame } from './socket.js';
import { articleRow, bumpStat, prependFeed, setCell, setSiteReads, setStat, setStatus } from './render.js';
import { rememberSite } from './remember-site.js';

// The dashboard's live layer. The page is complete without it; this only keeps it current.
const { site, article, days, today } = document.body.dataset;
document.documentElement.classList.add('js');

for (const select of document.querySelectorAll<HTMLSelectElement>('select[data-autosubmit]')) {
  select.addEventListener('change', () => select.form?.requestSubmit());
}

function articleHref(name: string): string {
  const query = new URLSearchParams({ site: site!, days: days ?? '30', article: name });
  return `/dashboard?${query}`;
}

function onFrame(frame: AdminFrame): void {
  if (frame.type === 'error') {
    if (frame.code === 'not_admin') setStatus(false);
    return;
  }
  if (frame.type === 'site') {
    const reading = new Map(frame.reading.map((r) => [r.article, r.live]));
    setSiteReads(frame.site, frame.reads);
    if (article === undefined) {
      setStat('total', frame.reads);
      setStat('today', frame.today);
      setStat('live', frame.live);
      for (const row of document.querySelectorAll<HTMLTableRowElement>('tr[data-article]')) setCell(row, 'live', reading.get(row.dataset.article!) ?? 0);
    } else {
      setStat('live', reading.get(article) ?? 0);
    }
    return;
  }
  if (article !== undefined && frame.article !== article) return;
  prependFeed(frame.article, frame.reads, frame.at, articleHref(frame.article));
  // The page's range always ends today; a read from another day means the page is stale.
  if (frame.at.slice(0, 10) !== today) return;
  bumpStat('range');
  addToBar(today);
  if (article !== undefined) {
    setStat('total', frame.reads);
    bumpStat('today');
  }
  const row = articleRow(frame.article);
  if (row !== undefined) {
    setCell(row, 'reads', Number(row.querySelector('[data-col="reads"]')!.textContent!.replace(/\D/g, '')) + 1);
    setCell(row, 'total', frame.reads);
  }
}

if (site !== undefined && !rememberSite(site, days)) watchSite(site, onFrame, setStatus);
