/** Sets a figure's text, flashing it when it changed. */
export function setStat(name: string, value: number): void {
  const element = document.querySelector<HTMLElement>(`[data-stat="${name}"]`);
  if (element === null) return;
  const text = value.toLocaleString('en-US');
  if (element.textContent === text) return;
  element.textContent = text;
  flash(element, 'bump');
  if (name === 'live') document.querySelector('[data-dot="live"]')?.classList.toggle('on', value > 0);
}

/** Adds one to a figure. */
export function bumpStat(name: string): void {
  const element = document.querySelector<HTMLElement>(`[data-stat="${name}"]`);
  if (element !== null) setStat(name, Number(element.textContent!.replace(/\D/g, '')) + 1);
}

/** The top-articles row of an article, matched by value, never by building a selector from it. */
export function articleRow(article: string): HTMLTableRowElement | undefined {
  return [...document.querySelectorAll<HTMLTableRowElement>('tr[data-article]')].find((row) => row.dataset.article === article);
}

/** Sets one cell of a top-articles row. */
export function setCell(row: HTMLTableRowElement, column: 'reads' | 'live' | 'total', value: number): void {
  const cell = row.querySelector<HTMLElement>(`[data-col="${column}"]`);
  if (cell === null) return;
  const text = column === 'live' && value === 0 ? '–' : value.toLocaleString('en-US');
  if (cell.textContent === text) return;
  cell.textContent = text;
  if (column === 'live') cell.classList.toggle('now', value > 0);
  else flash(cell, 'bump');
}

/** Puts a counted read at the top of the live feed. Text only: article keys come from the internet. */
export function prependFeed(article: string, reads: number, at: string, href: string): void {
  const list = document.querySelector('[data-feed]');
  if (list === null) return;
  const item = document.createElement('li');
  const time = document.createElement('time');
  time.dateTime = at;
  // UTC, like the server-rendered items and the chart's days: one clock and one number format on the page.
  time.textContent = at.slice(11, 19);
  const link = document.createElement('a');
  link.href = href;
  link.textContent = article;
  const count = document.createElement('span');
  count.className = 'n';
  count.textContent = `#${reads.toLocaleString('en-US')}`;
  item.append(time, link, count);
  list.prepend(item);
  flash(item, 'new');
  while (list.children.length > 50) list.lastElementChild!.remove();
  document.querySelector<HTMLElement>('[data-feed-empty]')?.setAttribute('hidden', '');
}

/** Keeps the site switcher's "site (reads)" current: it was rendered with the page. */
export function setSiteReads(site: string, reads: number): void {
  const option = [...document.querySelectorAll<HTMLOptionElement>('select#site option')].find((o) => o.value === site);
  if (option !== undefined) option.textContent = `${site} (${reads.toLocaleString('en-US')})`;
}

/** The connection badge beside the feed. */
export function setStatus(online: boolean): void {
  const status = document.querySelector('[data-status]');
  if (status === null) return;
  const dot = document.createElement('span');
  dot.className = online ? 'dot on' : 'dot';
  status.replaceChildren(dot, online ? 'live' : 'reconnecting…');
}


function flash(element: Element, name: string): void {
  element.classList.remove(name);
  void (element as HTMLElement).offsetWidth;
  element.classList.add(name);
}
