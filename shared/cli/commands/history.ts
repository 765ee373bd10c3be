/**
 * `omsched history JOB --env E [--limit N] [--since ISO] [--json] [--tz ZONE]`: a job's runs,
 * newest first, one line per attempt.
 */
import type { Command } from 'commander';
import type { HistoryEntry, RunResult } from '../../types.ts';
import type { CliIo } from '../io.ts';
import { parseInstantFlag, parseIntegerFlag, parseTimeZoneFlag } from '../options.ts';
import type { CommandDeps } from './deps.ts';
import { addTargetOptions, connect, parseTarget, type TargetFlags } from './runtime-target.ts';
import { describeError, formatDuration, localTime, processTimeZone, renderTable } from './text-table.ts';

export const HISTORY_DEFAULT_LIMIT = 20;
export const HISTORY_MAX_LIMIT = 1000;

interface HistoryFlags extends TargetFlags {
  readonly limit?: string;
  readonly since?: string;
  readonly tz?: string;
}

/** One entry of `history --json`: the API's HistoryEntry with every key present, times as ISO strings. */
export interface HistoryRow {
  readonly runId: string;
  readonly jobName: string;
  readonly attempt: number;
  readonly result: RunResult;
  readonly scheduledAt: string | null;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly error: { readonly type: string; readonly message: string } | null;
  readonly nextAttemptAt: string | null;
}

/** Adds `history` to the program. */
export function registerHistoryCommand(program: Command, io: CliIo, deps: CommandDeps): void {
  const command = program.command('history').description("show a job's runs, newest first").argument('<job>', 'job name');
  addTargetOptions(command)
    .option('-n, --limit <n>', `at most this many entries (1..${HISTORY_MAX_LIMIT})`, String(HISTORY_DEFAULT_LIMIT))
    .option('--since <iso>', 'only runs started at or after this instant (ISO 8601 with a zone, or a date)')
    .option('--tz <zone>', 'time zone of the table (default: the local one, TZ)')
    .action(async (job: string, flags: HistoryFlags) => {
      const limit = parseIntegerFlag('--limit', flags.limit ?? String(HISTORY_DEFAULT_LIMIT), 1, HISTORY_MAX_LIMIT);
      const sinceMs = flags.since === undefined ? undefined : parseInstantFlag('--since', flags.since);
      const timeZone = flags.tz === undefined ? processTimeZone() : parseTimeZoneFlag('--tz', flags.tz);
      const { client, config, target } = await connect(parseTarget(flags, io, deps), deps);
      const entries = (await client.history(job, { limit, ...(sinceMs !== undefined ? { since: new Date(sinceMs) } : {}) })).map(historyRow);
      if (flags.json) {
        io.stdout(`${JSON.stringify({ app: config.app, env: target.env, job, entries }, null, 2)}\n`);
        return;
      }
      const fmt = localTime(timeZone);
      io.stdout(`job "${job}" in env "${target.env}": ${entries.length} run${entries.length === 1 ? '' : 's'}, newest first; times in ${timeZone}\n\n`);
      if (entries.length === 0) return;
      io.stdout(
        renderTable(
          ['STARTED', 'RESULT', 'ATTEMPT', 'DURATION', 'RUN', 'ERROR'],
          entries.map((e) => [
            fmt(new Date(e.startedAt)),
            e.result,
            String(e.attempt),
            formatDuration(e.durationMs),
            e.runId,
            describeError(e.error),
          ]),
        ),
      );
    });
}

/**
 * A history entry as `--json` prints it.
 *
 * @example
 * historyRow(entry).startedAt; // '2027-03-13T12:05:00.000Z'
 */
export function historyRow(e: HistoryEntry): HistoryRow {
  return {
    runId: e.runId,
    jobName: e.jobName,
    attempt: e.attempt,
    result: e.result,
    scheduledAt: e.scheduledAt ? e.scheduledAt.toISOString() : null,
    startedAt: e.startedAt.toISOString(),
    finishedAt: e.finishedAt.toISOString(),
    durationMs: e.durationMs,
    error: e.error ? { type: e.error.type, message: e.error.message } : null,
    nextAttemptAt: e.nextAttemptAt ? e.nextAttemptAt.toISOString() : null,
  };
}
