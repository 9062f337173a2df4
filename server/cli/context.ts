/** The Redis a command works on, in cluster mode: `--redis-url` or REDIS_URL, and the key prefix. */
export interface RedisTarget {
  url: string;
  /** @default 'readcounter:' */
  prefix: string;
}

/** What every command gets: the resolved DATA_DIR, the Redis if one is set, a clock and where to write. */
export interface CliContext {
  /** Absolute DATA_DIR. */
  dataDir: string;
  /** Set: export, import and stats work on this Redis instead of DATA_DIR's LMDB store. */
  redis: RedisTarget | undefined;
  /** Epoch ms; tests inject a fixed clock so exports compare byte for byte. */
  now: () => number;
  /** Command output (an export, the stats), exactly as given. */
  stdout: (text: string) => void;
  /** Status lines for the operator, one per call. */
  stderr: (line: string) => void;
}
