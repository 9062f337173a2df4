import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { connect } from '../../helpers/ws.js';
import { ADMIN_TOKEN } from '../../helpers/admin-browser.js';
import { countRead } from '../../helpers/count-read.js';
import { parsePrometheus, sampleValue } from './prometheus.js';

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function scrape(url: string, headers: Record<string, string> = auth) {
  const response = await fetch(`${url}/metrics`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheus(await response.text());
}

describe('GET /metrics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ADMIN_TOKEN });
  });
  afterAll(async () => {
    await server.close();
  });

  it('parses as Prometheus text with the readcounter figures and the process metrics', async () => {
    const { types } = await scrape(server.url);
    expect(Object.fromEntries([...types].filter(([name]) => name.startsWith('readcounter_')))).toEqual({
      readcounter_connections: 'gauge',
      readcounter_subscriptions: 'gauge',
      readcounter_reading_now: 'gauge',
      readcounter_broadcasts_total: 'counter',
      readcounter_frames_sent_total: 'counter',
      readcounter_frames_skipped_total: 'counter',
      readcounter_reads_counted_total: 'counter',
      readcounter_reads_refused_total: 'counter',
      readcounter_bots_seen_total: 'counter',
      readcounter_broadcast_latency_seconds: 'histogram',
      readcounter_lmdb_commit_seconds: 'histogram',
    });
    expect(types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(types.get('nodejs_heap_size_used_bytes')).toBe('gauge');
  });

  it('moves when reads happen', async () => {
    const before = (await scrape(server.url)).samples;
    const watcher = await connect(server.wsUrl);
    watcher.send({ type: 'subscribe', article: '/posts/hello', mode: 'watching' });
    await watcher.next('count');
    const reader = await countRead(server, '/posts/hello');
    reader.send({ type: 'read', article: '/posts/hello' });
    await reader.next('error');
    await watcher.next('count');
    const bot = await connect(server.wsUrl, { userAgent: 'Googlebot/2.1 (+http://www.google.com/bot.html)' });

    const after = (await scrape(server.url)).samples;
    const delta = (name: string, labels?: Record<string, string>) => (sampleValue(after, name, labels) ?? 0) - (sampleValue(before, name, labels) ?? 0);
    expect(delta('readcounter_reads_counted_total')).toBe(1);
    expect(delta('readcounter_reads_refused_total', { reason: 'already_counted' })).toBe(1);
    const bots = (samples: typeof after) => samples.filter((s) => s.name === 'readcounter_bots_seen_total').reduce((sum, s) => sum + s.value, 0);
    expect(bots(after) - bots(before)).toBe(1);
    expect(sampleValue(after, 'readcounter_connections')).toBe(3);
    expect(sampleValue(after, 'readcounter_subscriptions')).toBe(2);
    expect(sampleValue(after, 'readcounter_reading_now')).toBe(1);
    expect(delta('readcounter_broadcasts_total')).toBeGreaterThanOrEqual(1);
    // The watcher's frame of the read (the reader's own is its `counted` reply); the reader's
    // arrival alone waits for the presence cadence, so it may or may not have added a round.
    expect(delta('readcounter_frames_sent_total')).toBeGreaterThanOrEqual(1);
    expect(delta('readcounter_lmdb_commit_seconds_count')).toBe(1);
    expect(delta('readcounter_broadcast_latency_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sampleValue(after, 'readcounter_lmdb_commit_seconds_bucket', { le: '+Inf' })).toBe(sampleValue(after, 'readcounter_lmdb_commit_seconds_count'));

    await Promise.all([watcher.close(), reader.close(), bot.close()]);
  });

  it('counts bots by reason', async () => {
    const bot = await connect(server.wsUrl, { userAgent: 'Googlebot/2.1 (+http://www.google.com/bot.html)' });
    const { samples } = await scrape(server.url);
    const bots = samples.filter((s) => s.name === 'readcounter_bots_seen_total');
    expect(bots.reduce((sum, s) => sum + s.value, 0)).toBeGreaterThanOrEqual(1);
    expect(bots.every((s) => typeof s.labels.reason === 'string')).toBe(true);
    await bot.close();
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: 'Bearer wrong-token-wrong-token' }],
  ])('answers %s with a 401', async (_, headers) => {
    expect((await fetch(`${server.url}/metrics`, { headers })).status).toBe(401);
  });
});

describe('METRICS_PORT', () => {
  let server: TestServer;
  let metricsUrl: string;
  beforeAll(async () => {
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}`;
    server = await startTestServer({ METRICS_PORT: String(port) });
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves /metrics without a token on its own port', async () => {
    const { types } = await scrape(metricsUrl, {});
    expect(types.get('readcounter_reads_counted_total')).toBe('counter');
  });

  it('serves nothing else there', async () => {
    for (const path of ['/dashboard', '/api/stats?site=x.com', '/api/export', '/healthz']) {
      expect((await fetch(`${metricsUrl}${path}`)).status).toBe(404);
    }
  });

  it('keeps /metrics on the main port closed without ADMIN_TOKEN', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
  });

  it('closes the metrics port with the server', async () => {
    await server.close();
    await expect(fetch(`${metricsUrl}/metrics`)).rejects.toThrow();
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
