/**
 * Turns the runtime's telemetry into a readable, timestamped log — the demo prints nothing about
 * runs that it does not learn from these events, which is also how you would build a dashboard.
 */
import { type Clock, type Telemetry, type TelemetryEventName } from 'om-scheduler';
import type { Palette } from './palette.ts';

/** One telemetry event as the demo saw it (the test asserts on these). */
export interface SeenEvent {
  readonly at: Date;
  readonly event: TelemetryEventName;
  readonly job?: string;
  readonly attempt?: number;
  readonly result?: string;
  readonly detail?: string;
}

export interface LiveLogOptions {
  readonly telemetry: Telemetry;
  readonly clock: Clock;
  readonly paint: Palette;
  readonly write: (text: string) => void;
  /** Jobs that fire often: only their first `quietAfter` runs are printed. @default {} */
  readonly quiet?: Readonly<Record<string, number>>;
}

/** `07:00:04` (UTC) — the demo's clock is virtual, so the date is in the header once. */
export function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** A delay as people say it: `15.6 s`, `2.5 min`. */
export function humanDelay(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/**
 * Subscribes to the events a person watching runs cares about and writes one line per event.
 * Returns the events seen and an `off()` that unsubscribes.
 */
export function attachLiveLog(opts: LiveLogOptions): { readonly events: SeenEvent[]; off(): void } {
  const { telemetry, clock, paint, write } = opts;
  const events: SeenEvent[] = [];
  const shown = new Map<string, number>();
  const noted = new Set<string>();

  const line = (text: string): void => write(`${paint.dim(clockTime(clock.now()))}  ${text}\n`);
  const record = (e: Omit<SeenEvent, 'at'>): void => {
    events.push({ at: new Date(clock.now()), ...e });
  };
  /** Heartbeat-like jobs: print the first few runs, then say once that the rest is counted. */
  const visible = (job: string, attempt: number, counting: boolean): boolean => {
    const limit = opts.quiet?.[job];
    if (limit === undefined || attempt > 1) return true;
    const n = (shown.get(job) ?? 0) + (counting ? 1 : 0);
    if (counting) shown.set(job, n);
    if (n <= limit) return true;
    if (counting && !noted.has(job)) {
      noted.add(job);
      line(paint.dim(`… ${job} keeps running on schedule; its further runs are counted in the final table`));
    }
    return false;
  };
  const name = (job: string): string => paint.bold(job.padEnd(19));

  const offs = [
    telemetry.on('job:start', ({ metadata: m }) => {
      record({ event: 'job:start', job: m.job, attempt: m.attempt });
      if (!visible(m.job, m.attempt, true)) return;
      const why = m.scheduledAt ? `tick ${clockTime(Date.parse(m.scheduledAt))}` : 'on demand';
      line(`${paint.cyan('▶')} ${name(m.job)} ${paint.dim(`attempt ${m.attempt} · ${why} · queue ${m.queue}`)}`);
    }),
    telemetry.on('job:stop', ({ measurements, metadata: m }) => {
      record({ event: 'job:stop', job: m.job, attempt: m.attempt, result: m.result });
      if (!visible(m.job, m.attempt, false)) return;
      const took = paint.dim(`(${humanDelay(measurements.duration)})`);
      switch (m.result) {
        case 'ok':
          return line(`${paint.green('✓')} ${name(m.job)} ${paint.green('ok')} ${took}`);
        case 'retry':
        case 'error':
        case 'timeout':
          return line(`${paint.red('✗')} ${name(m.job)} ${paint.red(m.result)} ${took}`);
        case 'cancelled':
        case 'discarded':
          return line(`${paint.yellow('■')} ${name(m.job)} ${paint.yellow(m.result)} ${took}`);
        default:
          return line(`${paint.dim('?')} ${name(m.job)} ${String(m.result)} ${took}`);
      }
    }),
    telemetry.on('job:exception', ({ metadata: m }) => {
      record({ event: 'job:exception', job: m.job, attempt: m.attempt, detail: m.error.message });
      line(`  ${paint.red('└')} ${paint.red(`${m.errorClass}: ${m.error.message}`)}`);
    }),
    telemetry.on('job:retry', ({ measurements, metadata: m }) => {
      record({ event: 'job:retry', job: m.job, attempt: m.nextAttempt, detail: String(measurements.delay) });
      const at = clockTime(clock.now() + measurements.delay);
      line(`${paint.yellow('↻')} ${name(m.job)} ${paint.yellow(`attempt ${m.nextAttempt} in ${humanDelay(measurements.delay)}`)} ${paint.dim(`(backoff, due ${at})`)}`);
    }),
    telemetry.on('job:skip', ({ metadata: m }) => {
      record({ event: 'job:skip', job: m.job, attempt: m.attempt, detail: m.reason });
      if (m.reason !== 'duplicate') line(`${paint.dim('·')} ${name(m.job)} ${paint.dim(`skipped (${m.reason})`)}`);
    }),
    telemetry.on('deadLetter:insert', ({ measurements, metadata: m }) => {
      record({ event: 'deadLetter:insert', job: m.job, attempt: m.attempts, detail: m.id });
      line(
        `${paint.magenta('☠')} ${name(m.job)} ${paint.magenta(`dead-lettered after ${m.attempts} attempts (${m.errorClass})`)} ${paint.dim(`entry ${m.id} · ${measurements.total} in store`)}`,
      );
    }),
    telemetry.on('deadLetter:retry', ({ metadata: m }) => {
      record({ event: 'deadLetter:retry', job: m.job, detail: m.id });
      line(`${paint.magenta('⟲')} ${name(m.job)} ${paint.magenta('re-enqueued from the dead-letter store')} ${paint.dim(`entry ${m.id}`)}`);
    }),
  ];
  return { events, off: () => offs.forEach((off) => off()) };
}
