#!/usr/bin/env node
import { runCli } from './cli/run.js';

/**
 * The `readcounter` command (backup, restore, export, import, stats): the only CLI file that
 * reads process.env and argv. Exit statuses are set, not forced, so a piped export is flushed.
 */
process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  actAsDataDirOwner: true,
});
