/**
 * The testing sandbox: a local runtime on a virtual clock, with a record of everything put on
 * a queue, assertions over that record, and `performJob` to run one attempt directly — through
 * the same core ({@link JobRunner}) as every other run.
 */
import { AssertionError } from 'node:assert';
import { virtualClock, type VirtualClock } from '../adapters/clock.ts';
import { setDefaultClient } from '../config/default-client.ts';
import { resolveJob } from '../config/define-config.ts';
import { isWorkerClass, type WorkerClass } from '../config/worker.ts';
import type { Duration } from '../duration.ts';
import { NotFoundError, OmSchedulerError } from '../errors.ts';
import { enqueueMessage } from '../messages.ts';
import type { RandomSource, Stores } from '../ports.ts';
import { createLocalRuntime, type LocalRuntime } from '../engine/local-runtime.ts';
import type { RunReport } from '../engine/job-runner.ts';
import { silentLogger, type Logger } from '../engine/logger.ts';
import type { HistoryEntry, JobDefinition, ResolvedConfig, ResolvedJob, RunResult, RuntimeClient } from '../types.ts';
import { trackTimers, type TrackedClock } from './tracked-clock.ts';

export interface SandboxOptions {
  /**
   * `manual`: enqueued jobs wait until `drain()` or `advance()`.
   * `inline`: `enqueue`/`runNow` (and `Worker.enqueue`) run the job to completion — retries
   * included, moving the virtual clock through their delays — before they resolve.
   * @default 'manual'
   */
  readonly mode?: 'manual' | 'inline';
  /** @default virtualClock() at the current time */
  readonly clock?: VirtualClock;
  /** Randomness for retry jitter. @default () => 0.5 (no spread: delays are exact) */
  readonly random?: RandomSource;
  readonly stores?: Stores;
  /** @default silentLogger */
  readonly logger?: Logger;
}

/** One message a producer put on a queue (retries of a run are not enqueues and are left out). */
export interface EnqueuedJob {
  readonly job: string;
  readonly queue: string;
  readonly args: unknown;
  readonly runId: string;
  readonly source: 'schedule' | 'enqueue' | 'runNow' | 'deadLetter';
  readonly priority: number;
  readonly delayMs: number;
  readonly enqueuedAt: Date;
  readonly scheduledAt?: Date;
}

/** What `assertEnqueued` / `refuteEnqueued` match on; `args` is matched as a subset. */
export interface EnqueuedMatch {
  readonly worker?: WorkerClass;
  readonly job?: string | JobDefinition<any>;
  readonly args?: unknown;
  readonly queue?: string;
}

/** The outcome of `performJob`: one attempt, as the engine recorded it. */
export interface PerformResult {
  readonly result: RunResult;
  /** What the handler returned (result `ok`). */
  readonly value: unknown;
  /** The failure or cancellation, if any. */
  readonly error: Error | undefined;
  /** The history entry of the attempt. */
  readonly history: HistoryEntry;
  /** When the next attempt is due (it is queued like any retry and runs on `drain()`). */
  readonly nextAttemptAt: Date | undefined;
  readonly report: RunReport;
}

export interface Sandbox {
  readonly mode: 'manual' | 'inline';
  readonly clock: VirtualClock;
  /** The local runtime underneath (full client API: status, history, deadLetter, ...). */
  readonly runtime: LocalRuntime;
  /** Settles once the runtime has started (every async method of the sandbox waits for it). */
  readonly ready: Promise<void>;
  /** The client bound to `Worker.enqueue`: the runtime, with enqueue/runNow following the mode. */
  readonly client: RuntimeClient;
  enqueue: RuntimeClient['enqueue'];
  runNow: RuntimeClient['runNow'];
  /** Runs everything due, retries included (moving the clock through their delays), until idle. */
  drain(): Promise<void>;
  /** Moves the clock forward, firing schedules and running what falls due. */
  advance(duration: Duration): Promise<void>;
  /** Everything enqueued so far, oldest first. */
  enqueued(): EnqueuedJob[];
  clearEnqueued(): void;
  /** Throws an `AssertionError` listing what was enqueued when nothing matches; returns the first match. */
  assertEnqueued(match: EnqueuedMatch): EnqueuedJob;
  /** Throws an `AssertionError` listing the matches when something matches. */
  refuteEnqueued(match: EnqueuedMatch): void;
  /**
   * Runs one attempt of a job now, through the same core as every run (hooks, timeout,
   * outcomes, history, dead letter on a final failure), and returns how it ended. Jobs outside
   * the config may be given as a definition or Worker class. Rejects with the job's error when
   * it fails for good and has `onError: 'raise'`.
   */
  performJob(job: string | JobDefinition<any> | WorkerClass, args?: unknown, opts?: { readonly attempt?: number }): Promise<PerformResult>;
  /** Stops the runtime and unbinds `Worker.enqueue` from it. */
  stop(): Promise<void>;
}

