import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli/run.js';

const root = new URL('../../', import.meta.url);
const doc = readFileSync(new URL('docs/deploy.md', root), 'utf8');
const scripts = Object.keys((JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }).scripts);

interface Known {
  flags: string[];
  /** Where the subcommand and its flags were checked. */
  source: string;
}

const APP = ['-a', '--app', '-c', '--config'];

// Every fly subcommand and flag the doc may use, each checked against Fly's flyctl reference.
const FLY: Record<string, Known> = {
  'auth login': { flags: [], source: 'https://fly.io/docs/flyctl/auth-login/' },
  'platform regions': { flags: [], source: 'https://fly.io/docs/flyctl/platform-regions/' },
  launch: { flags: ['--copy-config', '--no-deploy', '--name', '--region', '--org'], source: 'https://fly.io/docs/flyctl/launch/' },
  'volumes create': { flags: [...APP, '-s', '--size', '-r', '--region', '--snapshot-retention', '--snapshot-id'], source: 'https://fly.io/docs/flyctl/volumes-create/' },
  'volumes list': { flags: APP, source: 'https://fly.io/docs/flyctl/volumes-list/' },
  'volumes extend': { flags: [...APP, '-s', '--size', '-y', '--yes'], source: 'https://fly.io/docs/flyctl/volumes-extend/' },
  'volumes snapshots create': { flags: APP, source: 'https://fly.io/docs/flyctl/volumes-snapshots-create/' },
  'volumes snapshots list': { flags: APP, source: 'https://fly.io/docs/flyctl/volumes-snapshots-list/' },
  'secrets set': { flags: [...APP, '--stage', '--detach'], source: 'https://fly.io/docs/flyctl/secrets-set/' },
  deploy: { flags: APP, source: 'https://fly.io/docs/flyctl/deploy/' },
  status: { flags: APP, source: 'https://fly.io/docs/apps/info/' },
  logs: { flags: [...APP, '-n', '--no-tail'], source: 'https://fly.io/docs/flyctl/logs/' },
  'ssh console': { flags: [...APP, '-C', '--command', '-u', '--user'], source: 'https://fly.io/docs/flyctl/ssh-console/' },
  'sftp get': { flags: APP, source: 'https://fly.io/docs/flyctl/sftp-get/' },
  'sftp put': { flags: [...APP, '-m', '--mode'], source: 'https://fly.io/docs/flyctl/sftp-put/' },
  'apps restart': { flags: ['--skip-health-checks', '--force-stop'], source: 'https://fly.io/docs/flyctl/apps-restart/' },
  'scale count': { flags: [...APP, '-r', '--region'], source: 'https://fly.io/docs/flyctl/scale-count/' },
};

// Docker CLI subcommands and flags (docs.docker.com/reference/cli/docker/).
const DOCKER: Record<string, Known> = {
  build: { flags: ['-t', '--tag'], source: 'https://docs.docker.com/reference/cli/docker/buildx/build/' },
  run: { flags: ['-d', '--detach', '--name', '--restart', '-v', '--volume', '-p', '--publish', '-e', '--env'], source: 'https://docs.docker.com/reference/cli/docker/container/run/' },
  exec: { flags: [], source: 'https://docs.docker.com/reference/cli/docker/container/exec/' },
  cp: { flags: [], source: 'https://docs.docker.com/reference/cli/docker/container/cp/' },
  logs: { flags: ['-f', '--follow'], source: 'https://docs.docker.com/reference/cli/docker/container/logs/' },
  stop: { flags: [], source: 'https://docs.docker.com/reference/cli/docker/container/stop/' },
  restart: { flags: [], source: 'https://docs.docker.com/reference/cli/docker/container/restart/' },
  inspect: { flags: ['-f', '--format'], source: 'https://docs.docker.com/reference/cli/docker/inspect/' },
  images: { flags: [], source: 'https://docs.docker.com/reference/cli/docker/image/ls/' },
  rm: { flags: ['-f', '--force'], source: 'https://docs.docker.com/reference/cli/docker/container/rm/' },
};

