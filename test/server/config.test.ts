import { describe, expect, it } from 'vitest';
import { ConfigError, configWarnings, loadConfig } from '../../server/config.js';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({}, []);
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: './data',
      allowedSites: [],
      dwellSeconds: 10,
      dedupe: 'daily',
      trustProxy: 'none',
      adminToken: undefined,
      broadcastIntervalMs: 0,
      maxSubscriptions: 200,
    });
  });

  it('reads environment variables, and flags win over them', () => {
    const config = loadConfig({ PORT: '9000', DATA_DIR: '/env' }, ['--data-dir=/flag', '--dwell-seconds', '2.5']);
    expect(config.port).toBe(9000);
    expect(config.dataDir).toBe('/flag');
    expect(config.dwellSeconds).toBe(2.5);
  });

  it('normalizes ALLOWED_ORIGINS into sites', () => {
    const config = loadConfig({ ALLOWED_ORIGINS: 'https://www.Blog.example.com, http://localhost:4000,example.org' });
    expect(config.allowedSites).toEqual(['blog.example.com', 'localhost:4000', 'example.org']);
  });

  it('keeps the scheme of each ALLOWED_ORIGINS entry: a bare host is https, or http too on localhost', () => {
    const config = loadConfig({ ALLOWED_ORIGINS: 'https://www.b.test,c.test,http://d.test:8080,localhost:4000' });
    expect(config.allowedOrigins).toEqual(['https://b.test', 'https://c.test', 'http://d.test:8080', 'https://localhost:4000', 'http://localhost:4000']);
    expect(config.allowedSites).toEqual(['b.test', 'c.test', 'd.test:8080', 'localhost:4000']);
  });

  it('reads PUBLIC_URL as an origin, and the caps with their defaults', () => {
    expect(loadConfig({}).publicUrl).toBeUndefined();
    expect(loadConfig({ PUBLIC_URL: 'https://WWW.Counter.example.com/' }).publicUrl).toBe('https://counter.example.com');
    expect(loadConfig({})).toMatchObject({ maxSites: 1000, maxArticlesPerSite: 50_000, maxLoginFailuresPerMinute: 10 });
    expect(loadConfig({}, ['--max-sites=5']).maxSites).toBe(5);
  });

  it.each([
    [{ PUBLIC_URL: 'counter.example.com' }, 'PUBLIC_URL must be this server\'s public origin, such as "https://counter.example.com", got "counter.example.com"'],
    [{ PUBLIC_URL: 'https://counter.example.com/stats' }, 'PUBLIC_URL must be this server\'s public origin'],
    [{ PUBLIC_URL: 'ftp://counter.example.com' }, 'PUBLIC_URL must be this server\'s public origin'],
    [{ PUBLIC_URL: 'https://.' }, 'PUBLIC_URL must be this server\'s public origin'],
    [{ MAX_SITES: '0' }, 'MAX_SITES must be an integer 1–1000000, got "0"'],
    [{ MAX_ARTICLES_PER_SITE: 'lots' }, 'MAX_ARTICLES_PER_SITE must be an integer'],
    [{ MAX_LOGIN_FAILURES_PER_MINUTE: '0' }, 'MAX_LOGIN_FAILURES_PER_MINUTE must be an integer 1–10000'],
    [{ PORT: 'abc' }, 'PORT must be an integer 0–65535 (0 picks a free port), got "abc"'],
    [{ PORT: '70000' }, 'PORT must be an integer 0–65535 (0 picks a free port), got "70000"'],
    [{ PORT: '-1' }, 'PORT must be an integer'],
    [{ PORT: '80.5' }, 'PORT must be an integer'],
    [{ DWELL_SECONDS: 'ten' }, 'DWELL_SECONDS must be a number of seconds 0–3600 (fractions allowed), got "ten"'],
    [{ DWELL_SECONDS: '-1' }, 'DWELL_SECONDS must be a number'],
    [{ DWELL_SECONDS: '' }, 'DWELL_SECONDS must be a number'],
    [{ DEDUPE: 'weekly' }, 'DEDUPE must be one of "daily", "off", got "weekly"'],
    [{ TRUST_PROXY: 'all' }, 'TRUST_PROXY must be one of "none", "fly", "xff", got "all"'],
    [{ ALLOWED_ORIGINS: 'https://ok.example,not a host' }, 'ALLOWED_ORIGINS must be a comma list of origins such as "https://blog.example.com", got "not a host"'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN must be at least 16 characters'],
    [{ DATA_DIR: ' ' }, 'DATA_DIR must not be empty'],
    [{ MAX_SUBSCRIPTIONS: '0' }, 'MAX_SUBSCRIPTIONS must be an integer 1–10000, got "0"'],
    [{ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL must be a Redis URL such as "redis://127.0.0.1:6379" or "rediss://default:password@host:6380", got "http://127.0.0.1:6379"; unset it to use the embedded store'],
    [{ REDIS_URL: '127.0.0.1:6379' }, 'REDIS_URL must be a Redis URL'],
    [{ REDIS_PREFIX: 'blog' }, 'REDIS_PREFIX must be non-empty, without spaces, and end with ":", such as "readcounter:" or "blog-a:", got "blog"'],
    [{ REDIS_PREFIX: '' }, 'REDIS_PREFIX must be non-empty'],
    [{ CLUSTER_HEARTBEAT_SECONDS: '0' }, 'CLUSTER_HEARTBEAT_SECONDS must be a number of seconds 0.1–60'],
  ])('rejects %j with a message naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads REDIS_URL and REDIS_PREFIX (cluster mode), off by default', () => {
    expect(loadConfig({})).toMatchObject({ redisUrl: undefined, redisPrefix: 'readcounter:', clusterHeartbeatSeconds: 5 });
    const config = loadConfig({ REDIS_URL: 'redis://10.0.0.1:6379' }, ['--redis-url=rediss://default:pw@redis.example:6380', '--redis-prefix=blog-a:']);
    expect(config).toMatchObject({ redisUrl: 'rediss://default:pw@redis.example:6380', redisPrefix: 'blog-a:' });
  });

  it('hides the password of a bad REDIS_URL in its message', () => {
    expect(() => loadConfig({ REDIS_URL: 'https://default:hunter2@redis.example' })).toThrow('got "https://default:***@redis.example/"');
    expect(() => loadConfig({ REDIS_URL: 'https://default:hunter2@redis.example' })).not.toThrow(/hunter2/);
  });

  it('rejects an unknown flag and lists the known ones', () => {
    expect(() => loadConfig({}, ['--prot=1'])).toThrow(/--prot.*Known flags: --port/);
  });

  it('warns about an open origin list, no admin token and a zero dwell time', () => {
    expect(configWarnings(loadConfig({ DWELL_SECONDS: '0' })).join('\n')).toMatch(/ALLOWED_ORIGINS is empty[\s\S]*ADMIN_TOKEN is not set[\s\S]*DWELL_SECONDS=0/);
    expect(configWarnings(loadConfig({ ALLOWED_ORIGINS: 'https://a.example', ADMIN_TOKEN: 'x'.repeat(16) }))).toEqual([]);
  });

  it('refuses a METRICS_PORT equal to PORT', () => {
    expect(() => loadConfig({ PORT: '9000', METRICS_PORT: '9000' })).toThrow('METRICS_PORT must differ from PORT, got 9000 for both');
  });
});
