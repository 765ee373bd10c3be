/**
 * `omsched dlq list|retry|prune|stats --env E`: the dead letters of a deployed environment —
 * runs that failed for good — listed, re-enqueued, pruned and counted.
 */
import type { Command } from 'commander';
import type { DeadLetterEntry, DeadLetterStats, EnqueueResult } from '../../types.ts';
import { UsageError } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { parseInstantFlag, parseIntegerFlag, parseTimeZoneFlag } from '../options.ts';
import type { CommandDeps } from './deps.ts';
import { addTargetOptions, connect, parseQueueFlag, parseTarget, type TargetFlags } from './runtime-target.ts';
import { describeError, localTime, processTimeZone, renderTable } from './text-table.ts';

export const DLQ_LIST_DEFAULT_LIMIT = 50;
export const DLQ_LIST_MAX_LIMIT = 1000;

interface ListFlags extends TargetFlags {
  readonly queue?: string;
  readonly errorClass?: string;
  readonly job?: string;
  readonly limit?: string;
  readonly tz?: string;
}
interface RetryFlags extends TargetFlags {
  readonly all?: boolean;
  readonly queue?: string;
}
interface PruneFlags extends TargetFlags {
  readonly before?: string;
}
interface StatsFlags extends TargetFlags {
  readonly tz?: string;
}

/** One entry of `dlq list --json`: the API's DeadLetterEntry, times as ISO strings. */
export interface DeadLetterRow {
  readonly id: string;
  readonly jobName: string;
  readonly queue: string;
  readonly errorClass: string;
  readonly error: { readonly type: string; readonly message: string };
  readonly attempts: number;
  readonly args: unknown;
  readonly firstFailedAt: string;
  readonly lastFailedAt: string;
  readonly stacktrace: string | null;
}

/** One re-enqueued run in `dlq retry --json`. */
export interface RetriedRow {
  readonly runId: string;
  readonly jobName: string;
  readonly queue: string;
  readonly runAt: string;
}

