import { parseArgs, type ParseArgsConfig } from 'node:util';
import { backup } from './backup.js';
import type { CliContext } from './context.js';
import { actAsOwnerOf, resolveDataDir } from './data-dir.js';
import { resolveRedisTarget } from './cli-store.js';
import { CliError, UsageError } from './errors.js';
import { exportCounts } from './export.js';
import { importCounts } from './import.js';
import { migrate } from './migrate.js';
import { restore } from './restore.js';
import { stats } from './stats.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

interface Command {
  usage: string;
  summary: string;
  /** Names of the positional arguments, all required. */
  args: string[];
  options: Options;
  run(ctx: CliContext, args: string[], values: Values): Promise<void>;
}

const COMMON: Options = {
  'data-dir': { type: 'string' },
  'redis-url': { type: 'string' },
  'redis-prefix': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

const COMMANDS: Record<string, Command> = {
  backup: {
    usage: 'backup <file>',
    summary: 'copy the whole store to <file>, consistently, while the server runs',
    args: ['file'],
    options: {},
    run: (ctx, [file]) => backup(ctx, file!),
  },
  restore: {
    usage: 'restore <file> [--at-next-start]',
    summary: 'replace the store with a backup (stop the server first, or stage it with --at-next-start)',
    args: ['file'],
    options: { 'at-next-start': { type: 'boolean' } },
    run: (ctx, [file], values) => restore(ctx, file!, { atNextStart: values['at-next-start'] === true }),
  },
  export: {
    usage: 'export [--format csv|json] [--site HOST] [--output FILE]',
    summary: 'write every (site, article, day, reads) row, as GET /api/export does',
    args: [],
    options: { format: { type: 'string' }, site: { type: 'string' }, output: { type: 'string', short: 'o' } },
    run: (ctx, _args, values) =>
      exportCounts(ctx, { format: text(values.format) ?? 'csv', site: text(values.site), output: text(values.output) }),
  },
  import: {
    usage: 'import [--from FORMAT] <file> [--site HOST] [--dry-run]',
    summary: 'merge counts from our export or another tool (FORMAT: readcounter, goatcounter, plausible, umami, shynet, ga4); idempotent, one transaction',
    args: ['file'],
    options: { from: { type: 'string' }, site: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    run: (ctx, [file], values) =>
      importCounts(ctx, file!, { from: text(values.from) ?? 'readcounter', site: text(values.site), dryRun: values['dry-run'] === true }),
  },
  stats: {
    usage: 'stats [--top N]',
    summary: 'print sites, totals, today, the last 7 days and the top articles',
    args: [],
    options: { top: { type: 'string' } },
    run: (ctx, _args, values) => stats(ctx, { top: text(values.top) ?? '5' }),
  },
  migrate: {
    usage: 'migrate --to-redis URL [--redis-prefix PREFIX]',
    summary: "move DATA_DIR's store into Redis for cluster mode: every total and daily row, max-merged; safe to repeat",
    args: [],
    options: { 'to-redis': { type: 'string' } },
    run: (ctx) => migrate(ctx),
  },
};

/** Where runCli() reads settings and writes. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** @default Date.now */
  now?: () => number;
  /** Run as root, become the owner of DATA_DIR first (the `readcounter` process does; tests do not). @default false */
  actAsDataDirOwner?: boolean;
}

/** Runs one `readcounter` command line; resolves with the exit status (0 ok, 1 failed, 2 bad usage). */
export async function runCli(argv: string[], { env, stdout, stderr, now = Date.now, actAsDataDirOwner = false }: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? stderr : stdout)(help());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  try {
    if (command === undefined) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
    const { values, positionals } = parse(command, rest);
    if (values.help === true) {
      stdout(`usage: readcounter ${command.usage} [--data-dir DIR]\n\n${command.summary}\n`);
      return 0;
    }
    const dataDir = resolveDataDir(env, text(values['data-dir']));
    const toRedis = text(values['to-redis']);
    const redisUrl = toRedis ?? text(values['redis-url']);
    const redis = resolveRedisTarget(env, { url: redisUrl, urlFlag: toRedis === undefined ? '--redis-url' : '--to-redis', prefix: text(values['redis-prefix']) });
    if (actAsDataDirOwner) actAsOwnerOf(dataDir);
    await command.run({ dataDir, redis, now, stdout, stderr: (line) => stderr(`${line}\n`) }, positionals, values);
    return 0;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    const hint = error instanceof UsageError ? `\n${help()}` : '\n';
    stderr(`readcounter ${name}: ${error.message}${hint}`);
    return error.exitCode;
  }
}

function parse(command: Command, args: string[]): { values: Values; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...COMMON, ...command.options }, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. Usage: readcounter ${command.usage} [--data-dir DIR]`);
  }
  const { values, positionals } = parsed;
  if (values.help !== true && positionals.length !== command.args.length) {
    throw new UsageError(`expected ${command.args.map((a) => `<${a}>`).join(' ') || 'no arguments'}, got ${positionals.length === 0 ? 'none' : positionals.map((p) => JSON.stringify(p)).join(' ')}`);
  }
  // No option is declared `multiple`, so no value is an array.
  return { values: values as Values, positionals };
}

function text(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function help(): string {
  const lines = Object.values(COMMANDS).map((c) => `  readcounter ${c.usage}\n      ${c.summary}`);
  return [
    'usage:',
    ...lines,
    '',
    'Every command works on DATA_DIR, read like the server reads it: --data-dir DIR, else the',
    'DATA_DIR variable, else ./data. With --redis-url URL (or REDIS_URL; keys under --redis-prefix or',
    'REDIS_PREFIX, default readcounter:), export, import and stats work on that Redis instead (cluster',
    'mode); backup and restore refuse. Exit status: 0 done, 1 failed (the message says why), 2 bad usage.',
    '',
  ].join('\n');
}
