import { parseArgs } from 'node:util';
import { SiteError, normalizeSite, siteFromOrigin } from '../shared/site.js';

/** Validated settings, read once at start by loadConfig(). */
export interface Config {
  /** @default 8080 */
  port: number;
  /** @default '0.0.0.0' */
  host: string;
  /** @default './data' */
  dataDir: string;
  /** Sites (normalized hosts) allowed to connect; empty means any. @default [] */
  allowedSites: string[];
  /** The same, as `scheme://site`: a page must match scheme and site. @default [] */
  allowedOrigins: string[];
  /** This server's own public origin (`https://counter.example.com`), its landing page's; never taken from a request. @default undefined (http://localhost:PORT) */
  publicUrl: string | undefined;
  /** Sites a read may create; more are refused with `too_many_sites`. @default 1000 */
  maxSites: number;
  /** Articles a read may create per site; more are refused with `too_many_articles`. @default 50000 */
  maxArticlesPerSite: number;
  /** Failed admin logins or tokens per client network (IPv4 address, IPv6 /64) per minute; more get 429. @default 10 */
  maxLoginFailuresPerMinute: number;
  /** @default 10 */
  dwellSeconds: number;
  /** @default 'daily' */
  dedupe: 'daily' | 'off';
  /** @default 'none' */
  trustProxy: 'none' | 'fly' | 'xff';
  /** Which X-Forwarded-For entry, counted from the right, is the client (with TRUST_PROXY=xff). @default 1 */
  xffHop: number;
  /** @default undefined (dashboard and stats API off) */
  adminToken: string | undefined;
  /** Shortest gap between two broadcasts of one article, in ms; 0 = as fast as sockets drain. @default 0 */
  broadcastIntervalMs: number;
  /** @default 200 */
  maxSubscriptions: number;
  /** Largest WebSocket frame read from a page, in bytes; larger closes with 1009. @default 2048 */
  maxFrameBytes: number;
  /** Frames one connection may send per second; more closes with 1008. @default 30 */
  maxFramesPerSecond: number;
  /** Open WebSockets per client IP (per /64 for IPv6); more is refused with 429. @default 100 */
  maxConnectionsPerIp: number;
  /** Reads counted per client IP (per /64) per minute; more get `too_many_reads`. @default 120 */
  maxReadsPerIpPerMinute: number;
  /** With DEDUPE=daily: reads counted per client IP (per /64) per article per UTC day. @default 1000 */
  maxReadsPerIpPerArticlePerDay: number;
  /** Longest article key accepted, in UTF-8 bytes (at most 512). @default 512 */
  maxArticleBytes: number;
  /** TCP connections (pages, API, WebSockets) from one IP (per /64); not applied behind a proxy. @default 256 */
  maxTcpConnectionsPerIp: number;
  /** Open TCP connections past which a network only gets a few more; 10 % above it is the hard cap. @default 10000 */
  maxTcpConnections: number;
  /** Subscriptions all sockets of one client IP (per /64) may hold together. @default 2000 */
  maxSubscriptionsPerIp: number;
  /** Articles of one site watched by at least one page, server-wide. @default 10000 */
  maxWatchedArticlesPerSite: number;
  /** Bytes queued for one socket before it is closed with 1013. @default 131072 */
  maxSendBacklogBytes: number;
  /** A second port serving only /metrics, without a token, for private scraping (Fly). @default undefined */
  metricsPort: number | undefined;
  /** Cluster mode: the Redis/Valkey every node shares (docs/cluster.md); unset, the embedded LMDB store. @default undefined */
  redisUrl: string | undefined;
  /** Prefix of every Redis key and channel of this install; non-empty, ends with `:`. @default 'readcounter:' */
  redisPrefix: string;
  /** Cluster mode: seconds between a node's heartbeats and self-pings; the other windows follow it (docs/cluster.md). @default 5 */
  clusterHeartbeatSeconds: number;
}