/** Adds `dlq` and its subcommands to the program. */
export function registerDlqCommand(program: Command, io: CliIo, deps: CommandDeps): void {
  const dlq = program.command('dlq').description('list, retry, prune and count dead letters (runs that failed for good)');

  addTargetOptions(dlq.command('list').description('list dead letters, newest failure first'))
    .option('-q, --queue <queue>', "only this queue's entries")
    .option('--error-class <class>', 'only entries with this error class, e.g. TypeError')
    .option('--job <job>', "only this job's entries")
    .option('-n, --limit <n>', `at most this many entries (1..${DLQ_LIST_MAX_LIMIT})`, String(DLQ_LIST_DEFAULT_LIMIT))
    .option('--tz <zone>', 'time zone of the table (default: the local one, TZ)')
    .action(async (flags: ListFlags) => {
      const limit = parseIntegerFlag('--limit', flags.limit ?? String(DLQ_LIST_DEFAULT_LIMIT), 1, DLQ_LIST_MAX_LIMIT);
      const timeZone = flags.tz === undefined ? processTimeZone() : parseTimeZoneFlag('--tz', flags.tz);
      const { client, config, target } = await connect(parseTarget(flags, io, deps), deps);
      const queue = flags.queue === undefined ? undefined : parseQueueFlag('--queue', flags.queue, config);
      const entries = (
        await client.deadLetter.list({
          limit,
          ...(queue !== undefined ? { queue } : {}),
          ...(flags.errorClass !== undefined ? { errorClass: flags.errorClass } : {}),
          ...(flags.job !== undefined ? { jobName: flags.job } : {}),
        })
      ).map(deadLetterRow);
      if (flags.json) {
        io.stdout(`${JSON.stringify({ app: config.app, env: target.env, entries }, null, 2)}\n`);
        return;
      }
      const fmt = localTime(timeZone);
      io.stdout(`env "${target.env}": ${entries.length} dead letter${entries.length === 1 ? '' : 's'}; times in ${timeZone}\n\n`);
      if (entries.length === 0) return;
      io.stdout(
        renderTable(
          ['ID', 'JOB', 'QUEUE', 'ERROR CLASS', 'ATTEMPTS', 'LAST FAILED', 'ERROR'],
          entries.map((e) => [e.id, e.jobName, e.queue, e.errorClass, String(e.attempts), fmt(new Date(e.lastFailedAt)), describeError(e.error)]),
        ),
      );
    });

  addTargetOptions(dlq.command('retry').description('re-enqueue a dead letter (ID) or all of them (--all), removing them from the list'))
    .argument('[id]', 'dead-letter entry id (see dlq list)')
    .option('--all', 'retry every entry (with --queue: of that queue)')
    .option('-q, --queue <queue>', 'with --all: only this queue')
    .action(async (id: string | undefined, flags: RetryFlags) => {
      if (id !== undefined && flags.all) throw new UsageError('`dlq retry` takes an entry ID or `--all`, not both');
      if (id === undefined && !flags.all) throw new UsageError('`dlq retry` needs an entry ID (see `omsched dlq list`) or `--all`');
      if (id !== undefined && flags.queue !== undefined) throw new UsageError('`--queue` only applies with `--all`');
      const { client, config, target } = await connect(parseTarget(flags, io, deps), deps);
      const queue = flags.queue === undefined ? undefined : parseQueueFlag('--queue', flags.queue, config);
      const results =
        id !== undefined ? [await client.deadLetter.retry(id)] : await client.deadLetter.retryAll(queue !== undefined ? { queue } : {});
      const retried = results.map(retriedRow);
      if (flags.json) {
        io.stdout(`${JSON.stringify({ env: target.env, retried }, null, 2)}\n`);
        return;
      }
      if (id !== undefined) {
        const r = retried[0]!;
        io.stdout(`retried dead letter ${id}: job "${r.jobName}" enqueued on queue "${r.queue}" as run ${r.runId}\n`);
        return;
      }
      io.stdout(`retried ${retried.length} dead letter${retried.length === 1 ? '' : 's'}${queue !== undefined ? ` of queue "${queue}"` : ''} in env "${target.env}"\n`);
      for (const r of retried) io.stdout(`  ${r.jobName} -> run ${r.runId} (queue "${r.queue}")\n`);
    });

  addTargetOptions(dlq.command('prune').description("delete dead letters that last failed before an instant (default: older than the config's deadLetter.maxAge)"))
    .option('--before <iso>', 'delete entries that last failed before this instant (ISO 8601 with a zone, or a date)')
    .action(async (flags: PruneFlags) => {
      const beforeFlag = flags.before === undefined ? undefined : parseInstantFlag('--before', flags.before);
      const { client, config, target } = await connect(parseTarget(flags, io, deps), deps);
      const before = new Date(beforeFlag ?? io.now() - config.deadLetter.maxAgeMs);
      const pruned = await client.deadLetter.prune({ before });
      if (flags.json) {
        io.stdout(`${JSON.stringify({ env: target.env, pruned, before: before.toISOString() }, null, 2)}\n`);
        return;
      }
      io.stdout(`pruned ${pruned} dead letter${pruned === 1 ? '' : 's'} in env "${target.env}" that last failed before ${before.toISOString()}\n`);
    });

  addTargetOptions(dlq.command('stats').description('count dead letters by job, queue and error class'))
    .option('--tz <zone>', 'time zone of oldest/newest (default: the local one, TZ)')
    .action(async (flags: StatsFlags) => {
      const timeZone = flags.tz === undefined ? processTimeZone() : parseTimeZoneFlag('--tz', flags.tz);
      const { client, target } = await connect(parseTarget(flags, io, deps), deps);
      const stats = await client.deadLetter.stats();
      if (flags.json) {
        io.stdout(`${JSON.stringify({ env: target.env, ...statsRow(stats) }, null, 2)}\n`);
        return;
      }
      const fmt = localTime(timeZone);
      const lines = [
        `env "${target.env}": ${stats.total} dead letter${stats.total === 1 ? '' : 's'}; oldest ${fmt(stats.oldest)}, newest ${fmt(stats.newest)}`,
      ];
      const counts = (title: string, byKey: Readonly<Record<string, number>>): void => {
        const keys = Object.keys(byKey).sort();
        if (keys.length === 0) return;
        lines.push('', renderTable([title, 'COUNT'], keys.map((k) => [k, String(byKey[k])])).trimEnd());
      };
      counts('JOB', stats.byJob);
      counts('QUEUE', stats.byQueue);
      counts('ERROR CLASS', stats.byErrorClass);
      io.stdout(`${lines.join('\n')}\n`);
    });
}

/**
 * A dead-letter entry as `dlq list --json` prints it.
 *
 * @example
 * deadLetterRow(entry).lastFailedAt; // '2027-03-13T12:00:03.000Z'
 */
export function deadLetterRow(e: DeadLetterEntry): DeadLetterRow {
  return {
    id: e.id,
    jobName: e.jobName,
    queue: e.queue,
    errorClass: e.errorClass,
    error: { type: e.error.type, message: e.error.message },
    attempts: e.attempts,
    args: e.args ?? null,
    firstFailedAt: e.firstFailedAt.toISOString(),
    lastFailedAt: e.lastFailedAt.toISOString(),
    stacktrace: e.stacktrace,
  };
}

function retriedRow(r: EnqueueResult): RetriedRow {
  return { runId: r.runId, jobName: r.jobName, queue: r.queue, runAt: r.runAt.toISOString() };
}

function statsRow(s: DeadLetterStats): Record<string, unknown> {
  return {
    total: s.total,
    byJob: s.byJob,
    byQueue: s.byQueue,
    byErrorClass: s.byErrorClass,
    oldest: s.oldest ? s.oldest.toISOString() : null,
    newest: s.newest ? s.newest.toISOString() : null,
  };
}
