// `npm run bench:import`: imports a generated GoatCounter CSV export of 1,000,000 pageviews (and
// one of 100,000, to show memory does not grow with rows), each in its own process, and prints
// peak RSS and time. Never part of `npm test`; the files are made in a temp folder and removed.
//
//   npm run bench:import                  1,000,000 and 100,000 rows
//   npm run bench:import -- --rows=5000000 --gzip
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const HEADER = '2Path,Title,Event,UserAgent,Browser,System,Session,Bot,Referrer,Referrer scheme,Screen size,Location,FirstVisit,Date\n';
const ARTICLES = 200;
const DAYS = 365;

const { values: flags } = parseArgs({ options: { rows: { type: 'string' }, gzip: { type: 'boolean', default: false }, measure: { type: 'string' }, data: { type: 'string' } } });

if (flags.measure !== undefined) {
  // Child mode: the import alone in this process, so its peak RSS is the import's.
  const { runCli } = await import('../dist/server/cli/run.js');
  const started = performance.now();
  let stderr = '';
  const code = await runCli(['import', '--from', 'goatcounter', flags.measure, '--site', 'blog.example.com', '--data-dir', flags.data], {
    env: {},
    stdout: () => {},
    stderr: (text) => void (stderr += text),
  });
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ code, ms, maxRssMb: process.resourceUsage().maxRSS / 1024, stderr }));
} else {
  const sizes = flags.rows === undefined ? [100_000, 1_000_000] : [Number(flags.rows)];
  for (const rows of sizes) await benchOne(rows, flags.gzip);
}

async function benchOne(rows, gzip) {
  const dir = mkdtempSync(join(tmpdir(), 'readcounter-bench-import-'));
  try {
    const file = join(dir, `goatcounter-export.csv${gzip ? '.gz' : ''}`);
    await generate(file, rows, gzip);
    const result = JSON.parse(await run(process.execPath, [SELF, '--measure', file, '--data', join(dir, 'data')]));
    if (result.code !== 0) throw new Error(result.stderr);
    const mb = statSync(file).size / 1024 / 1024;
    console.log(`${rows.toLocaleString('en-US')} rows (${mb.toFixed(1)} MB${gzip ? ' gzipped' : ''}): ${(result.ms / 1000).toFixed(1)} s, ${Math.round(rows / (result.ms / 1000)).toLocaleString('en-US')} rows/s, peak RSS ${result.maxRssMb.toFixed(0)} MB`);
    console.log(result.stderr.split('\n').slice(0, 3).map((line) => `  ${line}`).join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Rows over ARTICLES paths (with trailing slashes and queries that normalise away) and DAYS
// days; 5% bots and 5% events, as a real export would carry.
async function generate(file, rows, gzip) {
  const out = createWriteStream(file);
  const sink = gzip ? createGzip() : out;
  if (gzip) sink.pipe(out);
  const start = Date.UTC(2023, 0, 1);
  let batch = HEADER;
  for (let i = 0; i < rows; i++) {
    const n = (i * 7919) % ARTICLES;
    const path = i % 3 === 0 ? `/posts/article-${n}/` : i % 3 === 1 ? `/posts/article-${n}?utm_source=feed` : `/posts/article-${n}`;
    const at = new Date(start + ((i * 104_729) % (DAYS * 86_400_000))).toISOString().replace(/\.\d+Z$/, 'Z');
    const event = i % 20 === 7 ? 1 : 0;
    const bot = i % 20 === 13 ? 3 : 0;
    batch += `${event ? 'click' : path},"Article ${n}, a title",${event},,Firefox 120,Linux,${i},${bot},,,"1920,1080,1",NL,1,${at}\n`;
    if (batch.length > 1 << 20) {
      if (!sink.write(batch)) await new Promise((resolve) => sink.once('drain', resolve));
      batch = '';
    }
  }
  sink.end(batch);
  await new Promise((resolve) => out.once('close', resolve));
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`exit ${code}`))));
  });
}
