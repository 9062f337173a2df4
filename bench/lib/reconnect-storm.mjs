// Issue 10's reconnect storm, driver side: N pages reading one article, a few of them read,
// then the server restarts on the same port and DATA_DIR (readcounter: SIGTERM, as a deploy
// does; the baseline: killed). Every page reconnects as the element does (reconnect.mjs);
// the figure is the time until all are back and shown the right count.
import { setTimeout as sleep } from 'node:timers/promises';
import { openSession } from './session.mjs';
import { FILE_LIMIT, FILE_MARGIN } from './scenarios.mjs';
import { foldStatus } from './viral-stats.mjs';
import { OPEN_LIMIT_MS } from './hot-post.mjs';
import { now } from './raw-socket.mjs';

const ARTICLE = '/storm';
/** Pages that read before the restart: the count readcounter must still show after it. */
const READS = 10;
/** The storm gives up after this long (the element's backoff caps at 30 s a retry). */
const STORM_LIMIT_MS = 150_000;

/**
 * Reconnect storm: `pages` pages (or as many as the file limit allows) on one article.
 * @param {'baseline' | 'readcounter'} kind
 */
export async function reconnectStorm(kind, { pages, log }) {
  const session = await openSession(kind, { log });
  const gens = () => session.watcherGenerators;
  const fold = async (/** @type {string} */ command, args = {}) => foldStatus(await Promise.all(gens().map((g) => g.call(command, args))));
  try {
    const room = FILE_LIMIT - session.server.openFiles() - FILE_MARGIN;
    const planned = pages;
    const count = Math.min(pages, room);
    const opened = await session.openWatchers(count, [ARTICLE], false, { mode: 'reading', withinMs: OPEN_LIMIT_MS });
    // A few pages read: readcounter keeps these across the restart, the baseline loses them.
    await gens()[0].call('readSome', { article: ARTICLE, count: READS });
    const counted = await waitForReads(session, READS, 30_000);
    const expected = kind === 'readcounter' ? READS : null;
    const armed = await fold('armStorm', { article: ARTICLE, expected });
    const restart = await session.server.restart({ kill: kind === 'baseline' });
    const deadline = now() + STORM_LIMIT_MS;
    let s;
    for (;;) {
      s = await fold('stormStatus');
      if (s.right + s.wrong >= armed.pages || now() > deadline) break;
      await sleep(100);
    }
    await fold('stopStorm');
    const done = s.right === armed.pages;
    const doneAt = done ? s.lastRightAt : NaN;
    const result = {
      planned, fits: count, pages: armed.pages, failed: opened.failed, countedBefore: counted, expected,
      back: s.back, right: s.right, wrong: s.wrong, attempts: s.attempts, done,
      downMs: restart.listeningAt - restart.closedAt,
      stopMs: restart.closedAt - restart.stoppedAt,
      fromListeningMs: doneAt - restart.listeningAt,
      fromClosedMs: doneAt - restart.closedAt,
      fromStopMs: doneAt - restart.stoppedAt,
    };
    log(`  ${kind} reconnect storm, ${armed.pages} pages: ${done ? `all back with the right count ${(result.fromListeningMs / 1000).toFixed(2)} s after it listened again` : `NOT all back: ${s.right} right, ${s.wrong} wrong, ${s.back} back`} (${s.attempts} attempts; down ${result.downMs.toFixed(0)} ms)`);
    return result;
  } finally {
    await session.close();
  }
}

/** Waits until every page shows `reads`; returns whether they did. */
async function waitForReads(session, reads, deadlineMs) {
  const deadline = now() + deadlineMs;
  for (;;) {
    const s = foldStatus(await Promise.all(session.watcherGenerators.map((g) => g.call('pageStatus', { article: ARTICLE, reads }))));
    if (s.holdReads === s.total) return true;
    if (now() > deadline) return false;
    await sleep(100);
  }
}
