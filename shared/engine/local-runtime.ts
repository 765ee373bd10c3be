/**
 * The local engine: the whole product in one process — memory stores, a memory queue per
 * config queue, schedules as clock timers, a worker pool per queue — composed around the same
 * {@link JobRunner} the AWS worker uses. Runs on the real clock, or on `virtualClock()` for
 * tests and compressed-time demos.
 */
import { deadLetterStats, pickHooks, serializable } from './client-helpers.ts';
import { randomUUID } from 'node:crypto';
import { MemoryQueue } from '../adapters/memory/queue.ts';
import { MemoryScheduler } from '../adapters/memory/scheduler.ts';
import { createMemoryStores, type MemoryLockStore } from '../adapters/memory/stores.ts';
import { realClock } from '../adapters/clock.ts';
import { setDefaultClient } from '../config/default-client.ts';
import { resolveJob } from '../config/define-config.ts';
import { MAX_QUEUE_CONCURRENCY, MAX_TIMEOUT_MS, MIN_QUEUE_CONCURRENCY } from '../config/job-defaults.ts';
import { parseDuration } from '../duration.ts';
import { ConfigError, ConflictError, NotFoundError, formatValue, jobIssue } from '../errors.ts';
import { enqueueMessage } from '../messages.ts';
import type { Clock, QueuePort, RandomSource, RunMessage, SendOptions, Stores, TimerHandle } from '../ports.ts';
import { nextRunAfter } from '../schedule/next-runs.ts';
import { Telemetry, telemetry as globalTelemetry } from '../telemetry.ts';
import type {
  DeadLetterClient,
  DeadLetterEntry,
  DeadLetterStats,
  EnqueueOptions,
  EnqueueResult,
  HistoryEntry,
  JobDefinition,
  JobHandler,
  JobHooks,
  JobInfo,
  JobOptions,
  JobPatch,
  JobStatus,
  ListJobsFilter,
  QueueStats,
  ResolvedConfig,
  ResolvedJob,
  RunningJob,
  RuntimeClient,
} from '../types.ts';
import { pruneDeadLetters } from './dead-letters.ts';
import { toJobInfo, toJobOptions } from './job-info.ts';
import { configMaterializer, createJobRegistry, type JobRegistry, type JobRegistryOptions, type RegisteredJob } from './job-registry.ts';
import { JobRunner, LOCK_MARGIN_MS, type RunReport } from './job-runner.ts';
import { consoleLogger, type Logger } from './logger.ts';
import { WorkerPool } from './worker-pool.ts';

export interface LocalRuntimeOptions {
  /** Time and timers. @default realClock() */
  readonly clock?: Clock;
  /** Randomness for retry jitter. @default Math.random */
  readonly random?: RandomSource;
  /** Share one `createMemoryStores()` between runtimes to model several nodes. @default createMemoryStores() */
  readonly stores?: Stores;
  /** This runtime's event bus; it forwards to the global `telemetry`. @default new Telemetry() */
  readonly telemetry?: Telemetry;
  /** Names this runtime in tick claims of `global: false` jobs. @default a random `local-xxxxxxxx` */
  readonly nodeId?: string;
  /** @default consoleLogger (warnings and errors to the console) */
  readonly logger?: Logger;
  /**
   * How often a running attempt checks the shared run registry for a cancel request made by
   * another runtime on the same stores. Cancels made through this runtime abort at once.
   * @default undefined (no polling)
   */
  readonly cancelPollMs?: number;
  /** Bind this runtime as the default client (`Worker.enqueue`). @default true */
  readonly bindDefaultClient?: boolean;
}

/** A job as `insert` accepts it: with code, or naming a config job whose handler runs. */
export type InsertDefinition = JobDefinition<any> | (JobOptions & { readonly name: string; readonly handler?: string });

