/**
 * The demo's story: the demo shop's config on the local runtime, on a virtual clock that is
 * advanced in small steps (paced in real time unless `fast`), with scripted moments in between —
 * what an operator would do by hand: enqueue, cancel, retry a dead letter.
 *
 * Timeline (virtual, UTC; Monday 2027-01-04, so 08:00 in Berlin is 07:00 UTC):
 *   06:55:00  runtime starts; heartbeat every 30 s, cleanup_sessions every 5 min
 *   06:55:30  enqueue a webhook delivery — the endpoint fails twice: retries with backoff
 *   06:57:00  enqueue an export with args — hooks onStart / onSuccess
 *   07:00:00  weekly_report (Monday 08:00 Berlin), rotate_logs (@hourly), cleanup_sessions
 *   07:02:00  enqueue a partner feed import while the partner is down — dead-lettered
 *   07:05:00  the partner is back: retry the dead letter — it succeeds
 *   07:06:00  enqueue a big export; 07:07:00 cancel it — onCancel
 *   07:10:00  sync_legacy_crm fails for good (decommissioned CRM) — stays dead-lettered
 *   07:15:00  stop; print job, queue and dead-letter tables
 */
import {
  createLocalRuntime,
  setDefaultClient,
  type Clock,
  type DeadLetterEntry,
  type DeadLetterStats,
  type JobStatus,
  type QueueStats,
  type RuntimeClient,
} from 'om-scheduler';
import { seededRandom, virtualClock, type VirtualClock } from 'om-scheduler/testing';
import config from '../app/scheduler.config.ts';
import { ExportWorker } from '../app/jobs/export-worker.ts';
import { WebhookWorker } from '../app/jobs/webhook-worker.ts';
import { configureServices, services, type Sleep } from '../app/services.ts';
import { attachLiveLog, clockTime, type SeenEvent } from './live-log.ts';
import { palette, type Palette } from './palette.ts';
import { renderTable } from './table.ts';

export interface DemoOptions {
  /** No real-time pacing: run the whole story as fast as the machine allows. @default false */
  readonly fast?: boolean;
  /** Where output goes. @default process.stdout.write */
  readonly write?: (text: string) => void;
  /** ANSI colours. @default false */
  readonly color?: boolean;
  /** Real milliseconds per virtual minute when paced. @default 1_000 */
  readonly msPerVirtualMinute?: number;
}

/** What happened, for the smoke test (and anyone embedding the demo). */
export interface DemoReport {
  readonly events: readonly SeenEvent[];
  readonly statuses: readonly JobStatus[];
  readonly queues: QueueStats;
  readonly deadLetters: readonly DeadLetterEntry[];
  readonly deadLetterStats: DeadLetterStats;
  /** Virtual start and end of the story. */
  readonly startedAt: Date;
  readonly endedAt: Date;
}

/** Monday 2027-01-04 06:55 UTC = 07:55 in Berlin, five minutes before the weekly report. */
export const DEMO_START = '2027-01-04T06:55:00.000Z';
const STEP_MS = 5_000;

