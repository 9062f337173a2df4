import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Hub, Topic } from './live/hub.js';
import type { ServerEvents } from './events.js';

/** Options for createMetrics(). */
export interface MetricsOptions {
  /** The hub, whose subscriptions and broadcast counters are read at scrape time. */
  hub: Pick<Hub, 'topics' | 'stats'>;
  /** Open WebSocket connections right now. */
  connections: () => number;
  /** Collect Node's process metrics (CPU, memory, event loop, GC). @default true */
  processMetrics?: boolean;
}

/** The server's Prometheus figures, in a registry of its own (tests run several servers in one process). */
export interface Metrics {
  readonly registry: Registry;
  /** Plugs into the server's events (combineEvents). */
  readonly events: ServerEvents;
  /** The Prometheus text exposition. */
  render(): Promise<string>;
  /** Content-Type of render()'s output. */
  readonly contentType: string;
}

// Broadcasts take microseconds to a few ms; commits a few ms, more under a slow disk.
const BROADCAST_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const COMMIT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Creates the metrics and the event sink that feeds them. */
export function createMetrics({ hub, connections, processMetrics = true }: MetricsOptions): Metrics {
  // Long only as a list: one declaration per metric, read top to bottom like the /metrics page.
  const registry = new Registry();
  const registers = [registry];
  if (processMetrics) collectDefaultMetrics({ register: registry });

  new Gauge({ name: 'readcounter_connections', help: 'Open WebSocket connections.', registers, collect() { this.set(connections()); } });
  new Gauge({
    name: 'readcounter_subscriptions',
    help: 'Article subscriptions across all connections (reading and watching).',
    registers,
    collect() { this.set(sum(hub, (t) => t.peers.size)); },
  });
  new Gauge({ name: 'readcounter_reading_now', help: 'Pages open in reading mode: the sum of every article\'s "live".', registers, collect() { this.set(sum(hub, (t) => t.readers)); } });
  fromHubStat('readcounter_broadcasts_total', 'Count broadcasts (one per article change round).', 'broadcasts');
  fromHubStat('readcounter_frames_sent_total', 'Count frames handed to sockets by broadcasts.', 'framesSent');
  fromHubStat('readcounter_frames_skipped_total', 'Count frames skipped because a socket was slow; it is sent the latest value when it drains.', 'framesSkipped');

  const counted = new Counter({ name: 'readcounter_reads_counted_total', help: 'Reads counted and committed.', registers });
  const refused = new Counter({ name: 'readcounter_reads_refused_total', help: 'Reads or upgrades refused, by error code.', labelNames: ['reason'], registers });
  const bots = new Counter({ name: 'readcounter_bots_seen_total', help: 'Bots seen at upgrade (shown counts, never counted), by reason.', labelNames: ['reason'], registers });
  const broadcastSeconds = new Histogram({
    name: 'readcounter_broadcast_latency_seconds',
    help: 'Time from an article\'s first change to the last frame of its broadcast handed off.',
    buckets: BROADCAST_BUCKETS,
    registers,
  });
  const commitSeconds = new Histogram({ name: 'readcounter_lmdb_commit_seconds', help: 'Time for an LMDB commit holding reads.', buckets: COMMIT_BUCKETS, registers });

  function fromHubStat(name: string, help: string, stat: keyof Hub['stats']): void {
    // The hub keeps these as plain numbers on its hot path; they are copied in at scrape time.
    new Counter({ name, help, registers, collect() { this.reset(); this.inc(hub.stats[stat]); } });
  }

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    events: {
      readCounted: () => counted.inc(),
      readRefused: (code) => refused.inc({ reason: code }),
      botSeen: (reason) => bots.inc({ reason }),
      committed: (ms) => commitSeconds.observe(ms / 1000),
      broadcast: (ms) => broadcastSeconds.observe(ms / 1000),
    },
  };
}

function sum(hub: Pick<Hub, 'topics'>, of: (topic: Topic) => number): number {
  let total = 0;
  for (const topic of hub.topics()) total += of(topic);
  return total;
}
