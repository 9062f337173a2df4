import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../../helpers/server.js';
import { connect, readOnce } from '../../helpers/ws.js';

const IPS = ['203.0.113.77', '198.51.100.201', '2001:db8:77::1'];
const USER_AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 PrivacyProbeAlpha/7.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15 PrivacyProbeBeta/3.2',
];

/** Every occurrence of `needle` in `haystack`, as UTF-8 and as UTF-16 (how JS may spill strings). */
function contains(haystack: Buffer, needle: string): boolean {
  return haystack.includes(Buffer.from(needle, 'utf8')) || haystack.includes(Buffer.from(needle, 'utf16le'));
}

describe('no personal data is kept', () => {
  it('leaves no IP or user agent in clear in the data files or the log', async () => {
    const server = await startTestServer({ DEDUPE: 'daily', TRUST_PROXY: 'xff' });
    for (const ip of IPS) {
      for (const userAgent of USER_AGENTS) {
        const answer = await readOnce(server.wsUrl, server.clock.advance, '/private', { userAgent, headers: { 'x-forwarded-for': ip } });
        expect(answer.type).toBe('counted');
      }
    }
    // A refused read and a bad frame too, since error paths are where details leak.
    const page = await connect(server.wsUrl, { userAgent: USER_AGENTS[0], headers: { 'x-forwarded-for': IPS[0]! } });
    page.sendRaw('{"type":"read","article":"/private"');
    await page.next('error');
    await page.close();
    expect(await server.store.reads('blog.example.com', '/private')).toBe(IPS.length * USER_AGENTS.length);

    const dataDir = server.dataDir;
    await server.server.close();
    const files = readdirSync(dataDir);
    expect(files.length).toBeGreaterThan(0);
    const log = Buffer.from(server.logs.join('\n'));
    for (const file of files) {
      const bytes = readFileSync(join(dataDir, file));
      for (const secret of [...IPS, ...USER_AGENTS, 'PrivacyProbe']) {
        expect(contains(bytes, secret), `${secret} in ${file}`).toBe(false);
        expect(contains(log, secret), `${secret} in the log`).toBe(false);
      }
    }
    // Sanity: the scan does find what is really there.
    expect(contains(readFileSync(join(dataDir, files.find((f) => !f.endsWith('-lock'))!)), '/private')).toBe(true);
  });
});
