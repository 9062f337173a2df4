import { readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { startServer } from '../../server/server.js';
import { tempDir } from './helpers.js';

const root = new URL('../../', import.meta.url);
const fly = parse(readFileSync(new URL('fly.toml', root), 'utf8')) as Record<string, any>;
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');

// What server/main.ts allows a clean stop before it gives up (SHUTDOWN_TIMEOUT_MS).
const SHUTDOWN_SECONDS = 5;

describe('fly.toml', () => {
  it('mounts the volume at DATA_DIR', () => {
    expect(fly.mounts).toMatchObject({ source: 'readcounter_data', destination: '/data' });
    expect(fly.env.DATA_DIR).toBe(fly.mounts.destination);
  });

  it('serves the internal port over forced HTTPS and checks /healthz', () => {
    expect(fly.http_service).toMatchObject({ internal_port: Number(fly.env.PORT), force_https: true });
    expect(fly.http_service.checks).toEqual([expect.objectContaining({ method: 'GET', path: '/healthz' })]);
  });

  it('counts connections, with limits far above Fly’s default soft limit of 20', () => {
    const { concurrency } = fly.http_service;
    expect(concurrency.type).toBe('connections');
    expect(concurrency.soft_limit).toBeGreaterThanOrEqual(1000);
    expect(concurrency.hard_limit).toBeGreaterThan(concurrency.soft_limit);
  });

  it('stops with SIGTERM and waits longer than our clean stop takes', () => {
    expect(fly.kill_signal).toBe('SIGTERM');
    expect(Number(/^(\d+)s$/.exec(fly.kill_timeout)?.[1])).toBeGreaterThan(SHUTDOWN_SECONDS);
  });

  it('keeps its one Machine running, on purpose', () => {
    expect(fly.http_service).toMatchObject({ auto_stop_machines: 'off', min_machines_running: 1 });
  });

  it('exposes /metrics privately on METRICS_PORT', () => {
    expect(fly.metrics).toEqual({ port: Number(fly.env.METRICS_PORT), path: '/metrics' });
    expect(fly.metrics.port).not.toBe(fly.http_service.internal_port);
  });

  it('sets an [env] that our own loadConfig accepts, trusting Fly’s proxy for the client IP', () => {
    const config = loadConfig(fly.env);
    expect(config).toMatchObject({ dataDir: '/data', port: 8080, host: '::', trustProxy: 'fly', metricsPort: 9091 });
  });

  it('starts a server with that [env] (DATA_DIR and ports moved to test places)', async () => {
    const dir = tempDir('fly-env');
    const server = await startServer({ config: loadConfig({ ...fly.env, DATA_DIR: dir.path, PORT: '0', METRICS_PORT: '' }), log: () => {} });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
      dir.remove();
    }
  });
});

describe('Dockerfile', () => {
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => /^[A-Z]+\s/.test(line));
  const last = (name: string): string | undefined => instructions.filter((line) => line.startsWith(`${name} `)).at(-1);

  it('builds in one stage and runs in a slim Node LTS stage with production dependencies only', () => {
    expect(instructions.filter((line) => line.startsWith('FROM '))).toHaveLength(2);
    expect(dockerfile).toMatch(/ARG NODE_IMAGE=node:22-slim/);
    expect(dockerfile).toMatch(/RUN npm ci --no-audit/);
    expect(dockerfile).toMatch(/RUN npm ci --omit=dev/);
    expect(dockerfile).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
  });

  it('runs as a non-root user that owns /data, which is DATA_DIR', () => {
    expect(last('USER')).toBe('USER node');
    expect(dockerfile).toMatch(/mkdir -p \/data[\s\\]+&& chown node:node \/data/);
    expect(dockerfile).toMatch(/DATA_DIR=\/data/);
  });

  it('exposes 8080, checks /healthz with node, and makes node PID 1 (exec form)', () => {
    expect(last('EXPOSE')).toBe('EXPOSE 8080');
    expect(last('HEALTHCHECK')).toMatch(/CMD \["node", "-e", ".*\/healthz/);
    expect(last('CMD')).toBe('CMD ["node", "dist/server/main.js"]');
    expect(instructions.some((line) => line.startsWith('ENTRYPOINT '))).toBe(false);
  });
});
