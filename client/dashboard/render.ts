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
  time.textContent = localTime(at);
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

/** Shows the reader's own clock in the feed instead of the server-rendered UTC times. */
export function localizeTimes(): void {
  for (const time of document.querySelectorAll<HTMLTimeElement>('[data-feed] time')) time.textContent = localTime(time.dateTime);
}

/** The connection badge beside the feed. */
export function setStatus(online: boolean): void {
  const status = document.querySelector('[data-status]');
  if (status === null) return;
  const dot = document.createElement('span');
  dot.className = online ? 'dot on' : 'dot';
  status.replaceChildren(dot, online ? 'live' : 'reconnecting…');
}

function localTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function flash(element: Element, name: string): void {
  element.classList.remove(name);
  void (element as HTMLElement).offsetWidth;
  element.classList.add(name);
}
