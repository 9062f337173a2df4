import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@redis/client';
import { describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { startRedis } from '../../helpers/redis.js';
import { connect, readOnce } from '../../helpers/ws.js';

const IPS = ['203.0.113.77', '198.51.100.201', '2001:db8:77::1'];
const USER_AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 PrivacyProbeAlpha/7.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15 PrivacyProbeBeta/3.2',
];
const SECRETS = [...IPS, ...USER_AGENTS, 'PrivacyProbe'];

/** Every occurrence of `needle` in `haystack`, as UTF-8 and as UTF-16 (how JS may spill strings). */
function contains(haystack: Buffer, needle: string): boolean {
  return haystack.includes(Buffer.from(needle, 'utf8')) || haystack.includes(Buffer.from(needle, 'utf16le'));
}

/** Every file below `dir` (Redis keeps its AOF in a folder of its own). */
function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesBelow(join(dir, name)) : [join(dir, name)]));
}

/** Counts one read per (IP, user agent), plus a refused read and a bad frame, since error paths are where details leak. */
async function readAsEveryone(server: TestServer): Promise<void> {
  for (const ip of IPS) {
    for (const userAgent of USER_AGENTS) {
      const answer = await readOnce(server.wsUrl, server.clock.advance, '/private', { userAgent, headers: { 'x-forwarded-for': ip } });
      expect(answer.type).toBe('counted');
    }
  }
  const page = await connect(server.wsUrl, { userAgent: USER_AGENTS[0], headers: { 'x-forwarded-for': IPS[0]! } });
  page.sendRaw('{"type":"read","article":"/private"');
  await page.next('error');
  await page.close();
  expect(await server.store.reads('blog.example.com', '/private')).toBe(IPS.length * USER_AGENTS.length);
}

/** No IP or user agent in clear in any of `files` or the log; and the scan does find what is really there. */
function expectNothingPersonal(files: string[], logs: string[]): void {
  expect(files.length).toBeGreaterThan(0);
  const log = Buffer.from(logs.join('\n'));
  for (const secret of SECRETS) expect(contains(log, secret), `${secret} in the log`).toBe(false);
  const bytes = files.map((file) => ({ file, bytes: readFileSync(file) }));
  for (const { file, bytes: content } of bytes) {
    for (const secret of SECRETS) expect(contains(content, secret), `${secret} in ${file}`).toBe(false);
  }
  expect(bytes.some(({ bytes: content }) => contains(content, '/private'))).toBe(true);
}

describe('no personal data is kept', () => {
  it('leaves no IP or user agent in clear in the data files or the log', async () => {
    const server = await startTestServer({ DEDUPE: 'daily', TRUST_PROXY: 'xff' });
    await readAsEveryone(server);
    const dataDir = server.dataDir;
    await server.server.close();
    expectNothingPersonal(filesBelow(dataDir), server.logs);
    await server.close();
  });

  it('leaves none in Redis either (cluster mode): its append-only file and a snapshot', async () => {
    const redis = await startRedis();
    try {
      const server = await startTestServer({ DEDUPE: 'daily', TRUST_PROXY: 'xff', REDIS_URL: redis.url });
      await readAsEveryone(server);
      await server.close();
      // An RDB snapshot beside the AOF: what a Redis with `save` on, or a managed backup, keeps.
      const client = createClient({ url: redis.url });
      client.on('error', () => {});
      await client.connect();
      expect(await client.sendCommand(['SAVE'])).toBe('OK');
      await client.close();
      const files = filesBelow(redis.dir);
      expect(files.some((file) => file.endsWith('.aof'))).toBe(true);
      expect(files.some((file) => file.endsWith('.rdb'))).toBe(true);
      expectNothingPersonal(files, server.logs);
    } finally {
      await redis.cleanup();
    }
  });
});
