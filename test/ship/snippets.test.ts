import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/** README.md and every Markdown file under docs/, recipes included. */
function documents(): string[] {
  const docs = readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(root, 'docs', name));
  return [join(root, 'README.md'), ...docs];
}

describe('the snippets we show', () => {
  it('give every <read-counter> fallback content, so a blocked or slow counter leaves the sentence whole', () => {
    const empty: string[] = [];
    let elements = 0;
    for (const file of documents()) {
      for (const match of readFileSync(file, 'utf8').matchAll(/<read-counter\b[^>]*>([^<\n]*)<\/read-counter>/g)) {
        elements += 1;
        if (match[1]!.trim() === '') empty.push(`${relative(root, file)}: ${match[0]}`);
      }
    }
    expect(elements).toBeGreaterThanOrEqual(5);
    expect(empty).toEqual([]);
  });
});
