import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Builds the bundle afresh into a temp dir, exactly as `npm run build` does.
const dir = mkdtempSync(join(tmpdir(), 'readcounter-bundle-'));
const outfile = join(dir, 'counter.js');
let code = '';
let output = '';

beforeAll(() => {
  output = execFileSync(process.execPath, ['scripts/build-client.mjs', '--outfile', outfile], { encoding: 'utf8' });
  code = readFileSync(outfile, 'utf8');
}, 30_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the client bundle', () => {
  it('is at most 3 KB min+gzip, and the build says how big it is', () => {
    const gzipped = gzipSync(code, { level: 9 }).length;
    expect(gzipped).toBeLessThanOrEqual(3072);
    expect(output).toContain(`${Buffer.byteLength(code)} B min, ${gzipped} B min+gzip`);
  });

  it('imports nothing at run time', () => {
    expect(code.replaceAll('import.meta.url', '')).not.toMatch(/\bimport\b/);
  });

  it('never touches cookies or writes storage, and never listens for unload', () => {
    expect(code).not.toMatch(/cookie|sessionStorage|setItem|indexedDB|unload/);
  });

  it('imports where there is no DOM, defining nothing', async () => {
    expect(typeof (globalThis as { customElements?: unknown }).customElements).toBe('undefined');
    const module = (await import(pathToFileURL(outfile).href)) as { ReadCounter: unknown };
    expect(typeof module.ReadCounter).toBe('function');
  });
});
