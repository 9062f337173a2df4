import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.js';
import { startServer, type RunningServer } from '../../server/server.js';
import type { ServerEvents } from '../../server/events.js';
import type { HubPresenceOptions } from '../../server/live/hub.js';

/** A clock the test moves by hand, in epoch ms. */
export interface TestClock {
  now(): number;
  advance(ms: number): void;
}

/** A real server on 127.0.0.1, port 0, a real LMDB in a temp dir, and a hand-driven clock. */
export interface TestServer {
  readonly url: string;
  readonly wsUrl: string;
  readonly port: number;
  readonly dataDir: string;
  readonly clock: TestClock;
  readonly server: RunningServer;
  readonly store: RunningServer['store'];
  readonly hub: RunningServer['hub'];
  /** Log lines the server wrote. */
  readonly logs: string[];
  /** Stops the server (as SIGTERM would) and starts it again on the same port and DATA_DIR. */
  restart(): Promise<void>;
  /** Stops the server and removes its DATA_DIR. */
  close(): Promise<void>;
}

/** 2026-01-15T12:00:00Z: far from midnight, so day buckets stay put unless a test moves them. */
export const TEST_EPOCH = Date.UTC(2026, 0, 15, 12);

/**
 * Presence on a short real-time cadence, so a test waiting for `live` to settle waits tens of
 * ms, not the production half second. The cadence itself is tested with fake timers in
 * test/server/live/presence.test.ts.
 */
export const TEST_PRESENCE: HubPresenceOptions = { quietMs: 10, minWaitMs: 30, maxWaitMs: 30 };

/** Starts a test server; `env` overrides settings by their environment names. */
export async function startTestServer(
  env: Record<string, string> = {},
  options: { events?: ServerEvents; pingIntervalMs?: number; presence?: HubPresenceOptions } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'readcounter-test-'));
  let time = TEST_EPOCH;
  const clock: TestClock = { now: () => time, advance: (ms) => void (time += ms) };
  const logs: string[] = [];
  const settings = { HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, DEDUPE: 'off', ...env };
  const start = (port: string) =>
    startServer({ config: loadConfig({ ...settings, PORT: port }), now: clock.now, log: (line) => void logs.push(line), presence: TEST_PRESENCE, ...options });
  let server = await start(settings.PORT);

  return {
    get url() { return server.url; },
    get wsUrl() { return `${server.url.replace(/^http/, 'ws')}/ws`; },
    get port() { return server.port; },
    get store() { return server.store; },
    get hub() { return server.hub; },
    get server() { return server; },
    dataDir,
    clock,
    logs,
    async restart() {
      await server.close();
      server = await start(String(server.port));
    },
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The stored count of an article, read through the public GET /api/count as a blogger would. */
export async function publicReads(baseUrl: string, site: string, article: string): Promise<number> {
  const response = await fetch(`${baseUrl}/api/count?site=${encodeURIComponent(site)}&article=${encodeURIComponent(article)}`);
  return ((await response.json()) as { reads: number }).reads;
}
