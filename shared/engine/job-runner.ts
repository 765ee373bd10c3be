/**
 * The job-run state machine: one queue message in, one finished attempt out. Both engines
 * call this — the local runtime from its in-process worker pool, the AWS worker Lambda from
 * its SQS handler — with their own adapters of the same ports. Nothing here knows where it runs.
 *
 * What one `process(body)` does, in order:
 * 1. Parse the message. Malformed → a dead-letter entry (`errorClass: 'InvalidMessageError'`).
 * 2. Resolve the job. Unknown → a dead-letter entry (`errorClass: 'UnknownJob'`).
 * 3. A schedule tick of a paused job is skipped (`job:skip`, reason `paused`; no history).
 * 4. A tick of a sub-minute `every` job is fanned out into one delayed tick per offset.
 * 5. Claim `run:<runId>:<attempt>` (plus `:<nodeId>` when `global: false`). Already claimed →
 *    a duplicate delivery: `job:skip` (reason `duplicate`), nothing else.
 * 6. `unique`: take `unique:<job>`; held by another run → history `discarded` with
 *    `error.type: 'UniqueConflict'` (and `job:skip`, reason `uniqueConflict`).
 * 7. Run: `onStart`, the handler raced against its abort signal (timeout / cancel), then
 *    exactly one of `onSuccess` / `onCancel` / `onFailure` (final failure only).
 * 8. Record history + counters, schedule the next attempt or dead-letter the final failure,
 *    apply `onError`.
 *
 * Decisions (both engines behave the same):
 * - Pausing a job stops its schedule ticks only. Explicit requests — `runNow`, `enqueue`, a
 *   dead-letter retry — and further attempts of runs already started still run: the user asked.
 * - `global: true` (default): the claim key is shared by every runtime on the same stores, so
 *   a tick runs once in the deployment. `global: false`: the node id is part of the key, so
 *   each runtime runs its own tick (e.g. per-node cache warmers).
 * - A timed-out attempt is recorded as `timeout` even when it is retried (`nextAttemptAt` set),
 *   so timeouts stay visible; a retried throw/`fail` is recorded as `retry`.
 * - `unique`: a run is all its attempts. The lock is held from the first attempt until the run
 *   is over (including the wait before a retry), or until startedAt + `uniquePeriod` when that
 *   is later; the run's own later attempts pass it, any other run is skipped as `discarded`.
 * - Hook errors are logged (`logger.error`) and never change the run's result.
 * - `onError: 'raise'`: the final error is set on `report.raised` and handed to `onRaise`
 *   (the local runtime's `onError` listeners; the sandbox's `performJob` rejects with it).
 * - A duplicate delivery arriving while the first is still running is dropped: if that first
 *   worker crashes, its own message comes back after the visibility timeout (≥ the claim's
 *   expiry of timeout + 1 min) and runs then.
 *
 * The returned {@link RunReport} says what happened; its `disposition` tells the engine what
 * to do with the delivery (`ack`: delete it; `redeliver`: a store or queue failed before the
 * run finished recording — leave the message for redelivery).
 */
import {
  JobCancelledError,
  JobFailedError,
  JobTimeoutError,
  NotFoundError,
  OmSchedulerError,
} from '../errors.ts';
import { newRunId, parseRunMessage, retryMessage, tickMessage } from '../messages.ts';
import { isOutcome } from '../outcomes.ts';
import type { Clock, QueuePort, RandomSource, RunMessage, SchedulerPort, Stores, TimerHandle } from '../ports.ts';
import type { Telemetry, TelemetryEvents } from '../telemetry.ts';
import type { DeadLetterEntry, HistoryEntry, JobContext, JobInfo, ResolvedConfig, ResolvedJob, RunResult } from '../types.ts';
import { insertDeadLetter } from './dead-letters.ts';
import { toJobInfo } from './job-info.ts';
import type { JobRegistry } from './job-registry.ts';
import { consoleLogger, type Logger } from './logger.ts';
import { hasAttemptsLeft, retryDelay } from './retry-policy.ts';

/**
 * Time a worker keeps back from its own deadline (a Lambda's timeout) to record an attempt
 * that ran into it. The CDK app adds it (rounded up, plus a margin) to the function timeout.
 */
export const RECORDING_RESERVE_MS = 3_000;

