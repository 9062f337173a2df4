import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../server/cli/run.js';
import { TEST_EPOCH } from '../helpers/server.js';

/** Fixtures written from each tool's documented format, with the awkward cases the issue lists. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/import/', import.meta.url));

/** Runs `readcounter` in-process with a fixed clock; stdout and stderr are captured. */
export async function cli(args: string[], dataDir: string, now = TEST_EPOCH): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli([...args, '--data-dir', dataDir], {
    env: {},
    now: () => now,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
  });
  return { code, stdout, stderr };
}

/** Every stored row, as `readcounter export` writes them: "nothing changed" is this staying equal. */
export async function exported(dataDir: string): Promise<string> {
  return (await cli(['export'], dataDir)).stdout;
}

/** A copy of a fixture with `edit` applied to its text, written into `dir`. */
export function variant(dir: string, file: string, edit: (text: string) => string): string {
  const path = join(dir, `edited-${file}`);
  writeFileSync(path, edit(readFileSync(join(FIXTURES, file), 'utf8')));
  return path;
}