/** The in-process engine: a full {@link RuntimeClient} plus lifecycle and introspection. */
export interface LocalRuntime extends RuntimeClient {
  /** Puts every schedule on the clock and starts one worker pool per queue. */
  start(): Promise<void>;
  /** Stops the schedules, lets running work finish, and stops the pools. */
  stop(): Promise<void>;
  /** This runtime's events (also forwarded to the global `telemetry`). */
  readonly telemetry: Telemetry;
  readonly clock: Clock;
  readonly config: ResolvedConfig;
  readonly nodeId: string;
  readonly stores: Stores;
  /** The core the pools feed — the same class the AWS worker runs. */
  readonly runner: JobRunner;
  readonly jobs: JobRegistry;
  /**
   * Listens for final failures of `onError: 'raise'` jobs. Without a listener they are logged
   * with `logger.error` (a background run has no caller to throw to).
   */
  onError(listener: (error: Error, report: RunReport) => void): () => void;
  /** Observes every message put on a queue (enqueues, ticks, retries) — used by the testing sandbox. */
  onSend(listener: (queue: string, message: RunMessage, opts: SendOptions) => void): () => void;
  /** While held, worker pools take nothing (the testing sandbox's manual mode). */
  holdWorkers(held: boolean): void;
}

/** Invisibility of a taken message: longer than any attempt may run. */
const VISIBILITY_MS = MAX_TIMEOUT_MS + LOCK_MARGIN_MS;
/**
 * Finished claims are kept this long locally: in one process, duplicates (a cron split into
 * two schedules, runtimes sharing stores) arrive within the same instant, not days later.
 */
const LOCAL_CLAIM_RETENTION_MS = 3_600_000;
/** How often expired locks are swept from a memory lock store (a background timer). */
const LOCK_SWEEP_MS = 10 * 60_000;
/** Nack delay when the core reports an infrastructure error. */
const REDELIVER_DELAY_MS = 1_000;
const PRIORITY_RULE = 'be an integer from 0 to 9 (0 runs first)';
const DELAY_RULE = "be a duration of 0 or more: ms, or [n, unit] such as [5, 'minutes']";

/**
 * Creates the in-process engine for `config`.
 *
 * @example
 * import { createLocalRuntime } from 'om-scheduler';
 * import { virtualClock } from 'om-scheduler/testing';
 * import config from './scheduler.config.ts';
 *
 * const clock = virtualClock('2027-01-04T00:00:00Z');
 * const rt = createLocalRuntime(config, { clock });
 * await rt.start();
 * await rt.enqueue('send_email', { to: 'a@example.com' });
 * await clock.advance([1, 'hour']);
 * console.log(await rt.status('daily_report'));
 * await rt.stop();
 */
export function createLocalRuntime(config: ResolvedConfig, opts: LocalRuntimeOptions = {}): LocalRuntime {
  const rt = new LocalRuntimeImpl(config, opts);
  if (opts.bindDefaultClient !== false) setDefaultClient(rt);
  return rt;
}

class LocalRuntimeImpl implements LocalRuntime {
  readonly clock: Clock;
  readonly config: ResolvedConfig;
  readonly nodeId: string;
  readonly stores: Stores;
  readonly telemetry: Telemetry;
  readonly runner: JobRunner;
  readonly jobs: JobRegistry;
  readonly deadLetter: DeadLetterClient;

  private readonly logger: Logger;
  private readonly memoryQueue: MemoryQueue;
  private readonly scheduler: MemoryScheduler;
  private readonly pools = new Map<string, WorkerPool>();
  private readonly configJobs: Map<string, ResolvedJob>;
  /** Code of runtime-inserted (or handler-updated) jobs; it cannot live in the shared store. */
  private readonly inlineCode = new Map<string, { handler: JobHandler<any>; hooks: JobHooks }>();
  private readonly errorListeners = new Set<(error: Error, report: RunReport) => void>();
  private readonly sendListeners = new Set<(queue: string, message: RunMessage, opts: SendOptions) => void>();
  /** When each message became visible, for `queue:pop`'s waitTime. */
  private readonly visibleAt = new Map<string, number>();
  /** When each job's schedules were put: `rate(...)` counts from there (as the scheduler does). */
  private readonly scheduleAnchors = new Map<string, number>();
  private started = false;
  private held = false;
  private sweepTimer: TimerHandle | undefined;
  /** Stops forwarding to the global bus (on stop), so stopped runtimes do not pile up there. */
  private unforward: (() => void) | undefined;

