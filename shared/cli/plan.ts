/**
 * The plan: every job's schedules as deployed (EventBridge Scheduler expression + time zone)
 * and its next runs — as data (`buildPlan`, the `--json` output) and as a table for people
 * (`renderPlanTable`, in local time, with DST changes flagged).
 */
import { wallClock } from './commands/text-table.ts';
import { dstTransitions, nextRuns } from '../schedule/next-runs.ts';
import type { ResolvedConfig } from '../types.ts';

/** One schedule of a job, as deployed. */
export interface PlanSchedule {
  /** `cron(0 6 * * ? *)`, `rate(5 minutes)`. */
  readonly expression: string;
  /** IANA time zone of the schedule. */
  readonly timezone: string;
  /** What the user wrote: `0 6 * * *`, `every 30 seconds`. */
  readonly source: string;
  /** Sub-minute `every`: SQS delays (s) each firing fans out into. */
  readonly fanOutDelaysSeconds?: readonly number[];
}

export interface PlanJob {
  readonly name: string;
  readonly queue: string;
  /** Empty for on-demand jobs. */
  readonly schedules: readonly PlanSchedule[];
  /** ISO instants (UTC) of the next runs after `from`; empty for on-demand jobs. */
  readonly nextRuns: readonly string[];
}

export interface Plan {
  readonly app: string;
  /** ISO instant the runs are counted from. */
  readonly from: string;
  /** Runs listed per scheduled job. */
  readonly count: number;
  readonly jobs: readonly PlanJob[];
}

export interface PlanOptions {
  /** Runs strictly after this instant (epoch ms) are listed. */
  readonly fromMs: number;
  /** How many runs per job (1..1000). */
  readonly count: number;
}

/**
 * The plan of a resolved config: pure, no clock, no I/O.
 *
 * @example
 * const plan = buildPlan(config, { fromMs: Date.parse('2027-03-13T12:00:00Z'), count: 3 });
 * plan.jobs[0];
 * // { name: 'daily_report', queue: 'default',
 * //   schedules: [{ expression: 'cron(0 6 * * ? *)', timezone: 'America/New_York', source: '0 6 * * *' }],
 * //   nextRuns: ['2027-03-13T11:00:00.000Z', ...] }
 */
export function buildPlan(config: ResolvedConfig, opts: PlanOptions): Plan {
  const jobs = config.jobs.map((job): PlanJob => {
    const schedules = job.schedules.map((s) => ({
      expression: s.expression,
      timezone: s.timezone,
      source: s.source,
      ...(s.fanOutDelaysSeconds ? { fanOutDelaysSeconds: [...s.fanOutDelaysSeconds] } : {}),
    }));
    const runs = schedules.length === 0 ? [] : nextRuns(job.schedules, opts.fromMs, opts.count);
    return { name: job.name, queue: job.queue, schedules, nextRuns: runs.map((ms) => new Date(ms).toISOString()) };
  });
  return { app: config.app, from: new Date(opts.fromMs).toISOString(), count: opts.count, jobs };
}

export interface RenderPlanOptions {
  /** Start of the window (epoch ms) DST changes are looked for in. */
  readonly fromMs: number;
  /** Time zone the runs are shown in. @default the process's (`TZ`) */
  readonly localTimeZone?: string;
}

/**
 * A table for people: job, queue, each schedule with its time zone, and the next runs in local
 * time. Below a job, every DST change of a schedule's time zone between `from` and the job's
 * last listed run is flagged, e.g. `DST: 2027-03-14 02:00 America/New_York clocks go forward 1h`.
 *
 * @example
 * console.log(renderPlanTable(plan, config, { fromMs, localTimeZone: 'Europe/Paris' }));
 */
export function renderPlanTable(plan: Plan, config: ResolvedConfig, opts: RenderPlanOptions): string {
  const localTz = opts.localTimeZone ?? new Intl.DateTimeFormat().resolvedOptions().timeZone;
  const fmt = wallClock(localTz);
  const header = ['JOB', 'QUEUE', 'SCHEDULE', `NEXT RUNS (${localTz})`] as const;

  interface Block {
    readonly cells: [string[], string[], string[], string[]];
    readonly notes: string[];
  }
  const blocks: Block[] = plan.jobs.map((job) => {
    const schedules = job.schedules.length === 0 ? ['on demand (enqueue)'] : job.schedules.map(describeSchedule);
    const runMs = job.nextRuns.map((iso) => Date.parse(iso));
    const withSeconds = runMs.some((ms) => ms % 60_000 !== 0);
    const runs = runMs.length === 0 ? ['-'] : runMs.map((ms) => fmt(ms, withSeconds));
    const notes: string[] = [];
    const last = runMs[runMs.length - 1];
    if (last !== undefined) {
      for (const tz of new Set(job.schedules.map((s) => s.timezone))) {
        for (const t of dstTransitions(tz, opts.fromMs, last)) notes.push(describeTransition(tz, t));
      }
    }
    return { cells: [[job.name], [job.queue], schedules, runs], notes };
  });

  const widths = header.map((h, col) => Math.max(h.length, ...blocks.flatMap((b) => b.cells[col]!.map((line) => line.length))));
  const pad = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();

  const queues = Object.keys(config.queues).length;
  const scheduled = plan.jobs.filter((j) => j.schedules.length > 0).length;
  const lines: string[] = [
    `app "${plan.app}": ${plan.jobs.length} job${plan.jobs.length === 1 ? '' : 's'} (${scheduled} scheduled), ` +
      `${queues} queue${queues === 1 ? '' : 's'}; next ${plan.count} run${plan.count === 1 ? '' : 's'} after ${fmt(opts.fromMs, false)}`,
    '',
    pad(header),
  ];
  for (const block of blocks) {
    const height = Math.max(...block.cells.map((c) => c.length));
    for (let row = 0; row < height; row++) lines.push(pad(block.cells.map((c) => c[row] ?? '')));
    for (const note of block.notes) lines.push(`${''.padEnd(widths[0]! + 2)}! ${note}`);
  }
  return lines.join('\n') + '\n';
}

function describeSchedule(s: PlanSchedule): string {
  const fanOut = s.fanOutDelaysSeconds && s.fanOutDelaysSeconds.length > 1 ? ` x${s.fanOutDelaysSeconds.length} (+${s.fanOutDelaysSeconds.join('s, +')}s)` : '';
  return `${s.expression} ${s.timezone}${fanOut}`;
}

/** `DST: 2027-03-14 02:00 America/New_York clocks go forward 1h` — the wall-clock time the change happens at. */
export function describeTransition(timezone: string, t: { atMs: number; offsetBeforeMin: number; offsetAfterMin: number }): string {
  const wall = new Date(t.atMs + t.offsetBeforeMin * 60_000).toISOString(); // local wall time before the change
  const delta = t.offsetAfterMin - t.offsetBeforeMin;
  const abs = Math.abs(delta);
  const amount = `${abs >= 60 ? `${Math.floor(abs / 60)}h` : ''}${abs % 60 ? `${abs % 60}min` : ''}`;
  return `DST: ${wall.slice(0, 10)} ${wall.slice(11, 16)} ${timezone} clocks go ${delta > 0 ? 'forward' : 'back'} ${amount}`;
}

