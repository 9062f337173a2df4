import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import type { Config } from '../config.js';
import type { Hub } from '../live/hub.js';
import type { Store } from '../store/port.js';
import { combineEvents, type ServerEvents } from '../events.js';
import { createMetrics, type Metrics } from '../metrics.js';
import { metricsOnlyApp } from './metrics-routes.js';
import { createAdmin, type Admin } from './admin.js';
import { createLiveFeed, type LiveFeed } from './live-feed.js';
import { listen } from '../listen.js';

/** The blogger-facing side of a server: admin access, the live feed, metrics and their private port. */
export interface AdminFeatures {
  admin: Admin;
  feed: LiveFeed;
  metrics: Metrics;
  /** `extra` combined with the metrics' and the feed's event sinks: pass this to the core. */
  events: ServerEvents;
  /** Starts the METRICS_PORT listener, if configured; resolves with its port. */
  listenMetrics(): Promise<number | undefined>;
  /** Stops the feed's timer and the METRICS_PORT listener. */
  close(): Promise<void>;
}

/** Options for createAdminFeatures(). */
export interface AdminFeaturesOptions {
  config: Pick<Config, 'adminToken' | 'metricsPort' | 'host' | 'trustProxy' | 'xffHop' | 'maxLoginFailuresPerMinute'>;
  store: Store;
  /** The fan-out: the feed's channels ride on it, and metrics read its figures. */
  hub: Hub;
  /** Open WebSocket connections. */
  connections: () => number;
  now: () => number;
  log: (message: string) => void;
  /** Events the caller also wants (tests). */
  extra: ServerEvents;
  /** Cluster mode: the feed is told of every node's reads by the counts subscription, not by this node's events. @default false */
  feedFromEveryNode?: boolean;
}

/** Creates admin access, the dashboard feed and metrics, wired to one event sink (the hub's broadcasts included). */
export function createAdminFeatures({ config, store, hub, connections, now, log, extra, feedFromEveryNode = false }: AdminFeaturesOptions): AdminFeatures {
  const admin = createAdmin({ token: config.adminToken, sessionKeys: store.sessions, now, trust: config, maxFailuresPerMinute: config.maxLoginFailuresPerMinute, log });
  const feed = createLiveFeed({ store, hub, now });
  const metrics = createMetrics({ hub, connections });
  const events = combineEvents(extra, metrics.events, ...(feedFromEveryNode ? [] : [feed.events]));
  hub.observe({ broadcast: events.broadcast });
  let metricsServer: Server | undefined;

  return {
    admin,
    feed,
    metrics,
    events,
    async listenMetrics() {
      if (config.metricsPort === undefined) return undefined;
      metricsServer = createAdaptorServer({ fetch: metricsOnlyApp(metrics, log).fetch }) as Server;
      const server = metricsServer;
      await listen(server, { port: config.metricsPort, host: config.host });
      const address = server.address();
      return typeof address === 'object' && address !== null ? address.port : config.metricsPort;
    },
    async close() {
      feed.close();
      const server = metricsServer;
      if (server === undefined || !server.listening) return;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
