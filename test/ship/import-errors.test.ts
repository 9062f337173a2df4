import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServerProcess } from '../helpers/process.js';
import { connect } from '../helpers/ws.js';
import { FAST_READS, runCliProcess, tempDir } from './helpers.js';
import { FIXTURES, cli, exported, variant } from './import-helpers.js';

const SITE = 'blog.example.com';

/** Cuts a fixture's bytes short, as an interrupted download would. */
function truncated(dir: string, file: string, keep: number): string {
  const path = join(dir, `cut-${file}`);
  const bytes = readFileSync(join(FIXTURES, file));
  writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * keep)));
  return path;
}

describe('readcounter import refuses a file it cannot read', () => {
  let data: ReturnType<typeof tempDir>;
  let scratch: ReturnType<typeof tempDir>;
  beforeEach(async () => {
    data = tempDir('import-bad');
    scratch = tempDir('import-files');
    // Something already stored, so "changes nothing" is a real check.
    expect((await cli(['import', '--from', 'shynet', join(FIXTURES, 'shynet-hits.csv')], data.path)).code).toBe(0);
  });
  afterEach(() => {
    data.remove();
    scratch.remove();
  });

  // Each: how to make the bad file, its --from and flags, and the message (naming the physical line).
  const cases: [string, (dir: string) => string, string[], RegExp][] = [
    ['a GoatCounter row after a cell over two lines', (d) => variant(d, 'goatcounter-export-v2.csv', (t) => `${t}/posts/x,X,0,,,,9,0,,,,,1,yesterday\r\n`), ['goatcounter', '--site', SITE], /is not a GoatCounter export: line 9: Date must be an RFC 3339 time.*"yesterday"/],
    ['an unknown GoatCounter version', () => join(FIXTURES, 'goatcounter-export-v3.csv'), ['goatcounter', '--site', SITE], /line 1: GoatCounter CSV export version 3 is not supported; this release reads versions 1 and 2/],
    ['a GoatCounter CSV cut off mid-row', () => join(FIXTURES, 'goatcounter-truncated.csv'), ['goatcounter', '--site', SITE], /line 3: expected 14 cells as in the header, got 6 \(is the row cut off\?\)/],
    ['a cut-off gzip', (d) => truncated(d, 'goatcounter-export-v1.csv.gz', 0.6), ['goatcounter', '--site', SITE], /line \d+: the file cannot be read past here: unexpected end of file/],
    ['a cut-off zip', (d) => truncated(d, 'plausible-export.zip', 0.7), ['plausible'], /is not a Plausible CSV export: the zip archive cannot be read/],
    ['a zip that is not a Plausible export', () => join(FIXTURES, 'goatcounter-export.zip'), ['plausible'], /the zip holds no imported_pages_YYYYMMDD_YYYYMMDD\.csv/],
    ['Plausible pageviews that are not a number', (d) => variant(d, 'plausible-pages.csv', (t) => t.replace('/posts/other,1,1,1', '/posts/other,1,1,many')), ['plausible'], /line 4: pageviews must be a whole number, got "many"/],
    ['an Umami time that is not one', (d) => variant(d, 'umami-website-event.csv', (t) => t.replace('2024-03-05T23:30:00Z', '2024-13-05T23:30:00Z')), ['umami'], /line 3: created_at must be a time.*"2024-13-05T23:30:00Z"/],
    ['an Umami file without url_path', (d) => variant(d, 'umami-website-event.csv', (t) => t.replace('url_path', 'path')), ['umami'], /line 1: no "url_path" column/],
    ['negative Shynet views', (d) => variant(d, 'shynet-hits.csv', (t) => t.replace('hn,3', 'hn,-3')), ['shynet'], /line 2: views must be a whole number, got "-3"/],
    ['a Shynet path without a host and no --site', (d) => variant(d, 'shynet-hits.csv', (t) => t.replace('https://blog.example.com/posts/other', '/posts/other')), ['shynet'], /line 4: this file does not name the site; pass --site HOST/],
    ['GA4 views written 1.2k', (d) => variant(d, 'ga4-pages.csv', (t) => t.replace(',12\r\n', ',1.2k\r\n')), ['ga4', '--site', SITE], /line 11: screenPageViews must be a whole number, got "1\.2k"/],
    ['a GA4 quoted cell never closed', (d) => variant(d, 'ga4-pages.csv', (t) => t.replace('20240306,(not set)', '20240306,"(not set)')), ['ga4', '--site', SITE], /line 12: a quoted cell is never closed/],
  ];

  it.each(cases)('%s: exits 1, names the line and changes nothing', async (_what, make, [from, ...flags], message) => {
    const file = make(scratch.path);
    const before = await exported(data.path);
    const result = await cli(['import', '--from', from!, file, ...flags], data.path);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(file);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/Nothing was imported\./);
    expect(await exported(data.path)).toBe(before);
  });

  it.each([
    [['--from', 'matomo'], /--from must be one of readcounter, goatcounter, plausible, umami, shynet, ga4; got "matomo"/],
    [['--from', 'goatcounter'], /a GoatCounter file does not name the site: add --site HOST/],
    [['--from', 'ga4', '--site', 'not a host'], /--site: site must be a host/],
  ])('refuses the command line %j with exit 2, changing nothing', async (flags, message) => {
    const before = await exported(data.path);
    const result = await cli(['import', join(FIXTURES, 'ga4-pages.csv'), ...flags], data.path);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(await exported(data.path)).toBe(before);
  });
});

describe('readcounter import beside a running server', () => {
  let data: ReturnType<typeof tempDir>;
  beforeEach(() => {
    data = tempDir('import-live');
  });
  afterEach(() => data.remove());

  it('merges while the server runs, and open pages are sent the new counts', async () => {
    const server = await startServerProcess({ DATA_DIR: data.path, ...FAST_READS });
    try {
      const page = await connect(`${server.url.replace(/^http/, 'ws')}/ws`);
      page.send({ type: 'subscribe', article: '/posts/hello', mode: 'watching' });
      expect(await page.next('count')).toMatchObject({ article: '/posts/hello', reads: 0 });

      const result = await runCliProcess(['import', '--from', 'shynet', join(FIXTURES, 'shynet-hits.csv')], { DATA_DIR: data.path });
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(result.stderr).toMatch(/the server running on DATA_DIR was told; open pages now show the new counts/);
      expect(await page.next('count')).toMatchObject({ article: '/posts/hello', reads: 5 });

      // A read counted live after the import adds to the imported total.
      page.send({ type: 'subscribe', article: '/posts/other' });
      await page.next('count');
      page.send({ type: 'read', article: '/posts/other' });
      expect(await page.next('counted')).toMatchObject({ article: '/posts/other', reads: 2 });
      await page.close();
    } finally {
      server.child.kill('SIGTERM');
      expect((await server.exited).code).toBe(0);
    }
  });
});
