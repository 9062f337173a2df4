import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

// A generator that hangs is killed rather than left running after the test.
const BUILD_TIMEOUT_MS = 90_000;
const run = (command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
  execFileAsync(command, args, { ...options, timeout: BUILD_TIMEOUT_MS, killSignal: 'SIGKILL' });
const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'node_modules/.bin');

/** One recipe of docs/recipes/, and how to build its site into a folder. */
export interface Recipe {
  name: string;
  /** docs/recipes/NAME.md */
  doc: string;
  /** The post's URL path in the built site, and the article it counts as. */
  post: string;
  article: string;
  /** Files of test/recipes/NAME/ whose counter lines must appear in the doc word for word. */
  snippetFiles: string[];
  build(out: string): Promise<void>;
}

const site = (name: string) => join(ROOT, 'test/recipes', name);

/** Fails with the install command when a generator from Debian's packages is missing. */
async function debianTool(command: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  if (!existsSync(`/usr/bin/${command}`)) throw new Error(`${command} is not installed: apt-get install -y --no-install-recommends ${command} (.ci/run does)`);
  await run(command, args, { env: { ...process.env, ...env } });
}

/** The real generators: each builds its tiny site under test/recipes/ from the recipe's snippets. */
export const GENERATOR_RECIPES: Recipe[] = [
  {
    name: 'hugo',
    doc: 'hugo.md',
    post: '/posts/hello/',
    article: '/posts/hello',
    snippetFiles: ['layouts/partials/readcounter.html', 'layouts/_default/single.html', 'layouts/index.html'],
    // Hugo's resource cache goes beside the output, not into the checkout.
    build: (out) => debianTool('hugo', ['--source', site('hugo'), '--destination', out, '--quiet', '--noBuildLock'], { HUGO_RESOURCEDIR: `${out}-resources` }),
  },
  {
    name: 'jekyll',
    doc: 'jekyll.md',
    post: '/2026/03/12/hello.html',
    article: '/2026/03/12/hello.html',
    snippetFiles: ['_includes/readcounter.html', '_layouts/post.html', 'index.html'],
    build: (out) => debianTool('jekyll', ['build', '--quiet', '--disable-disk-cache', '--source', site('jekyll'), '--destination', out]),
  },
  {
    name: 'eleventy',
    doc: 'eleventy.md',
    post: '/posts/hello/',
    article: '/posts/hello',
    snippetFiles: ['_data/readcounter.json', '_includes/base.njk', '_includes/post.njk', 'index.njk'],
    build: async (out) => {
      await run(join(BIN, 'eleventy'), [`--config=${site('eleventy')}/eleventy.config.js`, `--input=${site('eleventy')}`, `--output=${out}`, '--quiet']);
    },
  },
  {
    name: 'astro',
    doc: 'astro.md',
    post: '/posts/hello/',
    article: '/posts/hello',
    snippetFiles: ['src/layouts/Base.astro', 'src/pages/posts/hello.astro', 'src/pages/index.astro'],
    build: async (out) => {
      // Astro resolves its folders from the working directory, so it runs inside the site.
      await run(join(BIN, 'astro'), ['build', '--outDir', out, '--silent'], { cwd: site('astro'), env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
    },
  },
];

/** Platforms that cannot run here: their snippets' HTML, as the platform serves it, in two pages. */
export const HTML_RECIPES: Recipe[] = [
  { name: 'ghost', doc: 'ghost.md', post: '/posts/hello/', article: '/posts/hello', snippetFiles: [], build: (out) => pagesFromDoc('ghost.md', out, { '{{url}}': '/posts/hello/' }) },
  {
    name: 'wordpress',
    doc: 'wordpress.md',
    post: '/posts/hello/',
    article: '/posts/hello',
    snippetFiles: [],
    build: (out) => pagesFromDoc('wordpress.md', out, { '<?php echo esc_attr(wp_parse_url(get_permalink(), PHP_URL_PATH)); ?>': '/posts/hello/' }),
  },
];

/** The fenced code blocks of a doc, with their language. */
export function codeBlocks(markdown: string): Array<{ lang: string; code: string }> {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, code: m[2]!.trim() }));
}

/**
 * Writes what the platform would serve: the head snippets (the script) in every page, the
 * element snippets in a post at /posts/hello/, the readonly ones on the home page. Template
 * expressions are replaced by what the platform prints for that post.
 */
async function pagesFromDoc(doc: string, out: string, rendered: Record<string, string>): Promise<void> {
  let markdown = readFileSync(join(ROOT, 'docs/recipes', doc), 'utf8');
  for (const [expression, value] of Object.entries(rendered)) markdown = markdown.split(expression).join(value);
  const blocks = codeBlocks(markdown).filter((b) => b.lang === 'html' || (b.lang === 'php' && b.code.startsWith('<read-counter')));
  const head = blocks.filter((b) => b.code.startsWith('<script')).map((b) => b.code);
  const post = blocks.filter((b) => b.code.includes('<read-counter') && !b.code.includes('readonly')).map((b) => b.code);
  const index = blocks.filter((b) => b.code.includes('readonly')).map((b) => b.code);
  const page = (title: string, body: string[]) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>\n${head.join('\n')}\n</head><body><main><h1>${title}</h1>\n${body.join('\n')}\n</main></body></html>`;
  mkdirSync(join(out, 'posts/hello'), { recursive: true });
  writeFileSync(join(out, 'posts/hello/index.html'), page('Hello', post));
  writeFileSync(join(out, 'index.html'), page('A blog', index));
}
