/** What every command gets: the resolved DATA_DIR, a clock and where to write. */
export interface CliContext {
  /** Absolute DATA_DIR. */
  dataDir: string;
  /** Epoch ms; tests inject a fixed clock so exports compare byte for byte. */
  now: () => number;
  /** Command output (an export, the stats), exactly as given. */
  stdout: (text: string) => void;
  /** Status lines for the operator, one per call. */
  stderr: (line: string) => void;
}
