import { describe, expect, it } from 'vitest';
import { countOf, eventsOf, shownText, waitForCount } from './browser.js';
import { reads, settled, until, useFakeServer } from './fake-server.js';

const { open: openWithFakeServer, openReal } = useFakeServer();

describe('<read-counter>', { timeout: 20_000 }, () => {
  it('shows its fallback and a null count until the first count, then never a lower count', async () => {
    const { page, fake } = await openWithFakeServer('/posts/fallback');
    await until(() => fake.frames.length === 1);
    expect(await countOf(page)).toBeNull();
    expect(await page.locator('read-counter').innerText()).toBe('– reads');

    fake.send({ type: 'count', article: '/posts/fallback', reads: 5, live: 1 });
    await waitForCount(page, 5);
    expect(await shownText(page)).toBe('5 reads');
    expect(await page.locator('read-counter').innerText()).toBe('');
    fake.send({ type: 'count', article: '/posts/fallback', reads: 3, live: 2 });
    await expect.poll(() => eventsOf(page).then((e) => e.length)).toBe(2);
    expect(await countOf(page)).toBe(5);
    expect((await eventsOf(page)).map((e) => e.detail)).toEqual([
      { reads: 5, live: 1 },
      { reads: 5, live: 2 },
    ]);
  });

  it("waits for the dwell time from the server's hello", async () => {
    const { page, fake } = await openWithFakeServer('/posts/short-dwell', { dwellSeconds: 3 });
    await until(() => fake.frames.length === 1);
    await page.clock.runFor(3_000);
    expect(reads(fake)).toBe(0);
    await page.clock.runFor(500);
    await until(() => reads(fake) === 1);
    expect(fake.frames).toEqual([
      { type: 'subscribe', article: '/posts/short-dwell', mode: 'reading' },
      { type: 'read', article: '/posts/short-dwell' },
    ]);
  });

  it('retries a read refused as too early once, after retryAfterMs', async () => {
    const article = '/posts/too-early';
    const { page, fake } = await openWithFakeServer(article, {
      reply: (m, f) => {
        if (m.type === 'read') f.send({ type: 'error', code: 'too_early', message: 'early', article, retryAfterMs: 3000 });
      },
    });
    await until(() => fake.frames.length === 1);
    await page.clock.runFor(10_500);
    await until(() => reads(fake) === 1);
    await page.clock.runFor(2_500);
    expect(reads(fake)).toBe(1);
    await page.clock.runFor(1_000);
    await until(() => reads(fake) === 2);
    await page.clock.runFor(60_000);
    expect((await settled(page, fake)).filter((m) => m.type === 'read')).toHaveLength(2);
  });

  it('fires read-counter-counted when the server confirms the read', async () => {
    const article = '/posts/counted';
    const { page } = await openWithFakeServer(article, {
      reply: (m, f) => {
        if (m.type === 'subscribe') f.send({ type: 'count', article, reads: 41, live: 1 });
        if (m.type === 'read') f.send({ type: 'counted', article, reads: 42, live: 3 });
      },
    });
    await waitForCount(page, 41);
    await page.clock.runFor(10_500);
    await waitForCount(page, 42);
    expect((await eventsOf(page)).at(-1)).toEqual({ type: 'read-counter-counted', id: 'c1', detail: { reads: 42 } });
    // `counted` carries the whole state: the live figure is taken from it too.
    expect(await page.evaluate(() => (document.querySelector('read-counter') as HTMLElement & { count: number | null }).count)).toBe(42);
  });

  it('formats with the page language, compactly when large, with the exact count in the title', async () => {
    const article = '/posts/big';
    const { page, fake } = await openWithFakeServer(`${article}?live&lang=de`, {
      reply: (m, f) => m.type === 'subscribe' && f.send({ type: 'count', article, reads: 1_234_567, live: 3 }),
    });
    await waitForCount(page, 1_234_567);
    expect(await shownText(page)).toBe('1,2 Mio. reads 3 reading now');
    const title = await page.$eval('read-counter', (el) => el.shadowRoot!.querySelector<HTMLElement>('[part=counter]')!.title);
    expect(title).toBe('1.234.567 reads, 3 reading now');
    // What a screen reader gets: one image named with the exact figures (its children, the
    // compact text, are presentational), and no live region to announce every tick.
    expect(await page.getByRole('img', { name: '1.234.567 reads, 3 reading now', exact: true }).count()).toBe(1);
    expect(await page.$eval('read-counter', (el) => el.shadowRoot!.querySelector('[aria-live],[role=status]'))).toBeNull();
    expect(fake.frames[0]).toEqual({ type: 'subscribe', article, mode: 'reading' });
  });

  it('takes a singular and a plural from label="one|other", and one word for every count', async () => {
    const article = '/posts/label';
    const { page, fake } = await openWithFakeServer(article);
    await until(() => fake.frames.length === 1);
    await page.$eval('read-counter', (el) => el.setAttribute('label', 'Lesung|Lesungen'));
    fake.send({ type: 'count', article, reads: 1, live: 1 });
    await waitForCount(page, 1);
    expect(await shownText(page)).toBe('1 Lesung');
    fake.send({ type: 'count', article, reads: 2, live: 1 });
    await waitForCount(page, 2);
    expect(await shownText(page)).toBe('2 Lesungen');
    await page.$eval('read-counter', (el) => el.setAttribute('label', 'Mal gelesen'));
    expect(await shownText(page)).toBe('2 Mal gelesen');
  });

  it('hides "reading now" while the socket is down, and shows it again with the next count', async () => {
    const article = '/posts/live-offline';
    const { page, fake } = await openWithFakeServer(`${article}?live`, {
      reply: (m, f) => m.type === 'subscribe' && f.send({ type: 'count', article, reads: 5, live: f.sockets.length + 2 }),
    });
    await waitForCount(page, 5);
    expect(await shownText(page)).toBe('5 reads 3 reading now');
    await fake.sockets[0]!.close({ code: 1001 });
    await expect.poll(() => shownText(page)).toBe('5 reads');
    expect(await page.$eval('read-counter', (el) => el.shadowRoot!.querySelector<HTMLElement>('[part=counter]')!.title)).toBe('5 reads');
    await page.clock.runFor(1_000);
    await expect.poll(() => shownText(page)).toBe('5 reads 4 reading now');
    // The count never went away, and no update claimed an unknown live figure.
    expect((await eventsOf(page)).map((e) => e.detail)).toEqual([
      { reads: 5, live: 3 },
      { reads: 5, live: 4 },
    ]);
  });

  it('takes the article from a canonical link on the same host, and ignores one on another', async () => {
    const same = await openWithFakeServer(`/posts/copy?canonical=${encodeURIComponent('/posts/original/')}`);
    await until(() => same.fake.frames.length === 1);
    expect(same.fake.frames[0]).toEqual({ type: 'subscribe', article: '/posts/original', mode: 'reading' });

    const other = await openWithFakeServer(`/posts/copy?canonical=${encodeURIComponent('https://elsewhere.example/posts/original')}`);
    await until(() => other.fake.frames.length === 1);
    expect(other.fake.frames[0]).toEqual({ type: 'subscribe', article: '/posts/copy', mode: 'reading' });
  });

  it('resubscribes when its article or readonly attribute changes', async () => {
    const { page, fake } = await openWithFakeServer('/posts/route-a', {
      reply: (m, f) => m.type === 'subscribe' && f.send({ type: 'count', article: m.article, reads: m.article.length, live: 1 }),
    });
    await waitForCount(page, '/posts/route-a'.length);
    await page.$eval('read-counter', (el) => el.setAttribute('article', '/posts/route-bb'));
    await waitForCount(page, '/posts/route-bb'.length);
    await page.$eval('read-counter', (el) => el.setAttribute('readonly', ''));
    await until(() => fake.frames.length === 4);
    expect(fake.frames).toEqual([
      { type: 'subscribe', article: '/posts/route-a', mode: 'reading' },
      { type: 'subscribe', article: '/posts/route-bb', mode: 'reading' },
      { type: 'unsubscribe', article: '/posts/route-a' },
      { type: 'subscribe', article: '/posts/route-bb', mode: 'watching' },
    ]);
    await page.clock.runFor(30_000);
    expect(reads(fake)).toBe(0);
  });

  it('defines itself once when the script is included twice, and opens one socket', async () => {
    const errors: Error[] = [];
    let sockets = 0;
    const page = await openReal('/posts/twice?twice', (opened) => {
      opened.on('pageerror', (error) => errors.push(error));
      opened.on('websocket', () => void (sockets += 1));
    });
    await waitForCount(page, 0);
    await page.waitForFunction(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('counter.js')).length === 2);
    expect(errors).toEqual([]);
    expect(sockets).toBe(1);
  });
});
