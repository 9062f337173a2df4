import { setImmediate as nextTurn } from 'node:timers/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicReads, startTestServer, TEST_EPOCH, type TestServer } from '../../helpers/server.js';
import { startServerProcess, type ServerProcess } from '../../helpers/process.js';
import { siteStats } from '../../../server/stats/site-stats.js';
import { ITEMS_PER_TURN } from '../../../server/stats/yielding.js';
import { CHUNK_BYTES } from '../../../server/http/text-stream.js';
import type { DailyRow, Store } from '../../../server/store/port.js';
import { ADMIN_TOKEN } from '../../helpers/admin-browser.js';

const SITE = 'blog.example.com';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const DAY_MS = 86_400_000;

/** `articles` articles with one row on each of `days` days ending at TEST_EPOCH, merged in one transaction. */
async function bulkSeed(store: Store, articles: number, days: number): Promise<number> {
  const rows: DailyRow[] = [];
  for (let a = 0; a < articles; a++) {
    for (let d = 0; d < days; d++) rows.push({ site: SITE, article: `/posts/${a}`, day: new Date(TEST_EPOCH - d * DAY_MS).toISOString().slice(0, 10), reads: 1 + (a % 3) });
  }
  await store.mergeCounts(rows, []);
  return rows.length;
}

describe('bounded admin queries', () => {
  let server: TestServer;
  let rowCount: number;
  const error = async (path: string) => {
    const response = await fetch(`${server.url}${path}`, { headers: auth });
    return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } } };
  };
  beforeAll(async () => {
    server = await startTestServer({ ADMIN_TOKEN });
    rowCount = await bulkSeed(server.store, 2000, 12);
  });
  afterAll(async () => {
    await server.close();
  });

  it.each([
    ['from=9999-12-31&to=9999-12-31', /(from|to) must be a day from 2000-01-01 to 2099-12-31/],
    ['to=9999-12-31', /to must be a day from 2000-01-01 to 2099-12-31/],
    ['from=1999-12-31&to=2000-01-05', /from must be a day from 2000-01-01/],
    ['from=2020-01-01&to=2025-01-05', /at most 1830 days/],
    ['from=2026-02-30', /YYYY-MM-DD/],
  ])('refuses ?%s with 400 bad_date, and changes nothing', async (query, message) => {
    const before = await publicReads(server.url, SITE, '/posts/1');
    const { status, body } = await error(`/api/stats?site=${SITE}&${query}`);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'bad_date', message: expect.stringMatching(message) });
    expect(await publicReads(server.url, SITE, '/posts/1')).toBe(before);
  });

  it.each(['0', '1001', 'ten', '-1', '1.5'])('refuses limit=%s with 400 bad_limit', async (limit) => {
    const { status, body } = await error(`/api/stats?site=${SITE}&limit=${limit}`);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'bad_limit', message: expect.stringMatching(/limit must be a whole number from 1 to 1000/) });
  });

  it('lists at most `limit` articles (1000 by default) and says how many there are', async () => {
    const first = (await (await fetch(`${server.url}/api/stats?site=${SITE}&limit=3`, { headers: auth })).json()) as { articles: { article: string }[]; articleCount: number };
    expect(first.articles).toHaveLength(3);
    expect(first.articleCount).toBe(2000);
    const all = (await (await fetch(`${server.url}/api/stats?site=${SITE}`, { headers: auth })).json()) as { articles: unknown[]; articleCount: number };
    expect(all.articles).toHaveLength(1000);
  });

  it('lets other work run while a site-wide scan is under way', async () => {
    let done = false;
    const stats = siteStats({ store: server.store, hub: server.hub }, SITE, { from: '2025-01-01', to: '2026-01-15' }, TEST_EPOCH).then((s) => {
      done = true;
      return s;
    });
    // The scan reads rowCount rows in slices of ITEMS_PER_TURN: another task gets in between.
    expect(rowCount).toBeGreaterThan(2 * ITEMS_PER_TURN);
    await nextTurn();
    expect(done).toBe(false);
    expect((await stats).reads).toBe((await server.store.siteTotal(SITE)).reads);
  });

  it('streams the export: /healthz answers while a download sits unread, and the whole file arrives', async () => {
    const response = await fetch(`${server.url}/api/export?format=csv`, { headers: auth });
    expect(response.headers.get('content-length')).toBeNull();
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.value!.byteLength).toBeLessThanOrEqual(2 * CHUNK_BYTES);
    // The client has not read the rest: the server must still answer everyone else.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    let text = new TextDecoder().decode(first.value);
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += new TextDecoder().decode(chunk.value);
    expect(text.trimEnd().split('\r\n')).toHaveLength(rowCount + 1);
  });

  it('streams the JSON export too, as one valid document', async () => {
    const body = (await (await fetch(`${server.url}/api/export?format=json&site=${SITE}`, { headers: auth })).json()) as { totals: unknown[]; rows: unknown[] };
    expect(body.totals).toHaveLength(2000);
    expect(body.rows).toHaveLength(rowCount);
  });
});

describe('a query for the far future, in a server process of its own', () => {
  let dataDir: string;
  let server: ServerProcess;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'readcounter-far-'));
    server = await startServerProcess({ DATA_DIR: dataDir, ADMIN_TOKEN });
  });
  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 400 bad_date, and /healthz still answers after it (it used to loop forever and kill the process)', async () => {
    // The signal only keeps a regression from hanging the test run; nothing here is timed.
    const response = await fetch(`${server.url}/api/stats?site=${SITE}&from=9999-12-31&to=9999-12-31`, { headers: auth, signal: AbortSignal.timeout(20_000) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('bad_date');
    expect((await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(20_000) })).status).toBe(200);
  });
});