/** SQS caps DelaySeconds at 900: longer delays go through a one-time schedule. */
export const MAX_QUEUE_DELAY_MS = 15 * 60_000;
/**
 * A claim or unique lock outlives the attempt's timeout by this much, so a crashed worker's
 * claim expires and the redelivered message (after the visibility timeout) runs again.
 */
export const LOCK_MARGIN_MS = 60_000;
/** How long a finished attempt's claim is kept: SQS's longest retention, so a late duplicate still finds it. */
export const CLAIM_RETENTION_MS = 14 * 86_400_000;

/** What the runner needs from the world. */
export interface JobRunnerPorts {
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly stores: Stores;
  readonly queue: QueuePort;
  readonly scheduler: SchedulerPort;
  readonly telemetry: Telemetry;
  readonly jobs: JobRegistry;
  readonly deadLetter: ResolvedConfig['deadLetter'];
  /** Identifies this runtime/worker; part of the claim key of `global: false` jobs. */
  readonly nodeId: string;
  /** @default consoleLogger */
  readonly logger?: Logger;
  /**
   * How often a running attempt checks the run registry for a cancel request made by another
   * process (the AWS worker). Local cancels abort directly. @default undefined (no polling)
   */
  readonly cancelPollMs?: number;
  /**
   * How long a finished attempt's claim is kept, so a late duplicate delivery still finds it.
   * @default CLAIM_RETENTION_MS (14 days, SQS's longest retention)
   */
  readonly claimRetentionMs?: number;
  /** Called when a job with `onError: 'raise'` fails for good (besides `report.raised`). */
  readonly onRaise?: (error: Error, report: RunReport) => void;
  /** Called when `onError: 'stop'` paused a job, so the engine can stop its schedules. */
  readonly onPauseJob?: (job: string) => Promise<void>;
}

export interface ProcessOptions {
  /** The queue the message came from. */
  readonly queue: string;
  /** How long the message was visible before it was taken (reported as `queue:pop`). */
  readonly waitTimeMs?: number;
  /**
   * Epoch ms by which the attempt must be over, leaving time to record it — the worker Lambda
   * passes its remaining time minus a reserve. The job's own timeout applies when earlier.
   */
  readonly deadlineMs?: number;
}

/** What happened to one delivery. */
export type RunStatus =
  /** An attempt ran (whatever its result). */
  | 'ran'
  /** The attempt was already claimed by another delivery. */
  | 'duplicate'
  /** A tick of a paused job. */
  | 'paused'
  /** A sub-minute tick became one delayed tick per offset. */
  | 'fannedOut'
  /** `unique` and another run holds the lock: recorded as `discarded`. */
  | 'uniqueConflict'
  /** Malformed message: dead-lettered. */
  | 'invalid'
  /** The message names no known job: dead-lettered. */
  | 'unknownJob'
  /** A store or the queue failed; the message should be delivered again. */
  | 'infrastructureError';

export interface RunReport {
  readonly status: RunStatus;
  /** `ack`: delete the message; `redeliver`: leave it (AWS: report a batch item failure). */
  readonly disposition: 'ack' | 'redeliver';
  readonly jobName?: string;
  readonly runId?: string;
  readonly attempt?: number;
  /** The attempt's history result (status `ran` or `uniqueConflict`). */
  readonly result?: RunResult;
  /** What the handler returned (result `ok`). */
  readonly value?: unknown;
  /** The failure, cancellation or infrastructure error. */
  readonly error?: Error;
  readonly history?: HistoryEntry;
  /** When another attempt was scheduled. */
  readonly nextAttemptAt?: Date;
  readonly deadLetter?: DeadLetterEntry;
  /** Set when the run failed for good and the job has `onError: 'raise'`. */
  readonly raised?: Error;
}

/** How the handler's attempt ended, before policy is applied. */
type Verdict =
  | { readonly kind: 'ok'; readonly value: unknown }
  | { readonly kind: 'retry'; readonly delayMs: number }
  | { readonly kind: 'cancelled'; readonly error: JobCancelledError }
  | { readonly kind: 'discarded'; readonly reason: string }
  | { readonly kind: 'failed'; readonly error: Error; readonly timedOut: boolean };

type Settled = { readonly kind: 'returned'; readonly value: unknown } | { readonly kind: 'threw'; readonly error: unknown } | { readonly kind: 'aborted'; readonly reason: unknown };

interface ActiveRun {
  readonly jobName: string;
  readonly controller: AbortController;
}

type JobMeta = TelemetryEvents['job:start']['metadata'];

