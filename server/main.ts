import { ConfigError, configWarnings, loadConfig } from './config.js';
import { StoreError } from './store/port.js';
import { isUnawaitedCommitFailure } from './store/lmdb/lmdb-store.js';
import { startServer } from './server.js';
import { hostError } from './host-error.js';
import { redactUrl } from './store/redis/connect.js';

// A clean stop commits pending reads and closes LMDB well within Fly's kill_timeout.
const SHUTDOWN_TIMEOUT_MS = 5_000;

const log = (message: string): void => console.log(`readcounter: ${message}`);

/** The only place that reads process.env and argv, and the only call to listen(). */
async function main(): Promise<void> {
  // Long only as a script: the start-up steps in order, each a few lines (settings, restore, listen, signals).
  let config;
  try {
    config = loadConfig(process.env, process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`readcounter: ${error.message}`);
    process.exit(2);
  }
  for (const warning of configWarnings(config)) console.warn(`readcounter: warning: ${warning}`);

  let server;
  try {
    server = await startServer({ config, log });
  } catch (error) {
    const badHost = hostError(error, config.host);
    if (badHost !== undefined) {
      console.error(`readcounter: ${badHost.message}`);
      process.exit(2);
    }
    if (!(error instanceof StoreError) && (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.error(`readcounter: ${(error as Error).message}`);
    process.exit(1);
  }
  const where = config.redisUrl === undefined ? config.dataDir : `${redactUrl(config.redisUrl)} under ${config.redisPrefix} (cluster node ${server.nodeId ?? ''}; DATA_DIR unused)`;
  log(`listening on ${server.url} (PORT=${server.port}), data in ${where}, dwell ${config.dwellSeconds} s`);
  if (config.metricsPort !== undefined) log(`metrics on port ${config.metricsPort} (GET /metrics, no token: keep it private)`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received: finishing pending reads and closing`);
    const force = setTimeout(() => {
      console.error(`readcounter: shutdown took more than ${SHUTDOWN_TIMEOUT_MS / 1000} s; exiting anyway`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    force.unref();
    server.close().then(
      () => {
        log('stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`readcounter: error while stopping: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  // A failed commit (disk full, read-only DATA_DIR) refuses its reads with store_unavailable and
  // turns /healthz 503; lmdb-js's leftover rejection of it must not end the process.
  let storeFailureLoggedAt = 0;
  process.on('unhandledRejection', (reason) => {
    if (!isUnawaitedCommitFailure(reason)) throw reason;
    reason.commitError.catch((cause: unknown) => {
      if (Date.now() - storeFailureLoggedAt < 60_000) return;
      storeFailureLoggedAt = Date.now();
      console.error(`readcounter: a write to DATA_DIR ${config.dataDir} failed (${(cause as Error).message}); reads are refused until it is writable again`);
    });
  });
}

await main();
