// Copies the Markdown docs (docs/*.md, docs/recipes/*.md) into dist/docs/, which the server
// serves at GET /docs: the production image holds dist/ only, and carries its own manual.
//
//   node scripts/copy-docs.mjs
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/docs');
rmSync(out, { recursive: true, force: true });
for (const folder of ['', 'recipes']) {
  mkdirSync(join(out, folder), { recursive: true });
  for (const name of readdirSync(join(root, 'docs', folder)).filter((n) => n.endsWith('.md'))) {
    cpSync(join(root, 'docs', folder, name), join(out, folder, name));
  }
}
console.log(`dist/docs: copied the Markdown docs`);