/**
 * @example
 * import { createSandbox } from 'om-scheduler/testing';
 * import config from '../scheduler.config.ts';
 *
 * const sandbox = createSandbox(config, { mode: 'manual' });
 * await ExportWorker.enqueue({ userId: 'u1' });
 * sandbox.assertEnqueued({ worker: ExportWorker, args: { userId: 'u1' } });
 * await sandbox.drain();
 * const { result } = await sandbox.performJob(ExportWorker, { userId: 'u2' });
 * expect(result).toBe('ok');
 */
export function createSandbox(config: ResolvedConfig, opts: SandboxOptions = {}): Sandbox {
  const mode = opts.mode ?? 'manual';
  const clock = opts.clock ?? virtualClock();
  const tracked = trackTimers(clock);
  const runtime = createLocalRuntime(config, {
    clock: tracked,
    random: opts.random ?? (() => 0.5),
    ...(opts.stores ? { stores: opts.stores } : {}),
    logger: opts.logger ?? silentLogger,
    nodeId: 'sandbox',
    bindDefaultClient: false,
  });
  runtime.holdWorkers(mode === 'manual');
  const sandbox = new SandboxImpl(mode, clock, tracked, runtime, runtime.start());
  setDefaultClient(sandbox.client);
  return sandbox;
}

class SandboxImpl implements Sandbox {
  readonly client: RuntimeClient;
  private readonly records: EnqueuedJob[] = [];
  private draining = 0;

  constructor(
    readonly mode: 'manual' | 'inline',
    readonly clock: VirtualClock,
    private readonly tracked: TrackedClock,
    readonly runtime: LocalRuntime,
    readonly ready: Promise<void>,
  ) {
    runtime.onSend((queue, message, sendOpts) => {
      if (message.source === 'retry') return;
      this.records.push({
        job: message.job,
        queue,
        args: message.args ?? {},
        runId: message.runId,
        source: message.source,
        priority: sendOpts.priority ?? message.priority ?? 0,
        delayMs: sendOpts.delayMs ?? 0,
        enqueuedAt: new Date(message.enqueuedAt),
        ...(message.scheduledAt ? { scheduledAt: new Date(message.scheduledAt) } : {}),
      });
    });
    const enqueue: RuntimeClient['enqueue'] = (name, args, o) => this.settleInline(() => runtime.enqueue(name, args, o));
    const runNow: RuntimeClient['runNow'] = (name, args) => this.settleInline(() => runtime.runNow(name, args));
    this.enqueue = enqueue;
    this.runNow = runNow;
    // The runtime, except that enqueues follow the sandbox's mode.
    this.client = new Proxy(runtime, {
      get(target, prop, receiver) {
        if (prop === 'enqueue') return enqueue;
        if (prop === 'runNow') return runNow;
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as Function).bind(target) : value;
      },
    });
  }

  enqueue: RuntimeClient['enqueue'];
  runNow: RuntimeClient['runNow'];

  async drain(): Promise<void> {
    await this.withWorkers(() => this.clock.runUntilIdle());
  }

  async advance(duration: Duration): Promise<void> {
    await this.withWorkers(() => this.clock.advance(duration));
  }

  enqueued(): EnqueuedJob[] {
    return [...this.records];
  }

  clearEnqueued(): void {
    this.records.length = 0;
  }

  assertEnqueued(match: EnqueuedMatch): EnqueuedJob {
    const wanted = this.normalize('assertEnqueued', match);
    const found = this.records.find((r) => matches(r, wanted));
    if (found) return found;
    throw new AssertionError({
      message:
        `assertEnqueued: expected a job matching ${describeMatch(wanted)} to have been enqueued, but none was. ` +
        describeRecords(this.records, 'Enqueued'),
    });
  }

  refuteEnqueued(match: EnqueuedMatch): void {
    const wanted = this.normalize('refuteEnqueued', match);
    const found = this.records.filter((r) => matches(r, wanted));
    if (found.length === 0) return;
    throw new AssertionError({
      message: `refuteEnqueued: expected no job matching ${describeMatch(wanted)} to have been enqueued, but found ${found.length}. ` + describeRecords(found, 'Matching'),
    });
  }

  async performJob(job: string | JobDefinition<any> | WorkerClass, args?: unknown, opts: { readonly attempt?: number } = {}): Promise<PerformResult> {
    await this.ready;
    const resolved = await this.resolve(job);
    const attempt = opts.attempt ?? 1;
    if (!Number.isInteger(attempt) || attempt < 1) {
      throw new OmSchedulerError('INVALID_ARGUMENT', `performJob: \`attempt\` must be an integer of 1 or more, got: ${attempt}`);
    }
    const message = { ...enqueueMessage(resolved.name, args, this.clock.now()), attempt };
    // One attempt only: workers stay held so a scheduled retry waits for drain().
    this.runtime.holdWorkers(true);
    let report: RunReport;
    try {
      report = await this.driveUntil(this.runtime.runner.runAttempt(resolved, message));
    } finally {
      this.runtime.holdWorkers(this.mode === 'manual' && this.draining === 0);
    }
    if (report.raised) throw report.raised;
    return {
      result: report.result!,
      value: report.value,
      error: report.error,
      history: report.history!,
      nextAttemptAt: report.nextAttemptAt,
      report,
    };
  }

  async stop(): Promise<void> {
    await this.ready;
    this.runtime.holdWorkers(false);
    await this.runtime.stop();
    setDefaultClient(undefined);
  }

  // ---- internals

  private async settleInline<T>(call: () => Promise<T>): Promise<T> {
    await this.ready;
    const result = await call();
    // Nested enqueues (from a handler during a drain) just queue: the outer drain runs them.
    if (this.mode === 'inline' && this.draining === 0) await this.drain();
    return result;
  }

  private async withWorkers(fn: () => Promise<void>): Promise<void> {
    await this.ready;
    this.draining++;
    this.runtime.holdWorkers(false);
    try {
      await fn();
    } finally {
      this.draining--;
      this.runtime.holdWorkers(this.mode === 'manual' && this.draining === 0);
    }
  }

  /** Moves the virtual clock from timer to timer until `work` settles (timeouts, sleeps). */
  private async driveUntil<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const result = work.finally(() => (done = true));
    while (!done) {
      await this.clock.settle();
      if (done) break;
      const next = this.tracked.nextDueAt();
      if (next === undefined) {
        // Waiting on something outside the clock (real I/O): yield to the event loop.
        await new Promise<void>((resolve) => setImmediate(resolve));
      } else {
        await this.clock.advanceTo(Math.max(next, this.clock.now()));
      }
    }
    return result;
  }

  private async resolve(job: string | JobDefinition<any> | WorkerClass): Promise<ResolvedJob> {
    const name = jobNameOf(job);
    const found = await this.runtime.jobs.get(name);
    if (found) return found.job;
    if (typeof job === 'string') {
      const names = (await this.runtime.jobs.list()).map((j) => j.job.name);
      throw new NotFoundError('job', name, names.length ? `known jobs: ${names.join(', ')}` : 'no jobs are defined');
    }
    // A job outside the config: resolved (and validated) against the config's queues.
    return resolveJob(job as JobDefinition<any>, this.runtime.config, 'runtime');
  }

  private normalize(fn: string, match: EnqueuedMatch): NormalizedMatch {
    const job = match.worker ? jobNameOf(match.worker) : match.job !== undefined ? jobNameOf(match.job) : undefined;
    if (job !== undefined) {
      const known = new Set([...this.runtime.config.jobs.map((j) => j.name), ...this.records.map((r) => r.job)]);
      if (!known.has(job)) {
        throw new NotFoundError('job', job, `${fn} names a job that is neither in the config nor ever enqueued; known jobs: ${[...known].join(', ') || '(none)'}`);
      }
    }
    if (match.queue !== undefined && !Object.hasOwn(this.runtime.config.queues, match.queue)) {
      throw new NotFoundError('queue', match.queue, `known queues: ${Object.keys(this.runtime.config.queues).join(', ')}`);
    }
    return {
      ...(job !== undefined ? { job } : {}),
      ...(match.queue !== undefined ? { queue: match.queue } : {}),
      ...('args' in match ? { args: match.args } : {}),
    };
  }
}

