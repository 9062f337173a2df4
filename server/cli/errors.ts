/** A command that could not do its job; the message names the file or setting and the fix. Exit status 1. */
export class CliError extends Error {
  override name = 'CliError';
  /** The process exit status. */
  readonly exitCode: number = 1;
}

/** A command line that cannot be understood (unknown command or flag, missing argument). Exit status 2. */
export class UsageError extends CliError {
  override name = 'UsageError';
  override readonly exitCode: number = 2;
}
