import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runServerProcess, startServerProcess } from '../helpers/process.js';
import { connect } from '../helpers/ws.js';

describe('server process (dist/server/main.js)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'readcounter-main-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits 0 on SIGTERM, closing sockets with 1001 and keeping counted reads', async () => {
    const server = await startServerProcess({ DATA_DIR: dataDir, DWELL_SECONDS: '0', DEDUPE: 'off' });
    const ws = server.url.replace('http', 'ws') + '/ws';
    const page = await connect(ws);
    page.send({ type: 'subscribe', article: '/a' });
    await page.next('count');
    page.send({ type: 'read', article: '/a' });
    await page.next('counted');
    server.child.kill('SIGTERM');
    expect((await page.closed).code).toBe(1001);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.output()).toMatch(/SIGTERM received[\s\S]*stopped cleanly/);

    const again = await startServerProcess({ DATA_DIR: dataDir });
    const body = await (await fetch(`${again.url}/api/count?site=blog.example.com&article=/a`)).json();
    expect(body).toMatchObject({ reads: 1 });
    again.child.kill('SIGINT');
    expect((await again.exited).code).toBe(0);
  });

  it('warns at start when any origin may connect', async () => {
    const server = await startServerProcess({ DATA_DIR: dataDir });
    expect(server.output()).toMatch(/warning: ALLOWED_ORIGINS is empty/);
    server.child.kill('SIGTERM');
    await server.exited;
  });

  it.each([
    [{ PORT: 'abc' }, [], /PORT must be an integer 0–65535 \(0 picks a free port\), got "abc"/],
    [{}, ['--dwell-seconds=-3'], /DWELL_SECONDS must be a number of seconds 0–3600/],
    [{ DEDUPE: 'sometimes' }, [], /DEDUPE must be one of "daily", "off", got "sometimes"/],
    [{}, ['--redis-url=https://default:s3cret@redis.example'], /REDIS_URL must be a Redis URL such as "redis:\/\/127\.0\.0\.1:6379" .*got "https:\/\/default:\*\*\*@redis\.example\/"/],
  ])('exits 2 naming the bad setting for %j %j', async (env, args, message) => {
    const result = await runServerProcess({ DATA_DIR: dataDir, ...env }, args);
    expect(result.code).toBe(2);
    expect(result.output).toMatch(message);
  });

  it.each([
    ['localhst', /HOST must be an address of this machine .*got "localhst", which does not resolve/],
    ['192.0.2.1', /HOST must be an address of this machine .*got "192\.0\.2\.1", which is not an address of this machine/],
  ])('exits 2 with the setting, value and what is expected for HOST=%s, not a stack trace', async (host, message) => {
    const result = await runServerProcess({ DATA_DIR: dataDir, PORT: '0', HOST: host });
    expect(result.code).toBe(2);
    expect(result.output).toMatch(message);
    expect(result.output).not.toMatch(/\n\s+at /);
  });

  it('exits 1 naming REDIS_URL (password hidden) when nothing answers there', async () => {
    // Port 1 on loopback: refused at once.
    const result = await runServerProcess({ REDIS_URL: 'redis://default:s3cret@127.0.0.1:1', PORT: '0', HOST: '127.0.0.1' });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/REDIS_URL redis:\/\/default:\*\*\*@127\.0\.0\.1:1 cannot be reached: .*Check that Redis runs there/);
    expect(result.output).not.toMatch(/s3cret/);
  });

  it('exits 1 naming DATA_DIR when it is not a folder', async () => {
    const file = join(dataDir, 'file');
    writeFileSync(file, '');
    const result = await runServerProcess({ DATA_DIR: file, PORT: '0', HOST: '127.0.0.1' });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/DATA_DIR ".*file" cannot be used/);
  });
});