/** A `Sleep` on a virtual clock: job code that "takes" 5 s takes 5 virtual seconds. */
export function clockSleep(clock: Clock): Sleep {
  return (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        clock.clearTimer(timer);
        reject(signal?.reason);
      };
      const timer = clock.setTimer(clock.now() + ms, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
}


/**
 * Runs the story and returns what happened.
 *
 * @example
 * const report = await runDemo({ fast: true, write: () => {} });
 * report.deadLetterStats.total; // 1 (sync_legacy_crm)
 */
export async function runDemo(opts: DemoOptions = {}): Promise<DemoReport> {
  const write = opts.write ?? ((text: string) => void process.stdout.write(text));
  const paint = palette(opts.color ?? false);
  const realMsPerStep = opts.fast ? 0 : ((opts.msPerVirtualMinute ?? 1_000) * STEP_MS) / 60_000;
  const pause = (ms: number): Promise<void> => (opts.fast ? Promise.resolve() : new Promise((r) => setTimeout(r, ms)));

  const clock = virtualClock(DEMO_START);
  configureServices({ reset: true, sleep: clockSleep(clock), log: (text) => write(`${paint.dim(clockTime(clock.now()))}    ${paint.dim(`│ ${text}`)}\n`) });
  const rt = createLocalRuntime(config, { clock, random: seededRandom(42) });
  setDefaultClient(rt); // Worker.enqueue talks to this runtime (createLocalRuntime binds itself too)
  const live = attachLiveLog({ telemetry: rt.telemetry, clock, paint, write, quiet: { heartbeat: 2 } });

  /** Advances virtual time to `at` in 5 s steps, pacing each step in real time. */
  const until = async (at: string): Promise<void> => {
    const target = Date.parse(at);
    while (clock.now() < target) {
      await clock.advanceTo(Math.min(target, clock.now() + STEP_MS));
      if (realMsPerStep > 0) await pause(realMsPerStep);
    }
  };
  const narrate = async (text: string, code?: string): Promise<void> => {
    write(`\n${paint.dim(clockTime(clock.now()))}  ${paint.bold(paint.blue(`── ${text}`))}\n`);
    if (code) write(`          ${paint.dim(code)}\n`);
    await pause(700);
  };

  writeHeader(write, paint, clock);
  await writeJobList(write, paint, rt);
  await pause(1_000);
  const startedAt = new Date(clock.now());

  try {
    await narrate('Start the runtime: schedules begin to fire on the (virtual) clock', 'await rt.start()');
    await rt.start();
    await clock.settle();

    await until('2027-01-04T06:55:30Z');
    await narrate('Enqueue a webhook delivery — the customer endpoint answers 503 twice', "WebhookWorker.enqueue({ deliveryId: 'dlv_1', url: 'https://hooks.acme.example/orders', event: 'order.paid' })");
    await WebhookWorker.enqueue({ deliveryId: 'dlv_1', url: 'https://hooks.acme.example/orders', event: 'order.paid' });

    await until('2027-01-04T06:57:00Z');
    await narrate('Enqueue a data export with args (hooks: onStart, onSuccess)', "ExportWorker.enqueue({ userId: 'u_1042' })");
    await ExportWorker.enqueue({ userId: 'u_1042' });

    await until('2027-01-04T06:59:30Z');
    await narrate('07:00 UTC is Monday 08:00 in Berlin: weekly_report, rotate_logs (@hourly) and cleanup_sessions are due');

    await until('2027-01-04T07:02:00Z');
    await narrate('Import the partner feed while the partner API is down (2 retries, 20 s apart)', "rt.enqueue('import_partner_feed', { feed: 'spring-collection.csv' })");
    await rt.enqueue('import_partner_feed', { feed: 'spring-collection.csv' });

    await until('2027-01-04T07:05:00Z');
    services.partnerFeed.down = false;
    const [entry] = await rt.deadLetter.list({ jobName: 'import_partner_feed', limit: 1 });
    await narrate('The partner API is back: retry the dead letter with its original args', `services.partnerFeed.down = false; await rt.deadLetter.retry('${entry?.id ?? '?'}')`);
    if (entry) await rt.deadLetter.retry(entry.id);
    else write(paint.red('   (no dead letter for import_partner_feed — the story went off script)\n'));

    await until('2027-01-04T07:06:00Z');
    await narrate('Enqueue a big export (96 pages, 5 s each)…', "ExportWorker.enqueue({ userId: 'u_2001' })");
    await ExportWorker.enqueue({ userId: 'u_2001' });

    await until('2027-01-04T07:07:00Z');
    await narrate('…and cancel it while it runs (its abort signal fires; onCancel cleans up)', "rt.cancelJob('export_worker', { reason: 'customer withdrew the request' })");
    const cancelled = await rt.cancelJob('export_worker', { reason: 'customer withdrew the request' });
    write(`          ${paint.dim(`→ ${cancelled} running run(s) cancelled`)}\n`);

    await until('2027-01-04T07:09:50Z');
    await narrate('07:10: sync_legacy_crm runs against a decommissioned CRM — it will not recover');

    await until('2027-01-04T07:15:00Z');
    await narrate('Stop the runtime (drains running work, clears every timer)', 'await rt.stop()');
  } finally {
    await rt.stop();
    live.off();
    setDefaultClient(undefined);
  }

  const report = await collectReport(rt, live.events, startedAt, new Date(clock.now()));
  writeTables(write, paint, report);
  return report;
}

function writeHeader(write: (t: string) => void, paint: Palette, clock: VirtualClock): void {
  const queues = Object.entries(config.queues).map(([q, n]) => `${q}=${n}`).join(' ');
  write(`${paint.bold('om-scheduler demo')} — app ${paint.bold(config.app)} on the local runtime\n`);
  write(paint.dim(`queues: ${queues} · ${config.jobs.length} jobs · virtual clock from ${new Date(clock.now()).toISOString()} (times below: UTC)\n`));
}

async function writeJobList(write: (t: string) => void, paint: Palette, rt: RuntimeClient): Promise<void> {
  const rows: string[][] = [];
  for (const job of await rt.listJobs()) {
    const status = await rt.status(job.name);
    const schedule = job.cron.length > 0 ? job.cron.join(', ') : job.every ? `every ${job.every.join(' ')}` : 'on demand';
    rows.push([job.name, job.queue, schedule + (job.timezone !== 'UTC' ? ` (${job.timezone})` : ''), fmtDate(status.nextRunAt)]);
  }
  write(`\n${paint.bold('Jobs')}\n${renderTable(['job', 'queue', 'schedule', 'next run'], rows)}`);
}

async function collectReport(rt: RuntimeClient, events: readonly SeenEvent[], startedAt: Date, endedAt: Date): Promise<DemoReport> {
  const statuses: JobStatus[] = [];
  for (const job of await rt.listJobs()) statuses.push(await rt.status(job.name));
  return {
    events,
    statuses,
    queues: await rt.queueStats(),
    deadLetters: await rt.deadLetter.list(),
    deadLetterStats: await rt.deadLetter.stats(),
    startedAt,
    endedAt,
  };
}

/** The closing tables: per job, per queue, dead letters. */
export function writeTables(write: (t: string) => void, paint: Palette, report: Pick<DemoReport, 'statuses' | 'queues' | 'deadLetters' | 'deadLetterStats'>): void {
  const result = (r: string | null): string => {
    if (r === null) return paint.dim('—');
    return r === 'ok' ? paint.green(r) : r === 'cancelled' || r === 'discarded' ? paint.yellow(r) : paint.red(r);
  };
  const jobRows = report.statuses.map((s) => [
    s.name,
    s.state === 'paused' ? paint.yellow(s.state) : s.state,
    String(s.runCount),
    s.errorCount > 0 ? paint.red(String(s.errorCount)) : '0',
    result(s.lastResult),
    fmtDate(s.lastRunAt),
    fmtDate(s.nextRunAt),
  ]);
  write(`\n${paint.bold('Jobs')}\n${renderTable(['job', 'state', 'runs', 'errors', 'last result', 'last run', 'next run'], jobRows)}`);

  const queueRows = Object.entries(report.queues).map(([q, s]) => [q, String(s.concurrency), String(s.running), String(s.pending), s.paused ? paint.yellow('yes') : 'no']);
  write(`\n${paint.bold('Queues')}\n${renderTable(['queue', 'concurrency', 'running', 'pending', 'paused'], queueRows)}`);

  const st = report.deadLetterStats;
  const byJob = Object.entries(st.byJob).map(([j, n]) => `${j}: ${n}`).join(', ') || 'none';
  write(`\n${paint.bold('Dead letters')}  ${paint.dim(`total ${st.total} · by job: ${byJob}`)}\n`);
  if (report.deadLetters.length > 0) {
    const short = (m: string): string => (m.length > 60 ? `${m.slice(0, 59)}…` : m);
    const rows = report.deadLetters.map((e) => [e.id, e.jobName, String(e.attempts), e.errorClass, short(e.error.message)]);
    write(renderTable(['id', 'job', 'attempts', 'error class', 'message'], rows));
  }
  write('\n');
}

function fmtDate(d: Date | null): string {
  if (d === null) return '—';
  const iso = d.toISOString();
  return `${iso.slice(5, 10)} ${iso.slice(11, 19)}`;
}
