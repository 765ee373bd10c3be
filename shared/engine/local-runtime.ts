/**
 * The local engine: the whole product in one process — memory stores, a memory queue per
 * config queue, schedules as clock timers, a worker pool per queue — composed around the same
 * {@link JobRunner} the AWS worker uses. Runs on the real clock, or on `virtualClock()` for
 * tests and compressed-time demos. The {@link RuntimeClient} methods come from
 * {@link RuntimeClientBase} (shared with the AWS client); this file supplies the engine hooks.
 */
import { randomUUID } from 'node:crypto';
import { MemoryQueue } from '../adapters/memory/queue.ts';
import { MemoryScheduler } from '../adapters/memory/scheduler.ts';
import { createMemoryStores, type MemoryLockStore } from '../adapters/memory/stores.ts';
import { realClock } from '../adapters/clock.ts';
import { setDefaultClient } from '../config/default-client.ts';
import { MAX_TIMEOUT_MS } from '../config/job-defaults.ts';
import { ConfigError, jobIssue } from '../errors.ts';
import type { Clock, QueuePort, RandomSource, RunMessage, SendOptions, Stores, TimerHandle } from '../ports.ts';
import { Telemetry, telemetry as globalTelemetry } from '../telemetry.ts';
import type { DeadLetterEntry, JobDefinition, JobHandler, JobOptions, ResolvedConfig, ResolvedJob, RuntimeClient } from '../types.ts';
import { pickHooks } from './client-helpers.ts';
import { configMaterializer, createJobRegistry, type JobRegistry, type JobRegistryOptions } from './job-registry.ts';
import { JobRunner, LOCK_MARGIN_MS, type RunReport } from './job-runner.ts';
import { consoleLogger, type Logger } from './logger.ts';
import { RuntimeClientBase, type InsertCode, type JobCode, type PatchCode, type RuntimeClientPorts } from './runtime-client-base.ts';
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

/** The engine hooks of {@link RuntimeClientBase} over the memory adapters, plus lifecycle. */
class LocalRuntimeImpl extends RuntimeClientBase implements LocalRuntime {
  readonly clock: Clock;
  readonly nodeId: string;
  readonly stores: Stores;
  readonly runner: JobRunner;
  readonly jobs: JobRegistry;

  private readonly logger: Logger;
  private readonly memoryQueue: MemoryQueue;
  private readonly scheduler: MemoryScheduler;
  private readonly pools = new Map<string, WorkerPool>();
  private readonly enginePorts: RuntimeClientPorts;
  /** Code of runtime-inserted (or handler-updated) jobs; it cannot live in the shared store. */
  private readonly inlineCode = new Map<string, JobCode>();
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
    super(config, opts.telemetry ?? new Telemetry());
    this.clock = opts.clock ?? realClock();
    this.nodeId = opts.nodeId ?? `local-${randomUUID().slice(0, 8)}`;
    this.stores = opts.stores ?? createMemoryStores();
    this.logger = opts.logger ?? consoleLogger;
    this.unforward = this.telemetry.forwardTo(globalTelemetry);

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
    this.enginePorts = { stores: this.stores, queue: this.memoryQueue, control: this.memoryQueue, scheduler: this.scheduler, jobs: this.jobs };
  }

  // ------------------------------------------------------------------ lifecycle

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.unforward ??= this.telemetry.forwardTo(globalTelemetry);
    this.memoryQueue.resumeTimers();
    this.scheduler.restart();
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
    // Delayed messages (retries, delayed enqueues) stay queued; their timers wait for start().
    this.memoryQueue.suspendTimers();
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

  // ------------------------------------------------------------------ engine hooks (RuntimeClientBase)

  protected ports(): Promise<RuntimeClientPorts> {
    return Promise.resolve(this.enginePorts);
  }

  protected now(): number {
    return this.clock.now();
  }

  /** Locally every function can run: nothing to refuse. */
  protected screenCode(): void {}

  protected insertCode(name: string, fields: Record<string, unknown>): InsertCode {
    const { handler, onStart, onSuccess, onFailure, onCancel, ...options } = fields;
    if (typeof handler === 'function') {
      return { options, code: { handler: handler as JobHandler<any>, hooks: pickHooks({ onStart, onSuccess, onFailure, onCancel }) } };
    }
    const ref = this.configCode(handler);
    if (ref) return { options, code: ref, handlerRef: ref.name };
    throw new ConfigError(
      jobIssue(name, 'handler', handler, `be a function, or the name of a config job whose handler runs: ${this.configJobNames()}`),
    );
  }

  protected patchCode(name: string, job: ResolvedJob, handler: unknown, changes: Record<string, unknown>): PatchCode {
    if (handler !== undefined && typeof handler !== 'function') {
      throw new ConfigError(jobIssue(name, 'handler', handler, 'be a function (ctx) => result'));
    }
    const hookPatch = pickHooks(changes);
    for (const hook of Object.keys(hookPatch)) delete changes[hook];
    const code = { handler: (handler as JobHandler<any> | undefined) ?? job.handler, hooks: { ...job.hooks, ...hookPatch } };
    return { code, inline: handler !== undefined || Object.keys(hookPatch).length > 0 || this.inlineCode.has(name) };
  }

  protected override rememberCode(name: string, code: JobCode): void {
    this.inlineCode.set(name, code);
  }

  protected override forgetCode(name: string): void {
    this.inlineCode.delete(name);
  }

  protected send(_ports: RuntimeClientPorts, message: RunMessage, opts: { queue: string; delayMs: number; priority: number }): Promise<void> {
    return this.runner.send(message, opts);
  }

  /** Runs of this process abort now; those of other runtimes see the request in the registry. */
  protected override cancelInProcess(runId: string, reason: string): boolean {
    return this.runner.cancelLocal(runId, reason);
  }

  /** The pools know what they run: no registry read. */
  protected override async runningCounter(): Promise<(queue: string) => number> {
    return (queue) => this.pools.get(queue)!.runningCount;
  }

  protected override scheduleAnchor(name: string, now: number): number {
    return this.scheduleAnchors.get(name) ?? now;
  }

  protected override skippedDeadLetter(entry: DeadLetterEntry): void {
    this.logger.warn(`dead-letter entry ${entry.id} names job "${entry.jobName}", which does not exist; left in place`);
  }

  /** Schedules go on the clock only once started (`start()` puts them all). */
  protected override async putSchedules(job: ResolvedJob, paused: boolean): Promise<void> {
    if (!this.started) return;
    if (job.schedules.length > 0) this.scheduleAnchors.set(job.name, this.clock.now());
    await super.putSchedules(job, paused);
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

  private materializer(): JobRegistryOptions['materialize'] {
    const fromConfig = configMaterializer(this.config, (name) => this.inlineCode.get(name));
    return (record, base) => {
      const job = fromConfig(record, base);
      if (!job) this.logger.warn(`job "${record.name}" has no code in this process (its handler was given inline to another runtime)`);
      return job;
    };
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
