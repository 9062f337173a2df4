// A load generator process (child_process.fork). The bench driver sends it commands over
// IPC; it holds a share of the sockets: watchers that log every count they receive, and a
// pool of readers that each count an article once. Every wait is bounded, and it exits when
// its parent goes away.
import { setTarget } from './connect.mjs';
import { closeWatchers, openWatchers, pageStatus, watcherStatus } from './watchers.mjs';
import { analyze, arm, converged } from './watch-log.mjs';
import { churn } from './churn.mjs';
import { armStorm, readSome, stopStorm, stormStatus } from './reconnect.mjs';
import { closeReaders, ingestRun, ingestSetup, openReaders, read, readerStatus } from './readers.mjs';

const COMMANDS = {
  setup: (args) => (setTarget(args), { pid: process.pid }),
  openWatchers,
  arm,
  converged,
  analyze,
  openReaders,
  read,
  ingestSetup,
  ingestRun,
  pageStatus,
  churn,
  readSome,
  armStorm,
  stormStatus,
  stopStorm,
  closeAll: () => (stopStorm(), closeWatchers(), closeReaders(), { closed: true }),
  status: () => ({ watchers: watcherStatus(), readers: readerStatus() }),
};

process.on('message', async (message) => {
  const { id, command, args } = message;
  try {
    const result = await COMMANDS[command](args ?? {});
    process.send({ id, ok: true, result });
  } catch (error) {
    process.send({ id, ok: false, error: String(error?.stack ?? error) });
  }
});
process.on('disconnect', () => process.exit(0));
