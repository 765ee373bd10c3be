/**
 * The CLI's error discipline: a user's mistake prints its message (one issue per line) and
 * exits 1 — 2 for a usage error (bad flags) — and never a stack trace unless `OMSCHED_DEBUG=1`.
 */
import { ConfigError, OmSchedulerError, formatValue } from '../errors.ts';

/** A bad command line: unknown or malformed flag value. Exit code 2. */
export class UsageError extends OmSchedulerError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/** `` `--count` must be an integer from 1 to 1000, got: "x" `` — the config-message style for flags. */
export function flagIssue(flag: string, value: unknown, expected: string): UsageError {
  return new UsageError(`\`${flag}\` must ${expected}, got: ${formatValue(value)}`);
}

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;

/** What to print for an error and the exit code. */
export function describeCliError(error: unknown, debug: boolean): { text: string; exitCode: number } {
  const stack = debug ? debugTrace(error) : '';
  if (error instanceof UsageError) return { text: `omsched: ${error.message}${stack}\n`, exitCode: EXIT_USAGE };
  if (error instanceof ConfigError) {
    const n = error.issues.length;
    const head = `omsched: invalid config (${n} issue${n === 1 ? '' : 's'}):`;
    return { text: `${head}\n${error.message}${stack}\n`, exitCode: EXIT_ERROR };
  }
  if (error instanceof OmSchedulerError) return { text: `omsched: ${error.message}${stack}\n`, exitCode: EXIT_ERROR };
  const message = error instanceof Error ? error.message : String(error);
  const hint = debug ? '' : ' (set OMSCHED_DEBUG=1 for the stack trace)';
  return { text: `omsched: unexpected error: ${message}${hint}${stack}\n`, exitCode: EXIT_ERROR };
}

/** The stack, and the stack of the cause (e.g. what the user's config module threw). */
function debugTrace(error: unknown): string {
  if (!(error instanceof Error) || !error.stack) return '';
  const cause = error.cause instanceof Error && error.cause.stack ? `\nCaused by: ${error.cause.stack}` : '';
  return `\n${error.stack}${cause}`;
}
