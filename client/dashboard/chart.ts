import { PLOT_HEIGHT, niceMax } from '../../shared/chart-scale.js';

/** Adds one read to a day's bar, rescaling the chart when it outgrows the axis. */
export function addToBar(day: string): void {
  const chart = document.querySelector<HTMLElement>('[data-chart]');
  const bars = [...document.querySelectorAll<SVGRectElement>('rect[data-day]')];
  const bar = bars.find((rect) => rect.dataset.day === day);
  if (chart === null || bar === undefined) return;
  const reads = Number(bar.dataset.reads) + 1;
  bar.dataset.reads = String(reads);
  bar.setAttribute('class', 'today');
  const title = bar.querySelector('title');
  if (title !== null) title.textContent = title.textContent!.replace(/: .*$/, `: ${reads.toLocaleString('en-US')} ${reads === 1 ? 'read' : 'reads'}`);
  let top = Number(chart.dataset.chart);
  const rescale = reads > top;
  if (rescale) {
    top = niceMax(reads);
    chart.dataset.chart = String(top);
    setText('[data-axis="top"]', top.toLocaleString('en-US'));
    setText('[data-axis="half"]', (top / 2).toLocaleString('en-US'));
  }
  for (const rect of rescale ? bars : [bar]) {
    const value = Number(rect.dataset.reads);
    const height = value === 0 ? 1 : Math.max(1.5, (value / top) * PLOT_HEIGHT);
    rect.setAttribute('y', String(PLOT_HEIGHT - height));
    rect.setAttribute('height', String(height));
  }
}

function setText(selector: string, text: string): void {
  const element = document.querySelector(selector);
  if (element !== null) element.textContent = text;
}