  constructor(config: ResolvedConfig, opts: LocalRuntimeOptions) {
    this.config = config;
    this.clock = opts.clock ?? realClock();
    this.nodeId = opts.nodeId ?? `local-${randomUUID().slice(0, 8)}`;
    this.stores = opts.stores ?? createMemoryStores();
    this.logger = opts.logger ?? consoleLogger;
    this.telemetry = opts.telemetry ?? new Telemetry();
    this.unforward = this.telemetry.forwardTo(globalTelemetry);
    this.configJobs = new Map(config.jobs.map((j) => [j.name, j] as const));

    this.memoryQueue = new MemoryQueue({ clock: this.clock, queues: config.queues });
    const queue = this.observedQueue();
    this.scheduler = new MemoryScheduler({
      clock: this.clock,
      queue,
      onDeliveryError: (error, message) => this.logger.error(`schedule of job "${message.job}" could not deliver its tick`, { error }),
    });
    this.jobs = createJobRegistry({
      jobs: config.jobs,
      jobState: this.stores.jobState,
      materialize: this.materializer(),
    });
    this.runner = new JobRunner({
      clock: this.clock,
      random: opts.random ?? Math.random,
      stores: this.stores,
      queue,
      scheduler: this.scheduler,
      telemetry: this.telemetry,
      jobs: this.jobs,
      deadLetter: config.deadLetter,
      nodeId: this.nodeId,
      logger: this.logger,
      onRaise: (error, report) => this.raise(error, report),
      claimRetentionMs: LOCAL_CLAIM_RETENTION_MS,
      ...(opts.cancelPollMs !== undefined ? { cancelPollMs: opts.cancelPollMs } : {}),
    });
    for (const name of Object.keys(config.queues)) {
      this.pools.set(
        name,
        new WorkerPool({ queueName: name, queue: this.memoryQueue, visibilityMs: VISIBILITY_MS, handle: (m) => this.handle(name, m) }),
      );
    }
    this.deadLetter = this.deadLetterClient();
  }

