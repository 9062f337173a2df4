// Measures the server's memory while sockets that never read keep subscribing: issue 15's probe
// at a bounded scale. Usage: node bench/never-reading.mjs [main.js] [seconds] [sockets] [subscribes/s]
// (above 30 subscribes/s the server's MAX_FRAMES_PER_SECOND is raised to match, to fill the
// kernel's socket buffers, several MB each on loopback, within the run).
// Prints the server's RSS every 5 s and its peak, then reads and reports how each socket ended.
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const MAIN = process.argv[2] ?? fileURLToPath(new URL('../dist/server/main.js', import.meta.url));
const SECONDS = Number(process.argv[3] ?? 60);
const SOCKETS = Number(process.argv[4] ?? 100);
const PER_SECOND = Number(process.argv[5] ?? 20);
// Each subscribe is answered with a `count` frame of about 560 bytes.
const ARTICLE = `/${'x'.repeat(499)}`;
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

const dataDir = mkdtempSync(join(tmpdir(), 'readcounter-never-reading-'));
const child = fork(MAIN, [], {
  env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, DEDUPE: 'off', ALLOWED_ORIGINS: '', MAX_FRAMES_PER_SECOND: String(Math.max(30, PER_SECOND * 2)) },
  stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
});
let output = '';
const url = await new Promise((resolve) => {
  child.stdout.on('data', (chunk) => {
    output += chunk;
    const match = /listening on (http:\/\/\S+)/.exec(output);
    if (match) resolve(match[1]);
  });
});
const wsUrl = `${url.replace(/^http/, 'ws')}/ws`;
const codes = new Map();
const sockets = await Promise.all(
  Array.from({ length: SOCKETS }, () => new Promise((resolve) => {
    const ws = new WebSocket(wsUrl, { origin: 'https://blog.example.com', headers: { 'user-agent': UA } });
    ws.on('error', () => {});
    ws.on('close', (code) => codes.set(code, (codes.get(code) ?? 0) + 1));
    // Never read: the server's replies pile up in its buffers, not ours.
    ws.once('open', () => (ws._socket.pause(), resolve(ws)));
  })),
);
const start = rssMb(child.pid);
let peak = start;
console.log(`server ${MAIN}: ${SOCKETS} never-reading sockets, ${PER_SECOND} subscribes/s each, ${SECONDS} s; RSS at start ${start.toFixed(0)} MB`);
// Every 50 ms, each socket's share of the second.
const frame = JSON.stringify({ type: 'subscribe', article: ARTICLE, mode: 'watching' });
const sender = setInterval(() => {
  for (const ws of sockets) for (let i = 0; i < PER_SECOND / 20; i++) if (ws.readyState === WebSocket.OPEN) ws.send(frame);
}, 50);
for (let t = 5; t <= SECONDS; t += 5) {
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const rss = rssMb(child.pid);
  peak = Math.max(peak, rss);
  console.log(`t=${t}s rss=${rss.toFixed(0)} MB`);
}
clearInterval(sender);
console.log(`peak RSS ${peak.toFixed(0)} MB (+${(peak - start).toFixed(0)} MB)`);
// Read at last: what the server sent, and how it closed each socket it cut.
for (const ws of sockets) ws._socket.resume();
await new Promise((resolve) => setTimeout(resolve, 3000));
console.log(`closed by the server: ${JSON.stringify(Object.fromEntries(codes))}; still open: ${sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length}`);
for (const ws of sockets) ws.terminate();
child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
rmSync(dataDir, { recursive: true, force: true });