/** A setting with a bad value; main.ts prints the message and exits with status 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Parse<T> = (raw: string, name: string) => T;

interface Setting<K extends keyof Config> {
  key: K;
  env: string;
  fallback: string | undefined;
  parse: Parse<Config[K]>;
}

const integer = (min: number, max: number, note = ''): Parse<number> => (raw, name) => {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer ${min}–${max}${note}, got ${JSON.stringify(raw)}`);
  }
  return value;
};

const decimal = (min: number, max: number): Parse<number> => (raw, name) => {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a number of seconds ${min}–${max} (fractions allowed), got ${JSON.stringify(raw)}`);
  }
  return value;
};

const oneOf = <T extends string>(...choices: T[]): Parse<T> => (raw, name) => {
  if (!(choices as string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${choices.map((c) => `"${c}"`).join(', ')}, got ${JSON.stringify(raw)}`);
  }
  return raw as T;
};

const text: Parse<string> = (raw, name) => {
  if (raw.trim() === '') throw new ConfigError(`${name} must not be empty`);
  return raw;
};

const optionalPort: Parse<number | undefined> = (raw, name) => (raw === '' ? undefined : integer(1, 65535)(raw, name));

const optionalToken: Parse<string | undefined> = (raw, name) => {
  if (raw === '') return undefined;
  if (raw.length < 16) throw new ConfigError(`${name} must be at least 16 characters (try: openssl rand -hex 32), got ${raw.length}`);
  return raw;
};

// A bare host may be served over plain http only where browsers treat it as secure anyway.
const LOCAL_HOST = /^(localhost|[^:]+\.localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

// Each entry is an origin (`https://blog.example.com`: that scheme only) or a bare host
// (`blog.example.com`: https, or http too for localhost and loopback addresses).
const originList: Parse<string[]> = (raw, name) =>
  raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .flatMap((entry) => {
      try {
        if (entry.includes('://')) return [`${new URL(entry).protocol}//${siteFromOrigin(entry)}`];
        const site = normalizeSite(entry);
        return LOCAL_HOST.test(site) ? [`https://${site}`, `http://${site}`] : [`https://${site}`];
      } catch (error) {
        if (error instanceof SiteError) {
          throw new ConfigError(`${name} must be a comma list of origins such as "https://blog.example.com", got ${JSON.stringify(entry)}`);
        }
        throw error;
      }
    });

// Only an origin: the landing page's snippet and the own-origin check use nothing else.
const optionalOrigin: Parse<string | undefined> = (raw, name) => {
  if (raw === '') return undefined;
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  const plain = url !== undefined && /^https?:$/.test(url.protocol) && url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '';
  let site: string | undefined;
  try {
    site = plain ? originList(url.origin, name)[0] : undefined;
  } catch {
    // Reported below, in this setting's own words.
  }
  if (site === undefined) throw new ConfigError(`${name} must be this server's public origin, such as "https://counter.example.com", got ${JSON.stringify(raw)}`);
  return site;
};

/** A URL with its password hidden, for messages. */
function redacted(raw: string): string {
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (url === undefined || url.password === '') return raw;
  url.password = '***';
  return url.toString();
}

// Only a redis:// or rediss:// URL with a host: anything else would fail later, less clearly.
const optionalRedisUrl: Parse<string | undefined> = (raw, name) => {
  if (raw === '') return undefined;
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (url === undefined || !/^rediss?:$/.test(url.protocol) || url.hostname === '') {
    throw new ConfigError(`${name} must be a Redis URL such as "redis://127.0.0.1:6379" or "rediss://default:password@host:6380", got ${JSON.stringify(redacted(raw))}; unset it to use the embedded store`);
  }
  return raw;
};

// One Redis may hold several installs: each needs its own prefix, closed by ':'.
const redisPrefix: Parse<string> = (raw, name) => {
  if (!/^[^\s]+:$/.test(raw)) throw new ConfigError(`${name} must be non-empty, without spaces, and end with ":", such as "readcounter:" or "blog-a:", got ${JSON.stringify(raw)}`);
  return raw;
};