/** Every command the doc shows, as words: lines of its sh code blocks (continuations joined) and inline `code`. */
function commands(markdown: string): string[][] {
  const found: string[] = [];
  for (const [, body] of markdown.matchAll(/```(?:sh|cron)\n([\s\S]*?)```/g)) {
    for (const line of body!.replace(/\\\n/g, ' ').split('\n')) if (line.trim() !== '' && !line.startsWith('#')) found.push(line);
  }
  const prose = markdown.replace(/```[\s\S]*?```/g, '');
  // In a table cell `\|` is a literal bar (`csv|json`), not a pipe.
  for (const [, code] of prose.matchAll(/`([^`\n]+)`/g)) found.push(code!.replaceAll('\\|', '/'));
  // `[--flag VALUE]` in a usage line is the flag itself; `<command>` is a placeholder.
  const clean = (command: string[]): string[] => command.map((w) => w.replace(/^\[|\]$/g, '')).filter((w) => w !== 'sudo' && !w.startsWith('<'));
  return found.flatMap(splitCommands).map(clean).filter((command) => command.length > 0);
}

// Shell words, keeping quotes and $( … ) together; `&&`, `;` and `|` start a new command.
function splitCommands(line: string): string[][] {
  const commandsOut: string[][] = [[]];
  let word = '';
  let quote = '';
  let depth = 0;
  const end = (): void => {
    if (word !== '') commandsOut.at(-1)!.push(word);
    word = '';
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote !== '') {
      if (c === quote) quote = '';
      else word += c;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '$' && line[i + 1] === '(') {
      depth++;
      word += c;
    } else if (c === ')' && depth > 0) {
      depth--;
      word += c;
    } else if (depth === 0 && /\s/.test(c)) end();
    else if (depth === 0 && (c === ';' || c === '|' || (c === '&' && line[i + 1] === '&'))) {
      end();
      if (c === '&' || line[i + 1] === '|') i++;
      commandsOut.push([]);
    } else word += c;
  }
  end();
  return commandsOut;
}

/** The longest known subcommand at the start of `words`, and the words after it. */
function subcommand(known: Record<string, Known>, words: string[]): [string, string[]] | undefined {
  for (let n = 3; n >= 1; n--) {
    const name = words.slice(0, n).join(' ');
    if (known[name] !== undefined) return [name, words.slice(n)];
  }
  return undefined;
}

/**
 * The `readcounter` command line inside a shown command, if any: after `readcounter` or
 * `node dist/server/cli.js`, also inside a quoted `fly ssh console -C "…"`; in `docker exec NAME
 * readcounter …` the first `readcounter` is the container.
 */
function readcounterCommand(words: string[]): string[] | undefined {
  if (words[0] === 'docker') return words[1] === 'exec' && words[3] === 'readcounter' ? words.slice(4) : undefined;
  const flat = words.flatMap((w) => w.split(/\s+/));
  const at = flat.findLastIndex((w, i) => (w === 'readcounter' || (w === 'dist/server/cli.js' && flat[i - 1] === 'node')) && /^[a-z]+$/.test(flat[i + 1] ?? ''));
  return at < 0 ? undefined : flat.slice(at + 1);
}

const flagsOf = (words: string[]): string[] => words.filter((w) => w.startsWith('-')).map((w) => w.split('=')[0]!);
const shown = commands(doc);

describe('docs/deploy.md, walked as a newcomer would', () => {
  it.each(shown.filter(([first]) => first === 'fly').map((words) => [words.join(' '), words]))('`%s` uses a real fly subcommand and real flags', (_line, words) => {
    const match = subcommand(FLY, (words as string[]).slice(1));
    expect(match, 'unknown fly subcommand: check it in the flyctl docs and add it to FLY').toBeDefined();
    const [name, rest] = match!;
    for (const flag of flagsOf(rest)) expect(FLY[name]!.flags, `fly ${name} ${flag} (see ${FLY[name]!.source})`).toContain(flag);
  });

  it.each(shown.filter(([first]) => first === 'docker').map((words) => [words.join(' '), words]))('`%s` uses a real docker subcommand and real flags', (_line, words) => {
    const rest = (words as string[]).slice(1);
    // `docker exec NAME readcounter …`: docker's flags stop at the container name.
    const own = rest[0] === 'exec' ? rest.slice(0, 2) : rest;
    const match = subcommand(DOCKER, own);
    expect(match, `unknown docker subcommand ${rest[0]}`).toBeDefined();
    const [name, after] = match!;
    for (const flag of flagsOf(after)) expect(DOCKER[name]!.flags, `docker ${name} ${flag} (see ${DOCKER[name]!.source})`).toContain(flag);
  });

  const ours = shown.map(readcounterCommand).filter((words): words is string[] => words !== undefined);

  it('shows readcounter commands', () => {
    expect(ours.map((words) => words[0])).toEqual(expect.arrayContaining(['backup', 'restore', 'export', 'import', 'stats']));
  });

  it.each(ours.map((words) => [words.join(' '), words]))('`readcounter %s` is a real command with real flags', async (_line, words) => {
    const [command, ...rest] = words as string[];
    let usage = '';
    const code = await runCli([command!, '--help'], { env: {}, stdout: (text) => void (usage += text), stderr: () => {} });
    expect(code, `readcounter ${command} does not exist`).toBe(0);
    for (const flag of flagsOf(rest)) expect(usage, `readcounter ${command} has no ${flag}`).toContain(flag);
  });

  it.each(shown.filter(([first, second, ...rest]) => first === 'npm' && second === 'run' && rest.some((w) => !w.startsWith('-'))).map((words) => [words.join(' '), words]))('`%s` names a script in package.json', (_line, words) => {
    const script = (words as string[]).slice(2).find((w) => !w.startsWith('-'));
    expect(scripts).toContain(script);
  });
});