/**
 * @example
 * const runner = new JobRunner({ clock, random: Math.random, stores, queue, scheduler, telemetry, jobs, deadLetter: config.deadLetter, nodeId: 'local' });
 * const [received] = await queue.receive('default', 1, 900_000);
 * const report = await runner.process(received.message, { queue: 'default' });
 * if (report.disposition === 'ack') await queue.ack('default', received.receipt);
 */
export class JobRunner {
  private readonly ports: JobRunnerPorts;
  private readonly logger: Logger;
  private readonly active = new Map<string, ActiveRun>();

  constructor(ports: JobRunnerPorts) {
    this.ports = ports;
    this.logger = ports.logger ?? consoleLogger;
  }

  /**
   * Handles one delivery end to end. Never rejects: failures of the ports become `redeliver`.
   * `waitTimeMs` (how long the message was visible before it was taken) is reported as
   * `queue:pop` when given.
   */
  async process(body: unknown, opts: ProcessOptions): Promise<RunReport> {
    let message: RunMessage;
    try {
      message = parseRunMessage(body);
    } catch (error) {
      return this.guard(() => this.deadLetterUndeliverable(body, opts.queue, asError(error), 'InvalidMessageError'), 'invalid');
    }
    if (opts.waitTimeMs !== undefined) {
      this.ports.telemetry.emit('queue:pop', {
        measurements: { waitTime: Math.max(0, opts.waitTimeMs) },
        metadata: { queue: opts.queue, job: message.job, runId: message.runId },
      });
    }
    return this.guard(async () => {
      const found = await this.ports.jobs.get(message.job);
      if (!found) {
        const known = (await this.ports.jobs.list()).map((j) => j.job.name);
        const error = new NotFoundError('job', message.job, known.length ? `known jobs: ${known.join(', ')}` : 'no jobs are defined');
        return this.deadLetterUndeliverable(message, opts.queue, error, 'UnknownJob');
      }
      const { job, paused } = found;
      if (message.source === 'schedule' && paused) {
        this.emitSkip(job, message, 'paused');
        this.logger.debug(`skipped tick of paused job "${job.name}"`, { runId: message.runId });
        return { status: 'paused', disposition: 'ack', jobName: job.name, runId: message.runId, attempt: message.attempt };
      }
      if (message.source === 'schedule' && !message.fannedOut) {
        const fanOut = job.schedules.find((s) => s.fanOutDelaysSeconds && s.fanOutDelaysSeconds.length > 0)?.fanOutDelaysSeconds;
        if (fanOut) return this.fanOut(job, message, fanOut);
      }
      return this.runAttempt(job, message, opts.deadlineMs);
    }, 'infrastructureError');
  }