  // ------------------------------------------------------------------ lifecycle

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.unforward ??= this.telemetry.forwardTo(globalTelemetry);
    for (const { job, paused } of await this.jobs.list()) await this.putSchedules(job, paused);
    for (const pool of this.pools.values()) {
      pool.hold(this.held);
      pool.start();
    }
    this.armSweep();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    if (this.sweepTimer) this.clock.clearTimer(this.sweepTimer);
    this.scheduler.stopAll();
    await Promise.all([...this.pools.values()].map((p) => p.stop()));
    this.unforward?.();
    this.unforward = undefined;
  }

  onError(listener: (error: Error, report: RunReport) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  onSend(listener: (queue: string, message: RunMessage, opts: SendOptions) => void): () => void {
    this.sendListeners.add(listener);
    return () => this.sendListeners.delete(listener);
  }

  holdWorkers(held: boolean): void {
    this.held = held;
    for (const pool of this.pools.values()) pool.hold(held);
  }

  // ------------------------------------------------------------------ jobs

  async insert(def: InsertDefinition): Promise<JobInfo> {
    const name = (def as { name?: unknown }).name;
    if (typeof name !== 'string' || name === '') {
      throw new ConfigError(jobIssue(String(name ?? '(unnamed)'), 'name', name, 'be a non-empty string'));
    }
    if (await this.jobs.get(name)) throw new ConflictError(`job "${name}" already exists; change it with update("${name}", patch) or delete it first`);
    const { handler, onStart, onSuccess, onFailure, onCancel, ...options } = def as JobDefinition<any> & Record<string, unknown>;
    let code: { handler: JobHandler<any>; hooks: JobHooks };
    let handlerRef: string | undefined;
    if (typeof handler === 'function') {
      code = { handler, hooks: pickHooks({ onStart, onSuccess, onFailure, onCancel }) };
    } else if (typeof handler === 'string' && this.configJobs.has(handler)) {
      const ref = this.configJobs.get(handler)!;
      code = { handler: ref.handler, hooks: ref.hooks };
      handlerRef = handler;
    } else {
      throw new ConfigError(
        jobIssue(name, 'handler', handler, `be a function, or the name of a config job whose handler runs: ${this.configNames()}`),
      );
    }
    const job = resolveJob({ ...options, name, handler: code.handler, ...code.hooks } as JobDefinition<any>, this.config, 'runtime');
    if (!handlerRef) this.inlineCode.set(name, code);
    await this.stores.jobState.put({
      name,
      paused: false,
      definition: serializable(options),
      ...(handlerRef ? { handlerRef } : {}),
      updatedAtMs: this.clock.now(),
    });
    this.invalidate(name);
    await this.putSchedules(job, false);
    return toJobInfo(job);
  }

  async getJob(name: string): Promise<JobInfo> {
    return toJobInfo((await this.require(name)).job);
  }

  async listJobs(filter: ListJobsFilter = {}): Promise<JobInfo[]> {
    if (filter.queue !== undefined) this.requireQueue(filter.queue);
    const tags = filter.tags ?? [];
    return (await this.jobs.list())
      .map((r) => toJobInfo(r.job))
      .filter((j) => (filter.queue === undefined || j.queue === filter.queue) && tags.every((t) => j.tags.includes(t)));
  }

  async update(name: string, patch: JobPatch): Promise<JobInfo> {
    const { job, paused } = await this.require(name);
    const { handler, ...changes } = patch as JobPatch & Record<string, unknown>;
    if ('name' in changes && changes['name'] !== name) {
      throw new ConfigError(jobIssue(name, 'name', changes['name'], `stay "${name}" (rename with insert + delete)`));
    }
    if (handler !== undefined && typeof handler !== 'function') {
      throw new ConfigError(jobIssue(name, 'handler', handler, 'be a function (ctx) => result'));
    }
    const hookPatch = pickHooks(changes);
    for (const hook of Object.keys(hookPatch)) delete changes[hook];
    const current: Record<string, unknown> = { ...toJobOptions(job) };
    // A job runs on a cron or an interval, not both: setting one replaces the other.
    if (changes['cron'] !== undefined) delete current['every'];
    if (changes['every'] !== undefined) delete current['cron'];
    // Turning `unique` off drops its period (a period without `unique` is invalid).
    if (changes['unique'] === false && !('uniquePeriod' in changes)) delete current['uniquePeriod'];
    const options = { ...current, ...changes };
    const code = { handler: handler ?? job.handler, hooks: { ...job.hooks, ...hookPatch } };
    const updated = resolveJob({ ...options, name, handler: code.handler, ...code.hooks } as JobDefinition<any>, this.config, job.origin);
    const record = await this.stores.jobState.get(name);
    if (handler !== undefined || Object.keys(hookPatch).length > 0 || this.inlineCode.has(name)) this.inlineCode.set(name, code);
    await this.stores.jobState.put({
      ...(record ?? {}),
      name,
      paused,
      definition: serializable(options),
      updatedAtMs: this.clock.now(),
    });
    this.invalidate(name);
    await this.putSchedules(updated, paused);
    return toJobInfo(updated);
  }

  async delete(name: string): Promise<void> {
    await this.require(name);
    if (this.configJobs.has(name)) {
      await this.stores.jobState.put({ name, paused: false, deleted: true, updatedAtMs: this.clock.now() });
    } else {
      await this.stores.jobState.delete(name);
    }
    this.inlineCode.delete(name);
    this.invalidate(name);
    await this.scheduler.deleteSchedules(name);
  }

  async pauseJob(name: string): Promise<void> {
    await this.setPaused(name, true);
  }

  async resumeJob(name: string): Promise<void> {
    await this.setPaused(name, false);
  }

  async runNow(name: string, args?: unknown): Promise<EnqueueResult> {
    const { job } = await this.require(name);
    return this.sendRun(job, enqueueMessage(name, args, this.clock.now(), { source: 'runNow' }), 0);
  }

  async enqueue(name: string, args?: unknown, opts: EnqueueOptions = {}): Promise<EnqueueResult> {
    const { job } = await this.require(name);
    const delayMs = opts.delay === undefined ? 0 : parseDuration(opts.delay);
    if (delayMs === undefined || delayMs < 0) throw new ConfigError(jobIssue(name, 'delay', opts.delay, DELAY_RULE));
    const priority = opts.priority;
    if (priority !== undefined && !(Number.isInteger(priority) && priority >= 0 && priority <= 9)) {
      throw new ConfigError(jobIssue(name, 'priority', priority, PRIORITY_RULE));
    }
    const message = enqueueMessage(name, args, this.clock.now(), priority === undefined ? {} : { priority });
    return this.sendRun(job, message, delayMs);
  }

  async cancelJob(name: string, opts: { reason?: string } = {}): Promise<number> {
    await this.require(name);
    const reason = opts.reason ?? 'cancelled';
    let count = 0;
    for (const run of await this.stores.runs.list(this.clock.now())) {
      if (run.jobName !== name) continue;
      const found = await this.stores.runs.requestCancel(run.runId, reason);
      // Runs of this process abort now; those of other runtimes see the request in the registry.
      const local = this.runner.cancelLocal(run.runId, reason);
      if (found || local) count++;
    }
    return count;
  }

  // ------------------------------------------------------------------ queues

  async pauseQueue(queue: string): Promise<void> {
    this.requireQueue(queue);
    await this.memoryQueue.pause(queue);
  }

  async resumeQueue(queue: string): Promise<void> {
    this.requireQueue(queue);
    await this.memoryQueue.resume(queue);
  }

  async scaleQueue(queue: string, concurrency: number): Promise<void> {
    this.requireQueue(queue);
    if (!Number.isInteger(concurrency) || concurrency < MIN_QUEUE_CONCURRENCY || concurrency > MAX_QUEUE_CONCURRENCY) {
      throw new ConfigError({
        subject: { kind: 'queue', name: queue },
        field: 'concurrency',
        value: concurrency,
        expected: `be an integer from ${MIN_QUEUE_CONCURRENCY} to ${MAX_QUEUE_CONCURRENCY}`,
      });
    }
    const from = this.memoryQueue.stateSync(queue).concurrency;
    await this.memoryQueue.setConcurrency(queue, concurrency);
    this.telemetry.emit('queue:scale', { measurements: { from, to: concurrency }, metadata: { queue } });
  }

  async queueStats(): Promise<QueueStats> {
    const out: Record<string, QueueStats[string]> = {};
    for (const name of Object.keys(this.config.queues)) {
      const counts = this.memoryQueue.countsSync(name);
      const state = this.memoryQueue.stateSync(name);
      out[name] = {
        running: this.pools.get(name)!.runningCount,
        pending: counts.pending + counts.delayed,
        paused: state.paused,
        concurrency: state.concurrency,
      };
    }
    return out;
  }

  // ------------------------------------------------------------------ introspection

  async runningJobs(): Promise<RunningJob[]> {
    return (await this.stores.runs.list(this.clock.now())).map((r) => ({
      runId: r.runId,
      jobName: r.jobName,
      queue: r.queue,
      attempt: r.attempt,
      startedAt: new Date(r.startedAtMs),
      ...(r.scheduledAtMs !== undefined ? { scheduledAt: new Date(r.scheduledAtMs) } : {}),
    }));
  }

  async history(name: string, opts: { limit?: number; since?: Date } = {}): Promise<HistoryEntry[]> {
    await this.require(name);
    if (opts.limit !== undefined && !(Number.isInteger(opts.limit) && opts.limit >= 1)) {
      throw new ConfigError(jobIssue(name, 'limit', opts.limit, 'be an integer of 1 or more'));
    }
    return this.stores.history.list(name, {
      ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
      ...(opts.since ? { sinceMs: opts.since.getTime() } : {}),
    });
  }

  async status(name: string): Promise<JobStatus> {
    const { job, paused } = await this.require(name);
    const counters = await this.stores.history.getCounters(name);
    const now = this.clock.now();
    const anchorMs = this.scheduleAnchors.get(name) ?? now;
    const next = paused || job.schedules.length === 0 ? null : nextRunAfter(job.schedules, now, { anchorMs });
    return {
      name,
      state: paused ? 'paused' : 'active',
      lastRunAt: counters?.lastRunAtMs != null ? new Date(counters.lastRunAtMs) : null,
      nextRunAt: next === null ? null : new Date(next),
      runCount: counters?.runCount ?? 0,
      errorCount: counters?.errorCount ?? 0,
      lastResult: counters?.lastResult ?? null,
      lastError: counters?.lastError ?? null,
      queue: job.queue,
    };
  }

  // ------------------------------------------------------------------ internals

  /** The DynamoDB TTL's job for the memory lock store: drop expired claims now and then. */
  private armSweep(): void {
    const locks = this.stores.locks as Partial<MemoryLockStore>;
    if (typeof locks.sweep !== 'function') return;
    this.sweepTimer = this.clock.setTimer(
      this.clock.now() + LOCK_SWEEP_MS,
      () => {
        locks.sweep!(this.clock.now());
        if (this.started) this.armSweep();
      },
      { background: true },
    );
  }

  private deadLetterClient(): DeadLetterClient {
    const store = this.stores.deadLetters;
    const getEntry = async (id: string): Promise<DeadLetterEntry> => {
      const entry = await store.get(id);
      if (!entry) throw new NotFoundError('dead-letter entry', id);
      return entry;
    };
    const retry = async (entry: DeadLetterEntry): Promise<EnqueueResult> => {
      const { job } = await this.require(entry.jobName);
      const result = await this.sendRun(job, enqueueMessage(job.name, entry.args, this.clock.now(), { source: 'deadLetter' }), 0);
      await store.delete(entry.id);
      this.telemetry.emit('deadLetter:retry', { measurements: { count: 1 }, metadata: { id: entry.id, job: job.name, queue: job.queue } });
      return result;
    };
    return {
      list: (opts = {}) => store.list(opts),
      get: getEntry,
      retry: async (id) => retry(await getEntry(id)),
      retryAll: async (opts = {}) => {
        const out: EnqueueResult[] = [];
        for (const entry of await store.list(opts)) {
          if (!(await this.jobs.get(entry.jobName))) {
            this.logger.warn(`dead-letter entry ${entry.id} names job "${entry.jobName}", which does not exist; left in place`);
            continue;
          }
          out.push(await retry(entry));
        }
        return out;
      },
      delete: async (id) => {
        if (!(await store.delete(id))) throw new NotFoundError('dead-letter entry', id);
      },
      prune: async (opts = {}) => {
        const before = opts.before ?? new Date(this.clock.now() - this.config.deadLetter.maxAgeMs);
        if (!(before instanceof Date) || Number.isNaN(before.getTime())) {
          throw new ConfigError({ subject: { kind: 'config' }, field: 'deadLetter.prune.before', value: before, expected: 'be a valid Date' });
        }
        return pruneDeadLetters(this, before.getTime(), 'manual');
      },
      stats: async () => deadLetterStats(await store.list()),
    };
  }

  /** The queue port the core and the scheduler see: the memory queue, observed on send. */
  private observedQueue(): QueuePort {
    const q = this.memoryQueue;
    return {
      send: async (queue, message, opts = {}) => {
        // Recorded before the send: the pool may take the message synchronously inside it.
        this.visibleAt.set(messageKey(queue, message), this.clock.now() + (opts.delayMs ?? 0));
        for (const l of this.sendListeners) l(queue, message, opts);
        await q.send(queue, message, opts);
      },
      receive: (queue, max, visibilityMs) => q.receive(queue, max, visibilityMs),
      ack: (queue, receipt) => q.ack(queue, receipt),
      nack: (queue, receipt, delayMs) => q.nack(queue, receipt, delayMs),
      counts: (queue) => q.counts(queue),
      purge: (queue) => q.purge(queue),
    };
  }

  private async handle(queueName: string, received: { message: RunMessage; receipt: string }): Promise<void> {
    const key = messageKey(queueName, received.message);
    const visible = this.visibleAt.get(key) ?? this.clock.now();
    this.visibleAt.delete(key);
    const report = await this.runner.process(received.message, { queue: queueName, waitTimeMs: this.clock.now() - visible });
    if (report.disposition === 'ack') await this.memoryQueue.ack(queueName, received.receipt);
    else await this.memoryQueue.nack(queueName, received.receipt, REDELIVER_DELAY_MS);
  }

  private async sendRun(job: ResolvedJob, message: RunMessage, delayMs: number): Promise<EnqueueResult> {
    await this.runner.send(message, { queue: job.queue, delayMs, priority: message.priority ?? job.priority });
    return { runId: message.runId, jobName: job.name, queue: job.queue, runAt: new Date(this.clock.now() + delayMs) };
  }

  private async putSchedules(job: ResolvedJob, paused: boolean): Promise<void> {
    if (!this.started) return;
    if (job.schedules.length === 0) await this.scheduler.deleteSchedules(job.name);
    else {
      this.scheduleAnchors.set(job.name, this.clock.now());
      await this.scheduler.putSchedules({ job: job.name, queue: job.queue }, job.schedules, !paused);
    }
  }

  private async setPaused(name: string, paused: boolean): Promise<void> {
    await this.require(name);
    const record = await this.stores.jobState.get(name);
    await this.stores.jobState.put({ ...(record ?? { name }), paused, updatedAtMs: this.clock.now() });
    await this.scheduler.setEnabled(name, !paused);
  }

  private materializer(): JobRegistryOptions['materialize'] {
    const fromConfig = configMaterializer(this.config, (name) => this.inlineCode.get(name));
    return (record, base) => {
      const job = fromConfig(record, base);
      if (!job) this.logger.warn(`job "${record.name}" has no code in this process (its handler was given inline to another runtime)`);
      return job;
    };
  }

  /** Edits within one clock millisecond keep `updatedAtMs`: drop the registry's cached job. */
  private invalidate(name: string): void {
    this.jobs.invalidate(name);
  }

  private async require(name: string): Promise<RegisteredJob> {
    const found = typeof name === 'string' ? await this.jobs.get(name) : undefined;
    if (found) return found;
    const names = (await this.jobs.list()).map((j) => j.job.name);
    throw new NotFoundError('job', String(name), names.length ? `known jobs: ${names.join(', ')}` : 'no jobs are defined');
  }

  private requireQueue(queue: string): void {
    if (!Object.hasOwn(this.config.queues, queue)) {
      throw new NotFoundError('queue', formatValue(queue).replace(/^"|"$/g, ''), `known queues: ${Object.keys(this.config.queues).join(', ')}`);
    }
  }

  private configNames(): string {
    const names = [...this.configJobs.keys()];
    return names.length ? names.map((n) => `"${n}"`).join(', ') : '(the config has no jobs)';
  }

  private raise(error: Error, report: RunReport): void {
    if (this.errorListeners.size === 0) {
      this.logger.error(`job "${report.jobName}" failed for good (onError: 'raise'): ${error.message}`, { error, runId: report.runId });
      return;
    }
    for (const l of this.errorListeners) l(error, report);
  }
}

function messageKey(queue: string, m: RunMessage): string {
  return `${queue}\u0000${m.runId}\u0000${m.attempt}`;
}
