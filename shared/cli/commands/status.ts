/**
 * `omsched status [JOB] --env E [--config FILE] [--json] [--tz ZONE]`: every job's (or one
 * job's) state, run and error counts, last result, last run and next run.
 */
import type { Command } from 'commander';
import type { JobStatus, RuntimeClient } from '../../types.ts';
import type { CliIo } from '../io.ts';
import { parseTimeZoneFlag } from '../options.ts';
import type { CommandDeps } from './deps.ts';
import { addTargetOptions, connect, parseTarget, type TargetFlags } from './runtime-target.ts';
import { describeError, localTime, processTimeZone, renderTable } from './text-table.ts';

interface StatusFlags extends TargetFlags {
  readonly tz?: string;
}

/** One row of `status --json`: the API's JobStatus with its queue, times as ISO strings. */
export interface StatusRow {
  readonly name: string;
  readonly queue: string;
  readonly state: 'active' | 'paused';
  readonly runCount: number;
  readonly errorCount: number;
  readonly lastResult: JobStatus['lastResult'];
  readonly lastError: JobStatus['lastError'];
  readonly lastRunAt: string | null;
  readonly nextRunAt: string | null;
}

/** Adds `status` to the program. */
export function registerStatusCommand(program: Command, io: CliIo, deps: CommandDeps): void {
  const command = program
    .command('status')
    .description('show every job (or JOB): state, runs, errors, last result, last and next run')
    .argument('[job]', 'one job only');
  addTargetOptions(command)
    .option('--tz <zone>', 'time zone of the table (default: the local one, TZ)')
    .action(async (job: string | undefined, flags: StatusFlags) => {
      const timeZone = flags.tz === undefined ? processTimeZone() : parseTimeZoneFlag('--tz', flags.tz);
      const { client, config, target } = await connect(parseTarget(flags, io, deps), deps);
      const rows = await statusRows(client, job);
      if (flags.json) {
        io.stdout(`${JSON.stringify({ app: config.app, env: target.env, jobs: rows }, null, 2)}\n`);
        return;
      }
      const fmt = localTime(timeZone);
      const at = (iso: string | null): string => fmt(iso === null ? null : new Date(iso));
      io.stdout(`app "${config.app}", env "${target.env}": ${rows.length} job${rows.length === 1 ? '' : 's'}; times in ${timeZone}\n\n`);
      io.stdout(
        renderTable(
          ['JOB', 'QUEUE', 'STATE', 'RUNS', 'ERRORS', 'LAST RESULT', 'LAST RUN', 'NEXT RUN'],
          rows.map((r) => [
            r.name,
            r.queue,
            r.state,
            String(r.runCount),
            String(r.errorCount),
            r.lastResult === null ? '-' : r.lastError && r.lastResult !== 'ok' ? `${r.lastResult} (${describeError(r.lastError, 40)})` : r.lastResult,
            at(r.lastRunAt),
            at(r.nextRunAt),
          ]),
        ),
      );
    });
}

/**
 * The status of `job` (NotFoundError when unknown), or of every job in the order `listJobs` gives.
 *
 * @example
 * await statusRows(client, 'daily_report');
 * // [{ name: 'daily_report', queue: 'default', state: 'active', runCount: 2, ... }]
 */
export async function statusRows(client: RuntimeClient, job?: string): Promise<StatusRow[]> {
  const jobs = job === undefined ? await client.listJobs() : [await client.getJob(job)];
  return Promise.all(
    jobs.map(async (info) => {
      const s = await client.status(info.name);
      return {
        name: s.name,
        queue: info.queue,
        state: s.state,
        runCount: s.runCount,
        errorCount: s.errorCount,
        lastResult: s.lastResult,
        lastError: s.lastError ? { type: s.lastError.type, message: s.lastError.message } : null,
        lastRunAt: iso(s.lastRunAt),
        nextRunAt: iso(s.nextRunAt),
      };
    }),
  );
}

function iso(at: Date | null): string | null {
  return at === null ? null : at.toISOString();
}