  /**
   * Runs one attempt of `job` for `message` (claim, unique, handler, policy). `process` calls
   * it after resolving the job; test helpers call it to perform a job directly.
   */
  async runAttempt(job: ResolvedJob, message: RunMessage, deadlineMs?: number): Promise<RunReport> {
    const { clock, stores } = this.ports;
    const now = clock.now();
    const claim = {
      key: `run:${message.runId}:${message.attempt}${job.global ? '' : `:${this.ports.nodeId}`}`,
      owner: `${this.ports.nodeId}/${message.runId}/${message.attempt}`,
    };
    const base = { jobName: job.name, runId: message.runId, attempt: message.attempt } as const;
    const expiresAtMs = now + job.timeoutMs + LOCK_MARGIN_MS;
    const running = {
      runId: message.runId,
      jobName: job.name,
      queue: job.queue,
      attempt: message.attempt,
      startedAtMs: now,
      ...(message.scheduledAt ? { scheduledAtMs: Date.parse(message.scheduledAt) } : {}),
      expiresAtMs,
    };
    // One store call: claim the attempt and register it as running.
    if (!(await stores.ledger.begin({ ...claim, nowMs: now, expiresAtMs }, running))) {
      this.emitSkip(job, message, 'duplicate');
      return { status: 'duplicate', disposition: 'ack', ...base };
    }
    const uniqueKey = `unique:${job.name}`;
    let holdsUnique = false;
    try {
      const unique = job.unique ? await this.acquireUnique(job, message.runId, now) : { ok: true as const };
      holdsUnique = job.unique && unique.ok;
      const report = unique.ok ? await this.execute(job, message, deadlineMs) : this.uniqueConflict(job, message, unique.owner);
      // One store call: history, counters, claim retention, run finished, unique lock.
      await stores.ledger.finish({
        claim: { ...claim, retainUntilMs: clock.now() + (this.ports.claimRetentionMs ?? CLAIM_RETENTION_MS) },
        runId: message.runId,
        history: report.history!,
        record: { atMs: report.history!.startedAt.getTime(), result: report.history!.result, ...(report.history!.error ? { error: report.history!.error } : {}) },
        ...(holdsUnique ? { unique: { key: uniqueKey, owner: message.runId, untilMs: this.uniqueHoldUntil(job, now, report.nextAttemptAt) } } : {}),
      });
      if (report.status === 'uniqueConflict') this.emitSkip(job, message, 'uniqueConflict');
      else {
        this.ports.telemetry.emit('job:stop', {
          measurements: { duration: report.history!.durationMs },
          metadata: { ...jobMeta(job, message), result: report.result! },
        });
      }
      if (report.raised) this.raise(report.raised, report);
      return report;
    } catch (error) {
      // A port failed mid-run: give the claim (and unique lock) up so the redelivery runs again.
      await stores.ledger.abandon(claim, message.runId, holdsUnique ? { key: uniqueKey, owner: message.runId } : undefined).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Puts `message` on `queue` after `delayMs`, the way every producer must: through the queue
   * up to SQS's 15 minutes, through a one-time schedule beyond. Emits `queue:push`.
   */
  async send(message: RunMessage, opts: { readonly queue: string; readonly delayMs?: number; readonly priority?: number }): Promise<void> {
    const delayMs = Math.max(0, Math.round(opts.delayMs ?? 0));
    const priority = opts.priority ?? message.priority ?? 0;
    // Emitted first: a local worker may take the message synchronously inside `send`.
    this.ports.telemetry.emit('queue:push', {
      measurements: { delay: delayMs },
      metadata: { queue: opts.queue, job: message.job, runId: message.runId, priority },
    });
    if (delayMs > MAX_QUEUE_DELAY_MS) {
      await this.ports.scheduler.scheduleOnce(opts.queue, message, this.ports.clock.now() + delayMs);
    } else {
      await this.ports.queue.send(opts.queue, message, { ...(delayMs > 0 ? { delayMs } : {}), priority });
    }
  }

  /**
   * Aborts an attempt running in this process with a {@link JobCancelledError}.
   * Returns whether such a run was found.
   */
  cancelLocal(runId: string, reason: string): boolean {
    const run = this.active.get(runId);
    if (!run || run.controller.signal.aborted) return false;
    run.controller.abort(new JobCancelledError(run.jobName, reason));
    return true;
  }

  /** How many attempts are running in this process. */
  get activeCount(): number {
    return this.active.size;
  }

  // ------------------------------------------------------------------ steps

  private async guard(fn: () => Promise<RunReport>, status: RunStatus): Promise<RunReport> {
    try {
      return await fn();
    } catch (error) {
      const err = asError(error);
      this.logger.error(`could not process a message: ${err.message}`, { error: err });
      return { status, disposition: 'redeliver', error: err };
    }
  }

  private async deadLetterUndeliverable(
    body: unknown,
    queue: string,
    error: Error,
    errorClass: 'InvalidMessageError' | 'UnknownJob',
  ): Promise<RunReport> {
    const status: RunStatus = errorClass === 'UnknownJob' ? 'unknownJob' : 'invalid';
    const raw = (typeof body === 'object' && body !== null ? body : {}) as Partial<RunMessage>;
    const jobName = typeof raw.job === 'string' && raw.job ? raw.job : '(unknown)';
    this.logger.warn(`dead-lettered an undeliverable message on queue "${queue}": ${error.message}`);
    if (!this.ports.deadLetter.enabled) return { status, disposition: 'ack', jobName, error };
    const now = new Date(this.ports.clock.now());
    const entry: DeadLetterEntry = {
      id: newRunId(),
      jobName,
      queue,
      args: raw.args ?? (typeof body === 'string' ? { body } : (body ?? null)),
      error: { type: errorClass === 'UnknownJob' ? 'UnknownJob' : error.name, message: error.message },
      errorClass,
      attempts: typeof raw.attempt === 'number' ? raw.attempt : 0,
      firstFailedAt: now,
      lastFailedAt: now,
      stacktrace: error.stack ?? null,
      ...(typeof raw.runId === 'string' ? { runId: raw.runId } : {}),
    };
    await insertDeadLetter({ ...this.ports, logger: this.logger }, entry);
    return { status, disposition: 'ack', jobName, error, deadLetter: entry };
  }

  private async fanOut(job: ResolvedJob, message: RunMessage, delaysSeconds: readonly number[]): Promise<RunReport> {
    const now = this.ports.clock.now();
    const tick = Date.parse(message.scheduledAt ?? message.enqueuedAt);
    for (const d of delaysSeconds) {
      const at = tick + d * 1000;
      // Measured from the tick, not from now: a late delivery still lands on the intended instants.
      await this.send({ ...tickMessage(job.name, at, now), fannedOut: true }, { queue: job.queue, delayMs: at - now, priority: job.priority });
    }
    return { status: 'fannedOut', disposition: 'ack', jobName: job.name, runId: message.runId, attempt: message.attempt };
  }

  private async acquireUnique(job: ResolvedJob, runId: string, now: number): Promise<{ ok: true } | { ok: false; owner: string }> {
    const key = `unique:${job.name}`;
    const runningUntil = now + job.timeoutMs + LOCK_MARGIN_MS;
    const expires = job.uniquePeriodMs !== undefined ? Math.max(now + job.uniquePeriodMs, runningUntil) : runningUntil;
    if (await this.ports.stores.locks.acquire(key, runId, now, expires)) return { ok: true };
    let held = await this.ports.stores.locks.get(key, now);
    // Released (or expired) between the two calls: nobody holds it now, so try once more.
    if (!held) {
      if (await this.ports.stores.locks.acquire(key, runId, now, expires)) return { ok: true };
      held = await this.ports.stores.locks.get(key, now);
    }
    // A later attempt of the run that holds the lock (within uniquePeriod) is not an overlap.
    if (held?.owner === runId) {
      await this.ports.stores.locks.extend(key, runId, Math.max(held.expiresAtMs, expires));
      return { ok: true };
    }
    return { ok: false, owner: held?.owner ?? 'another run' };
  }

  /**
   * After an attempt: a run with another attempt ahead keeps the lock until that attempt can
   * have finished (a run is all its attempts); otherwise the lock goes (`null`), or stays until
   * the end of `uniquePeriod`.
   */
  private uniqueHoldUntil(job: ResolvedJob, startedAtMs: number, nextAttemptAt: Date | undefined): number | null {
    const periodEnd = job.uniquePeriodMs !== undefined ? startedAtMs + job.uniquePeriodMs : 0;
    const nextEnd = nextAttemptAt ? nextAttemptAt.getTime() + job.timeoutMs + LOCK_MARGIN_MS : 0;
    const until = Math.max(periodEnd, nextEnd);
    return until > this.ports.clock.now() ? until : null;
  }

  private uniqueConflict(job: ResolvedJob, message: RunMessage, owner: string): RunReport {
    const at = new Date(this.ports.clock.now());
    const error = { type: 'UniqueConflict', message: `job "${job.name}" is unique and run ${owner} holds its lock; this run was skipped` };
    const entry: HistoryEntry = {
      runId: message.runId,
      jobName: job.name,
      attempt: message.attempt,
      ...(message.scheduledAt ? { scheduledAt: new Date(message.scheduledAt) } : {}),
      startedAt: at,
      finishedAt: at,
      durationMs: 0,
      result: 'discarded',
      error,
      queue: job.queue,
    };
    const err = new OmSchedulerError('UNIQUE_CONFLICT', error.message);
    return { status: 'uniqueConflict', disposition: 'ack', jobName: job.name, runId: message.runId, attempt: message.attempt, result: 'discarded', error: err, history: entry };
  }

  /** The attempt itself: registry, telemetry, hooks, handler, then policy. */
  private async execute(job: ResolvedJob, message: RunMessage, deadlineMs: number | undefined): Promise<RunReport> {
    const { clock, telemetry } = this.ports;
    const info = toJobInfo(job);
    const startedAtMs = clock.now();
    const meta = jobMeta(job, message);
    const scheduledAt = message.scheduledAt ? new Date(message.scheduledAt) : undefined;
    telemetry.emit('job:start', { measurements: { systemTime: startedAtMs }, metadata: meta });

    const controller = new AbortController();
    this.active.set(message.runId, { jobName: job.name, controller });
    // The job's timeout, or earlier when the process must stop sooner (a Lambda's own deadline):
    // the attempt then ends as `timeout` and is still recorded and retried.
    const abortAt = deadlineMs === undefined ? startedAtMs + job.timeoutMs : Math.min(startedAtMs + job.timeoutMs, deadlineMs);
    const timeoutTimer = clock.setTimer(abortAt, () => controller.abort(new JobTimeoutError(job.name, abortAt - startedAtMs)));
    const pollTimer = this.pollCancel(message.runId, controller, job.name);
    const ctx: JobContext = {
      job: info,
      args: message.args ?? {},
      attempt: message.attempt,
      runId: message.runId,
      ...(scheduledAt ? { scheduledAt } : {}),
      signal: controller.signal,
    };

    let settled: Settled;
    try {
      // onStart is part of the attempt: the timeout and a cancel cover it too.
      settled = await raceHandler(async () => {
        await this.hook(job, 'onStart', () => job.hooks.onStart?.(info, ctx));
        return controller.signal.aborted ? undefined : job.handler(ctx);
      }, controller.signal);
    } finally {
      clock.clearTimer(timeoutTimer);
      pollTimer.stop();
      this.active.delete(message.runId);
    }
    const finishedAtMs = clock.now();
    const verdict = this.judge(job, message, settled);

    return this.apply(job, message, verdict, { info, ctx, startedAtMs, finishedAtMs, meta, deadlineMs });
  }

  /** Turns the handler's settlement into a verdict (outcomes, aborts, thrown values). */
  private judge(job: ResolvedJob, message: RunMessage, settled: Settled): Verdict {
    switch (settled.kind) {
      case 'aborted': {
        const reason = settled.reason;
        if (reason instanceof JobCancelledError) return { kind: 'cancelled', error: reason };
        if (reason instanceof JobTimeoutError) return { kind: 'failed', error: reason, timedOut: true };
        return { kind: 'failed', error: asError(reason), timedOut: false };
      }
      case 'threw':
        return { kind: 'failed', error: asError(settled.error), timedOut: false };
      case 'returned': {
        const value = settled.value;
        if (!isOutcome(value)) return { kind: 'ok', value };
        switch (value.kind) {
          case 'retry':
            if (hasAttemptsLeft(job, message.attempt)) return { kind: 'retry', delayMs: value.delayMs };
            return {
              kind: 'failed',
              error: new JobFailedError(`job "${job.name}" asked to retry after attempt ${message.attempt}, but its ${job.maxRetries} retries are used up`),
              timedOut: false,
            };
          case 'cancel':
            return { kind: 'cancelled', error: new JobCancelledError(job.name, value.reason) };
          case 'discard':
            return { kind: 'discarded', reason: value.reason };
          case 'fail':
            return { kind: 'failed', error: new JobFailedError(value.reason), timedOut: false };
          default: {
            const never: never = value;
            return { kind: 'ok', value: never };
          }
        }
      }
      default: {
        const never: never = settled;
        return never;
      }
    }
  }

  /** Applies the job's policy to a verdict: hooks, history, next attempt, dead letter, onError. */
  private async apply(
    job: ResolvedJob,
    message: RunMessage,
    verdict: Verdict,
    run: { info: JobInfo; ctx: JobContext; startedAtMs: number; finishedAtMs: number; meta: JobMeta; deadlineMs: number | undefined },
  ): Promise<RunReport> {
    const { info, ctx } = run;
    const base = { status: 'ran' as const, disposition: 'ack' as const, jobName: job.name, runId: message.runId, attempt: message.attempt };
    switch (verdict.kind) {
      case 'ok': {
        await this.hook(job, 'onSuccess', () => job.hooks.onSuccess?.(info, verdict.value, ctx), run.deadlineMs);
        const history = this.record(job, message, run, 'ok');
        return { ...base, result: 'ok', value: verdict.value, history };
      }
      case 'cancelled': {
        await this.hook(job, 'onCancel', () => job.hooks.onCancel?.(info, verdict.error.reason, ctx), run.deadlineMs);
        const history = this.record(job, message, run, 'cancelled', { error: errorShape(verdict.error) });
        return { ...base, result: 'cancelled', error: verdict.error, history };
      }
      case 'discarded': {
        const history = this.record(job, message, run, 'discarded', { error: { type: 'Discarded', message: verdict.reason } });
        return { ...base, result: 'discarded', history };
      }
      case 'retry': {
        const nextAttemptAt = await this.scheduleNextAttempt(job, message, verdict.delayMs, run.meta, null);
        const history = this.record(job, message, run, 'retry', { nextAttemptAt });
        return { ...base, result: 'retry', history, nextAttemptAt };
      }
      case 'failed': {
        const { error, timedOut } = verdict;
        this.ports.telemetry.emit('job:exception', {
          measurements: { duration: run.finishedAtMs - run.startedAtMs },
          metadata: { ...run.meta, kind: timedOut ? 'timeout' : 'error', error, errorClass: error.name, stacktrace: error.stack ?? null },
        });
        if (hasAttemptsLeft(job, message.attempt)) {
          const delay = retryDelay(job, message.attempt, this.ports.random);
          const nextAttemptAt = await this.scheduleNextAttempt(job, message, delay, run.meta, error);
          // A timed-out attempt stays visible as `timeout` even when it is retried.
          const history = this.record(job, message, run, timedOut ? 'timeout' : 'retry', { error: errorShape(error), nextAttemptAt });
          return { ...base, result: history.result, error, history, nextAttemptAt };
        }
        await this.hook(job, 'onFailure', () => job.hooks.onFailure?.(info, error, ctx), run.deadlineMs);
        const history = this.record(job, message, run, timedOut ? 'timeout' : 'error', { error: errorShape(error) });
        const deadLetter = await this.deadLetterFailure(job, message, error);
        if (job.onError === 'stop') await this.pauseAfterFailure(job);
        return {
          ...base,
          result: history.result,
          error,
          history,
          ...(deadLetter ? { deadLetter } : {}),
          ...(job.onError === 'raise' ? { raised: error } : {}),
        };
      }
      default: {
        const never: never = verdict;
        return never;
      }
    }
  }

  /** The attempt's history entry; `runAttempt` stores it with the attempt's final write. */
  private record(
    job: ResolvedJob,
    message: RunMessage,
    run: { startedAtMs: number; finishedAtMs: number },
    result: RunResult,
    extra: { error?: { type: string; message: string }; nextAttemptAt?: Date } = {},
  ): HistoryEntry {
    return {
      runId: message.runId,
      jobName: job.name,
      attempt: message.attempt,
      ...(message.scheduledAt ? { scheduledAt: new Date(message.scheduledAt) } : {}),
      startedAt: new Date(run.startedAtMs),
      finishedAt: new Date(run.finishedAtMs),
      durationMs: run.finishedAtMs - run.startedAtMs,
      result,
      ...(extra.error ? { error: extra.error } : {}),
      queue: job.queue,
      ...(extra.nextAttemptAt ? { nextAttemptAt: extra.nextAttemptAt } : {}),
    };
  }

  private async scheduleNextAttempt(job: ResolvedJob, message: RunMessage, delayMs: number, meta: JobMeta, error: Error | null): Promise<Date> {
    const now = this.ports.clock.now();
    const next = retryMessage(message, now);
    await this.send(next, { queue: job.queue, delayMs, priority: message.priority ?? job.priority });
    this.ports.telemetry.emit('job:retry', {
      measurements: { delay: delayMs },
      metadata: { ...meta, nextAttempt: next.attempt, error: error ? error.message : null },
    });
    return new Date(now + delayMs);
  }

  private async deadLetterFailure(job: ResolvedJob, message: RunMessage, error: Error): Promise<DeadLetterEntry | undefined> {
    if (!this.ports.deadLetter.enabled || !job.deadLetter) return undefined;
    const now = this.ports.clock.now();
    const entry: DeadLetterEntry = {
      id: newRunId(),
      jobName: job.name,
      queue: job.queue,
      args: message.args ?? {},
      error: errorShape(error),
      errorClass: error.name,
      attempts: message.attempt,
      firstFailedAt: new Date(message.firstFailedAt ?? now),
      lastFailedAt: new Date(now),
      stacktrace: error.stack ?? null,
      runId: message.runId,
      ...(message.scheduledAt ? { scheduledAt: new Date(message.scheduledAt) } : {}),
    };
    await insertDeadLetter({ ...this.ports, logger: this.logger }, entry);
    return entry;
  }

  /** `onError: 'stop'`: pause the job in the shared state store and stop its schedules. */
  private async pauseAfterFailure(job: ResolvedJob): Promise<void> {
    const { jobState } = this.ports.stores;
    const record = await jobState.get(job.name);
    await jobState.put({ ...(record ?? { name: job.name }), paused: true, updatedAtMs: this.ports.clock.now() });
    try {
      if (this.ports.onPauseJob) await this.ports.onPauseJob(job.name);
      else await this.ports.scheduler.setEnabled(job.name, false);
    } catch (error) {
      this.logger.warn(`job "${job.name}" paused after its final failure, but its schedules could not be disabled`, { error });
    }
    this.logger.warn(`job "${job.name}" paused after its final failure (onError: 'stop')`);
  }

  private raise(error: Error, report: RunReport): void {
    try {
      this.ports.onRaise?.(error, report);
    } catch (e) {
      this.logger.error('onRaise listener threw', { error: e });
    }
  }

  /**
   * Runs a hook; its errors are logged and never change the run's result. A hook that does
   * not settle within the job's timeout is left behind (logged) so the run can finish.
   */
  private async hook(job: ResolvedJob, name: string, fn: () => unknown, deadlineMs?: number): Promise<void> {
    const { clock } = this.ports;
    let timer: TimerHandle | undefined;
    // At most the job's timeout, and never past the process deadline: the attempt must still be recorded.
    const giveUpAt = Math.min(clock.now() + job.timeoutMs, deadlineMs ?? Number.POSITIVE_INFINITY);
    const limit = new Promise<'late'>((resolve) => (timer = clock.setTimer(giveUpAt, () => resolve('late'))));
    try {
      const outcome = await Promise.race([Promise.resolve().then(fn).then(() => 'done' as const), limit]);
      if (outcome === 'late') this.logger.error(`job "${job.name}": ${name} hook did not settle in time (${job.timeoutMs} ms or the process deadline); the run went on without it`);
    } catch (error) {
      this.logger.error(`job "${job.name}": ${name} hook threw: ${asError(error).message}`, { error });
    } finally {
      if (timer) clock.clearTimer(timer);
    }
  }

  private pollCancel(runId: string, controller: AbortController, jobName: string): { stop(): void } {
    const every = this.ports.cancelPollMs;
    if (!every || every <= 0) return { stop() {} };
    const { clock, stores } = this.ports;
    let handle = clock.setTimer(clock.now() + every, tick);
    let stopped = false;
    const logger = this.logger;
    function tick(): void {
      void stores.runs.get(runId, clock.now()).then(
        (run) => {
          if (stopped) return;
          if (run?.cancelRequested !== undefined) controller.abort(new JobCancelledError(jobName, run.cancelRequested));
          else handle = clock.setTimer(clock.now() + every!, tick);
        },
        (error: unknown) => {
          // A failed poll (throttling, a network blip) must neither crash the worker nor stop polling.
          logger.warn(`job "${jobName}": could not check for a cancel request: ${asError(error).message}`);
          if (!stopped) handle = clock.setTimer(clock.now() + every!, tick);
        },
      );
    }
    return {
      stop() {
        stopped = true;
        clock.clearTimer(handle);
      },
    };
  }

  private emitSkip(job: ResolvedJob, message: RunMessage, reason: 'duplicate' | 'paused' | 'uniqueConflict'): void {
    this.ports.telemetry.emit('job:skip', { measurements: { systemTime: this.ports.clock.now() }, metadata: { ...jobMeta(job, message), reason } });
  }
}

/**
 * Calls the handler and settles on whichever comes first: its result, or the abort signal.
 * A handler that ignores its signal cannot hold the run past its timeout.
 */
function raceHandler(run: () => unknown, signal: AbortSignal): Promise<Settled> {
  return new Promise<Settled>((resolve) => {
    if (signal.aborted) return resolve({ kind: 'aborted', reason: signal.reason });
    const onAbort = (): void => resolve({ kind: 'aborted', reason: signal.reason });
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve()
      .then(run)
      .then(
        (value) => resolve({ kind: 'returned', value }),
        (error: unknown) => resolve(signal.aborted ? { kind: 'aborted', reason: signal.reason } : { kind: 'threw', error }),
      )
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function jobMeta(job: ResolvedJob, message: RunMessage): JobMeta {
  return {
    job: job.name,
    queue: job.queue,
    attempt: message.attempt,
    runId: message.runId,
    ...(message.scheduledAt ? { scheduledAt: message.scheduledAt } : {}),
    tags: job.tags,
    meta: job.meta,
  };
}

/** Thrown non-errors (strings, objects) become a `JobFailedError` carrying their text. */
export function asError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'string') return new JobFailedError(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return new JobFailedError(text);
}

function errorShape(error: Error): { type: string; message: string } {
  return { type: error.name, message: error.message };
}

