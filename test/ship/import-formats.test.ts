import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SiteStats } from '../../server/stats/site-stats.js';
import { publicReads, startTestServer } from '../helpers/server.js';
import { tempDir } from './helpers.js';
import { FIXTURES, cli, exported } from './import-helpers.js';

const ADMIN_TOKEN = 'import-test-token-0123456789';
const SITE = 'blog.example.com';

/** Expected reads by site, then article, then UTC day: counted by hand from the fixture. */
type Expected = Record<string, Record<string, Record<string, number>>>;

interface FormatCase {
  from: string;
  file: string;
  args: string[];
  expected: Expected;
  summary: RegExp;
}

const CASES: FormatCase[] = [
  {
    // BOM, CRLF, a title with a comma and `""`, a title over two lines, `/posts/hello/` and
    // `?utm_source=` that normalise to one article, a bot and an event to skip.
    from: 'goatcounter',
    file: 'goatcounter-export-v2.csv',
    args: ['--site', SITE],
    expected: { [SITE]: { '/posts/hello': { '2024-03-05': 2, '2024-03-06': 1 }, '/posts/other': { '2024-03-06': 1 } } },
    summary: /4 page views in 2 articles over 2 days, for blog\.example\.com \(--site\)\nimport: 2 rows skipped: 1 bot, 1 event\n/,
  },
  {
    // Version 1 orders its columns differently; gzipped; LF; Event as true/false.
    from: 'goatcounter',
    file: 'goatcounter-export-v1.csv.gz',
    args: ['--site', SITE],
    expected: { [SITE]: { '/posts/hello': { '2024-03-05': 1, '2024-03-06': 1 } } },
    summary: /2 page views in 1 article over 2 days.*\nimport: 1 row skipped: 1 bot\n/,
  },
  {
    from: 'goatcounter',
    file: 'goatcounter-export.zip',
    args: ['--site', SITE],
    expected: { [SITE]: { '/posts/hello': { '2024-03-05': 7, '2024-03-06': 3 }, '/posts/other': { '2024-03-06': 1 } } },
    summary: /11 page views in 2 articles over 2 days.*\nimport: 1 row skipped: 1 event\n/,
  },
  {
    // No --site: each host is its own site; `www.` merges with the bare host.
    from: 'plausible',
    file: 'plausible-export.zip',
    args: [],
    expected: {
      [SITE]: { '/posts/hello': { '2024-03-05': 6 }, '/posts/other': { '2024-03-06': 1 } },
      'docs.example.com': { '/guide': { '2024-03-06': 5 } },
    },
    summary: /12 page views in 3 articles over 2 days, each host as its own site \(2: blog\.example\.com, docs\.example\.com\)[\s\S]*site's time zone/,
  },
  {
    from: 'plausible',
    file: 'plausible-export.zip',
    args: ['--site', SITE],
    expected: { [SITE]: { '/posts/hello': { '2024-03-05': 6 }, '/posts/other': { '2024-03-06': 1 } } },
    summary: /7 page views in 2 articles over 2 days, for blog\.example\.com \(--site\)\nimport: 1 row skipped: 1 row of another site\n/,
  },
  {
    // `2024-03-06 01:30:00+02` is 2024-03-05 in UTC; event_type 2 is a custom event.
    from: 'umami',
    file: 'umami-website-event.csv',
    args: [],
    expected: {
      [SITE]: { '/posts/hello': { '2024-03-05': 3 }, '/posts/other': { '2024-03-06': 1 } },
      'other.example.org': { '/posts/hello': { '2024-03-06': 1 } },
    },
    summary: /5 page views in 3 articles over 2 days, each host as its own site \(2: blog\.example\.com, other\.example\.org\)\nimport: 1 row skipped: 1 event\n/,
  },
  {
    from: 'shynet',
    file: 'shynet-hits.csv',
    args: [],
    expected: { [SITE]: { '/posts/hello': { '2024-03-05': 5 }, '/posts/other': { '2024-03-06': 1 } } },
    summary: /6 page views in 2 articles over 2 days/,
  },
  {
    // `#` comment lines, CRLF, "1,234", and `(not set)`, which is no page.
    from: 'ga4',
    file: 'ga4-pages.csv',
    args: ['--site', SITE],
    expected: { [SITE]: { '/posts/hello': { '2024-03-05': 1240 }, '/posts/other': { '2024-03-06': 12 } } },
    summary: /1,252 page views in 2 articles over 2 days.*\nimport: 1 row skipped: 1 not a page path\n/,
  },
];