interface NormalizedMatch {
  readonly job?: string;
  readonly queue?: string;
  readonly args?: unknown;
}

function jobNameOf(job: string | JobDefinition<any> | WorkerClass): string {
  if (typeof job === 'string') return job;
  if (isWorkerClass(job)) return job.jobName;
  return (job as JobDefinition<any>).name;
}

function matches(record: EnqueuedJob, wanted: NormalizedMatch): boolean {
  return (
    (wanted.job === undefined || record.job === wanted.job) &&
    (wanted.queue === undefined || record.queue === wanted.queue) &&
    (!('args' in wanted) || isSubset(wanted.args, record.args))
  );
}

/**
 * `expected` is contained in `actual`: objects by their given keys, arrays element-wise (same
 * length), dates by time, the rest by value — how `assertEnqueued` matches `args`.
 *
 * @example
 * isSubset({ to: 'a' }, { to: 'a', locale: 'fr' }); // true
 * isSubset({ ids: [1] }, { ids: [1, 2] });          // false: arrays match whole
 */
export function isSubset(expected: unknown, actual: unknown): boolean {
  if (Object.is(expected, actual)) return true;
  if (expected instanceof Date) return actual instanceof Date && expected.getTime() === actual.getTime();
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => isSubset(e, actual[i]));
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null) return false;
    return Object.entries(expected).every(([k, v]) => isSubset(v, (actual as Record<string, unknown>)[k]));
  }
  return false;
}

function describeMatch(m: NormalizedMatch): string {
  return JSON.stringify(m);
}

function describeRecords(records: readonly EnqueuedJob[], label: string): string {
  if (records.length === 0) return 'Nothing was enqueued.';
  const lines = records.map((r) => `  - ${r.job} on "${r.queue}" with ${JSON.stringify(r.args)} (${r.source}${r.delayMs ? `, delay ${r.delayMs} ms` : ''})`);
  return `${label} (${records.length}):\n${lines.join('\n')}`;
}
