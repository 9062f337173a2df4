#!/usr/bin/env node
// The production recipe without Docker (which cannot run here): exactly what the Dockerfile's
// runtime stage holds (dist/, package.json, package-lock.json, `npm ci --omit=dev`) in a clean
// temp folder, started on a fresh DATA_DIR, then checked: /healthz, /counter.js, a WebSocket
// count round-trip, the CLI, and SIGTERM → exit 0.
//
//   npm run test:prod                  (builds first)
//   SMOKE_INSTALL=install npm run test:prod
//     uses `npm install --omit=dev` instead of `npm ci`, to check everything else while the
//     lock file is out of sync (the Dockerfile's `npm ci` fails the same way until it is fixed).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ORIGIN = 'https://blog.example.com';
const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const STOP_LIMIT_MS = 5_000;
const started = performance.now();
const step = (message) => console.log(`smoke-prod: ${message} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
const fail = (message) => {
  console.error(`smoke-prod: FAILED: ${message}`);
  process.exit(1);
};

if (!existsSync(join(root, 'dist/server/main.js'))) fail('dist/ is missing: run `npm run build` first (npm run test:prod does)');
const app = mkdtempSync(join(tmpdir(), 'readcounter-prod-'));
const keep = process.env.SMOKE_KEEP === '1';
process.on('exit', () => (keep ? console.log(`smoke-prod: left ${app}`) : rmSync(app, { recursive: true, force: true })));

// 1. The runtime stage: the build output and production dependencies only.
for (const name of ['dist', 'package.json', 'package-lock.json']) cpSync(join(root, name), join(app, name), { recursive: true });
const install = process.env.SMOKE_INSTALL === 'install' ? ['install', '--no-save'] : ['ci'];
const npm = spawnSync('npm', [...install, '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, encoding: 'utf8' });
if (npm.status !== 0) {
  const why = (npm.stderr ?? '').split('\n').filter((line) => /npm error (Missing|`npm ci`|code)/.test(line)).join('\n');
  fail(`\`npm ${install.join(' ')} --omit=dev\` failed (exit ${npm.status}); the Dockerfile runs the same command:\n${why || npm.stderr}`);
}
for (const dev of ['typescript', 'vitest', 'esbuild']) if (existsSync(join(app, 'node_modules', dev))) fail(`dev dependency ${dev} was installed`);
step(`npm ${install[0]} --omit=dev done`);

// 2. Start it as the image does, on a fresh DATA_DIR.
const dataDir = join(app, 'data');
const env = { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DWELL_SECONDS: '0', DEDUPE: 'off', NODE_ENV: 'production' };
const server = spawn(process.execPath, ['dist/server/main.js'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
server.stdout.on('data', (chunk) => (output += chunk));
server.stderr.on('data', (chunk) => (output += chunk));
const exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
const url = await new Promise((resolve) => {
  const timer = setTimeout(() => fail(`no "listening" line within 15 s:\n${output}`), 15_000);
  const early = ({ code }) => fail(`the server exited with ${code} before listening:\n${output}`);
  server.once('exit', early);
  server.stdout.on('data', function onData() {
    const match = /listening on (http:\/\/\S+)/.exec(output);
    if (match === null) return;
    clearTimeout(timer);
    server.off('exit', early);
    server.stdout.off('data', onData);
    resolve(match[1]);
  });
});
step(`listening on ${url}`);

// 3. HTTP: health and the element's script.
const health = await fetch(`${url}/healthz`);
if (health.status !== 200) fail(`/healthz answered ${health.status}`);
const script = await fetch(`${url}/counter.js`);
const body = await script.text();
if (script.status !== 200 || !/javascript/.test(script.headers.get('content-type') ?? '') || !body.includes('read-counter')) {
  fail(`/counter.js answered ${script.status} ${script.headers.get('content-type')}`);
}
step('/healthz 200, /counter.js served');

// 4. A count round-trip over real WebSockets, with the ws package the image ships.
const WebSocket = createRequire(join(app, 'package.json'))('ws');
const open = () =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, { origin: ORIGIN, headers: { 'user-agent': BROWSER_UA } });
    ws.frames = [];
    ws.closedWith = new Promise((done) => ws.on('close', (code) => done(code)));
    ws.on('message', (data) => ws.frames.push(JSON.parse(data.toString())));
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
const until = async (ws, match, what) => {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const frame = ws.frames.find(match);
    if (frame !== undefined) return frame;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  fail(`no ${what} within 5 s; got ${JSON.stringify(ws.frames)}`);
};
const watcher = await open();
watcher.send(JSON.stringify({ type: 'subscribe', article: '/smoke', mode: 'watching' }));
await until(watcher, (m) => m.type === 'count' && m.reads === 0, 'initial count');
const reader = await open();
reader.send(JSON.stringify({ type: 'subscribe', article: '/smoke' }));
reader.send(JSON.stringify({ type: 'read', article: '/smoke' }));
await until(reader, (m) => m.type === 'counted' && m.reads === 1, '`counted` reply');
await until(watcher, (m) => m.type === 'count' && m.reads === 1, 'broadcast count of 1 to the watcher');
step('WebSocket read counted and broadcast');

// 5. The CLI the image puts on the PATH, against the running server.
const stats = spawnSync(process.execPath, ['dist/server/cli.js', 'stats'], { cwd: app, env, encoding: 'utf8' });
if (stats.status !== 0 || !/1 sites, 1 articles, 1 reads/.test(stats.stdout)) fail(`readcounter stats: exit ${stats.status}\n${stats.stdout}${stats.stderr}`);
step('readcounter stats works');

// 6. SIGTERM: exit 0 in time, pages told 1001.
const stopAt = performance.now();
server.kill('SIGTERM');
const exit = await exited;
const took = performance.now() - stopAt;
if (exit.code !== 0) fail(`SIGTERM ended the server with ${JSON.stringify(exit)}:\n${output}`);
if (took > STOP_LIMIT_MS) fail(`stopping took ${Math.round(took)} ms (limit ${STOP_LIMIT_MS})`);
const closeCode = await watcher.closedWith;
if (closeCode !== 1001) fail(`the watcher was closed with ${closeCode}, not 1001`);
step(`SIGTERM: exit 0 in ${Math.round(took)} ms, sockets closed with 1001`);
console.log('smoke-prod: PASSED');