async function stats(url: string, site: string): Promise<SiteStats> {
  const response = await fetch(`${url}/api/stats?site=${site}&from=2024-03-01&to=2024-03-31`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as SiteStats;
}

/** /api/count and /api/stats of a real server started on `dataDir` equal `expected`. */
async function expectServed(dataDir: string, expected: Expected): Promise<void> {
  const server = await startTestServer({ DATA_DIR: dataDir, ADMIN_TOKEN });
  try {
    for (const [site, articles] of Object.entries(expected)) {
      const byDay = new Map<string, number>();
      for (const [article, days] of Object.entries(articles)) {
        const total = Object.values(days).reduce((sum, reads) => sum + reads, 0);
        expect(await publicReads(server.url, site, article), `${site}${article}`).toBe(total);
        for (const [day, reads] of Object.entries(days)) byDay.set(day, (byDay.get(day) ?? 0) + reads);
      }
      const body = await stats(server.url, site);
      expect(body.daily.filter((d) => d.reads > 0)).toEqual([...byDay].sort().map(([day, reads]) => ({ day, reads })));
      const totals = Object.fromEntries(Object.entries(articles).map(([article, days]) => [article, Object.values(days).reduce((a, b) => a + b, 0)]));
      expect(Object.fromEntries(body.articles.map((a) => [a.article, a.total]))).toEqual(totals);
    }
  } finally {
    await server.close();
  }
}

describe('readcounter import --from another tool', () => {
  let data: ReturnType<typeof tempDir>;
  beforeEach(() => {
    data = tempDir('import');
  });
  afterEach(() => data.remove());

  it.each(CASES.map((c) => [`${c.from} ${c.file} ${c.args.join(' ')}`, c] as const))(
    '%s: a new DATA_DIR serves the hand-counted figures; a second import changes nothing',
    async (_name, { from, file, args, expected, summary }) => {
      const first = await cli(['import', '--from', from, join(FIXTURES, file), ...args], data.path);
      expect(first, first.stderr).toMatchObject({ code: 0 });
      expect(first.stderr).toMatch(summary);
      expect(first.stderr).toMatch(/not dwell-checked/);
      await expectServed(data.path, expected);

      const before = await exported(data.path);
      const again = await cli(['import', '--from', from, join(FIXTURES, file), ...args], data.path);
      expect(again.stderr).toMatch(/0 days raised, 0 reads added \(already up to date\)/);
      expect(await exported(data.path)).toBe(before);
    },
  );

  it('keeps the larger figure of a day that was also counted live', async () => {
    const server = await startTestServer({ DATA_DIR: data.path });
    for (let i = 0; i < 7; i++) await server.store.increment(SITE, '/posts/hello', Date.UTC(2024, 2, 5, 12));
    await server.store.increment(SITE, '/posts/hello', Date.UTC(2024, 2, 6, 12));
    await server.close();
    const result = await cli(['import', '--from', 'shynet', join(FIXTURES, 'shynet-hits.csv')], data.path);
    // hello keeps its 7 live reads of 03-05 over the 5 imported; other gains its 1 on 03-06.
    expect(result.stderr).toMatch(/1 days raised, 1 reads added/);
    await expectServed(data.path, { [SITE]: { '/posts/hello': { '2024-03-05': 7, '2024-03-06': 1 }, '/posts/other': { '2024-03-06': 1 } } });
  });

  it('--dry-run prints the same summary and writes nothing, not even a new store', async () => {
    const file = join(FIXTURES, 'umami-website-event.csv');
    const dry = await cli(['import', '--from', 'umami', file, '--dry-run'], data.path);
    expect(dry, dry.stderr).toMatchObject({ code: 0 });
    expect(dry.stderr).toMatch(/5 page views in 3 articles[\s\S]*dry run, nothing written: it would raise 3 days and add 5 reads/);
    expect(readdirSync(data.path)).toEqual([]);
    await cli(['import', '--from', 'umami', file], data.path);
    const before = await exported(data.path);
    const dryAgain = await cli(['import', '--from', 'umami', file, '--dry-run'], data.path);
    expect(dryAgain.stderr).toMatch(/it would raise 0 days and add 0 reads/);
    expect(await exported(data.path)).toBe(before);
  });
});
