// Re-renders a finished run without running it again: the table (stdout), latest.md and the
// chart, from a results JSON (default: bench/results/latest.json).
//
//   node bench/render.mjs [bench/results/<time>.json] [--no-chart]
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderMarkdown, renderTable } from './lib/report.mjs';
import { renderChart } from './lib/chart.mjs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--')) ?? fileURLToPath(new URL('./results/latest.json', import.meta.url));
const results = JSON.parse(readFileSync(file, 'utf8'));
console.log(renderTable(results));
writeFileSync(new URL('./results/latest.md', import.meta.url), `${renderMarkdown(results)}\n`);
if (!args.includes('--no-chart') && (results.hot ?? []).length > 0) {
  writeFileSync(new URL('../docs/bench-chart.svg', import.meta.url), renderChart(results));
  console.log('chart: docs/bench-chart.svg');
}
