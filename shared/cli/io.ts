/**
 * Where a CLI command writes and what it reads from the environment — injected so commands are
 * testable in-process and the entry point alone touches `process`.
 */
export interface CliIo {
  /** Normal output (tables, JSON). Each call writes the text as given. */
  readonly stdout: (text: string) => void;
  /** Errors and diagnostics. */
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Epoch ms; the default of `--from`. */
  readonly now: () => number;
}

/** The real process. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    now: () => Date.now(),
  };
}