const SETTINGS: { [K in keyof Config]: Setting<K> }[keyof Config][] = [
  { key: 'port', env: 'PORT', fallback: '8080', parse: integer(0, 65535, ' (0 picks a free port)') },
  { key: 'host', env: 'HOST', fallback: '0.0.0.0', parse: text },
  { key: 'dataDir', env: 'DATA_DIR', fallback: './data', parse: text },
  { key: 'allowedOrigins', env: 'ALLOWED_ORIGINS', fallback: '', parse: originList },
  { key: 'dwellSeconds', env: 'DWELL_SECONDS', fallback: '10', parse: decimal(0, 3600) },
  { key: 'dedupe', env: 'DEDUPE', fallback: 'daily', parse: oneOf('daily', 'off') },
  { key: 'trustProxy', env: 'TRUST_PROXY', fallback: 'none', parse: oneOf('none', 'fly', 'xff') },
  { key: 'xffHop', env: 'XFF_HOP', fallback: '1', parse: integer(1, 10) },
  { key: 'adminToken', env: 'ADMIN_TOKEN', fallback: '', parse: optionalToken },
  { key: 'broadcastIntervalMs', env: 'BROADCAST_INTERVAL_MS', fallback: '0', parse: integer(0, 60_000) },
  { key: 'maxSubscriptions', env: 'MAX_SUBSCRIPTIONS', fallback: '200', parse: integer(1, 10_000) },
  { key: 'maxFrameBytes', env: 'MAX_FRAME_BYTES', fallback: '2048', parse: integer(256, 65_536) },
  { key: 'maxFramesPerSecond', env: 'MAX_FRAMES_PER_SECOND', fallback: '30', parse: integer(1, 10_000) },
  { key: 'maxConnectionsPerIp', env: 'MAX_CONNECTIONS_PER_IP', fallback: '100', parse: integer(1, 1_000_000) },
  { key: 'maxReadsPerIpPerMinute', env: 'MAX_READS_PER_IP_PER_MINUTE', fallback: '120', parse: integer(1, 10_000_000) },
  { key: 'maxReadsPerIpPerArticlePerDay', env: 'MAX_READS_PER_IP_PER_ARTICLE_PER_DAY', fallback: '1000', parse: integer(1, 10_000_000) },
  { key: 'maxArticleBytes', env: 'MAX_ARTICLE_BYTES', fallback: '512', parse: integer(16, 512) },
  { key: 'maxTcpConnectionsPerIp', env: 'MAX_TCP_CONNECTIONS_PER_IP', fallback: '256', parse: integer(1, 1_000_000) },
  { key: 'maxTcpConnections', env: 'MAX_TCP_CONNECTIONS', fallback: '10000', parse: integer(10, 1_000_000) },
  { key: 'maxSubscriptionsPerIp', env: 'MAX_SUBSCRIPTIONS_PER_IP', fallback: '2000', parse: integer(1, 10_000_000) },
  { key: 'maxWatchedArticlesPerSite', env: 'MAX_WATCHED_ARTICLES_PER_SITE', fallback: '10000', parse: integer(1, 10_000_000) },
  { key: 'maxSendBacklogBytes', env: 'MAX_SEND_BACKLOG_BYTES', fallback: '131072', parse: integer(16_384, 16_777_216) },
  { key: 'metricsPort', env: 'METRICS_PORT', fallback: '', parse: optionalPort },
  { key: 'publicUrl', env: 'PUBLIC_URL', fallback: '', parse: optionalOrigin },
  { key: 'maxSites', env: 'MAX_SITES', fallback: '1000', parse: integer(1, 1_000_000) },
  { key: 'maxArticlesPerSite', env: 'MAX_ARTICLES_PER_SITE', fallback: '50000', parse: integer(1, 10_000_000) },
  { key: 'maxLoginFailuresPerMinute', env: 'MAX_LOGIN_FAILURES_PER_MINUTE', fallback: '10', parse: integer(1, 10_000) },
  { key: 'redisUrl', env: 'REDIS_URL', fallback: '', parse: optionalRedisUrl },
  { key: 'redisPrefix', env: 'REDIS_PREFIX', fallback: 'readcounter:', parse: redisPrefix },
  { key: 'clusterHeartbeatSeconds', env: 'CLUSTER_HEARTBEAT_SECONDS', fallback: '5', parse: decimal(0.1, 60) },
];

/** `DATA_DIR` → `data-dir`: the command-line flag that matches an environment variable. */
const flagOf = (env: string): string => env.toLowerCase().replaceAll('_', '-');

/**
 * Reads every setting from command-line flags (`--data-dir=/data`), then the environment
 * (`DATA_DIR`), then the default; a flag wins over the environment. Throws ConfigError
 * naming the first bad setting, its value and what is expected.
 */
export function loadConfig(env: Record<string, string | undefined> = {}, argv: string[] = []): Config {
  const options = Object.fromEntries(SETTINGS.map((s) => [flagOf(s.env), { type: 'string' as const }]));
  let flags: Record<string, string | boolean | undefined>;
  try {
    flags = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}. Known flags: ${SETTINGS.map((s) => `--${flagOf(s.env)}`).join(' ')}`);
  }
  const config: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    const flag = flags[flagOf(setting.env)];
    const raw = typeof flag === 'string' ? flag : (env[setting.env] ?? setting.fallback ?? '');
    config[setting.key] = setting.parse(raw, setting.env);
  }
  config.allowedSites = [...new Set((config.allowedOrigins as string[]).map((origin) => origin.slice(origin.indexOf('//') + 2)))];
  if (config.metricsPort !== undefined && config.metricsPort === config.port) {
    throw new ConfigError(`METRICS_PORT must differ from PORT, got ${String(config.port)} for both; try METRICS_PORT=9091`);
  }
  return config as unknown as Config;
}

/** Warnings worth printing once at start for a valid but risky configuration. */
export function configWarnings(config: Config): string[] {
  const warnings: string[] = [];
  if (config.allowedSites.length === 0) {
    warnings.push('ALLOWED_ORIGINS is empty: pages from any origin may connect and count. Set it to your blog, e.g. ALLOWED_ORIGINS=https://blog.example.com');
  }
  if (config.adminToken === undefined) {
    warnings.push('ADMIN_TOKEN is not set: the dashboard, /api/stats, /api/export and /metrics on the main port are off (404). Turn them on with ADMIN_TOKEN=$(openssl rand -hex 32)');
  }
  if (config.dwellSeconds === 0) warnings.push('DWELL_SECONDS=0 counts every page view at once: use it only for benchmarks');
  return warnings;
}

/** Every setting's environment name, flag and default, for the README table and --help. */
export const SETTING_NAMES = SETTINGS.map((s) => ({ env: s.env, flag: `--${flagOf(s.env)}`, fallback: s.fallback }));
