/**
 * The logic of a {@link RuntimeClient}, written once over the ports. The local runtime
 * (`local-runtime.ts`) and the AWS client (`functions/client/create-client.ts`) extend it and
 * implement only what truly differs between the engines:
 * - {@link RuntimeClientBase.ports}: how the ports are obtained (built at once locally; on AWS on
 *   first call, with a dynamic import, so importing the client loads no SDK);
 * - {@link RuntimeClientBase.now}: how "now" is read (a `Clock` locally, `Date.now()` on AWS);
 * - {@link RuntimeClientBase.screenCode} / {@link RuntimeClientBase.insertCode} /
 *   {@link RuntimeClientBase.patchCode}: whether functions can be inserted (locally they run
 *   in-process; on AWS only deployed code runs);
 * - {@link RuntimeClientBase.send}: how a run message is put on its queue;
 * - optional hooks with defaults for the rest (in-process cancel, running counts, schedule
 *   anchors, inline-code bookkeeping, orphaned dead letters).
 *
 * Pure: no AWS SDK and no CDK — both reach this file only through the ports.
 */
import { resolveJob } from '../config/define-config.ts';
import { MAX_QUEUE_CONCURRENCY, MIN_QUEUE_CONCURRENCY } from '../config/job-defaults.ts';
import { parseDuration } from '../duration.ts';
import { ConfigError, ConflictError, NotFoundError, formatValue, jobIssue } from '../errors.ts';
import { enqueueMessage } from '../messages.ts';
import type { QueueControlPort, QueuePort, RunMessage, RunRecordEntry, SchedulerPort, Stores } from '../ports.ts';
import { nextRunAfter } from '../schedule/next-runs.ts';
import type { Telemetry } from '../telemetry.ts';
import type {
  DeadLetterClient,
  DeadLetterEntry,
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
import { deadLetterStats, serializable } from './client-helpers.ts';
import { pruneDeadLetters } from './dead-letters.ts';
import { toJobInfo, toJobOptions } from './job-info.ts';
import type { JobRegistry, RegisteredJob } from './job-registry.ts';

/** The ports a runtime client works over (each engine brings its adapters). */
export interface RuntimeClientPorts {
  readonly stores: Stores;
  /** Message counts for `queueStats()`. */
  readonly queue: Pick<QueuePort, 'counts'>;
  /** Pause, resume and scale a queue's consumers. */
  readonly control: QueueControlPort;
  readonly scheduler: Pick<SchedulerPort, 'putSchedules' | 'deleteSchedules' | 'setEnabled'>;
  /** Config jobs merged with the job-state store. */
  readonly jobs: JobRegistry;
}

/** A job's code: its handler and lifecycle hooks. */
export interface JobCode {
  readonly handler: JobHandler<any>;
  readonly hooks: JobHooks;
}

/** What `insert` makes of a definition's code fields. */
export interface InsertCode {
  /** The definition without its code fields: what the job-state store keeps. */
  readonly options: Record<string, unknown>;
  readonly code: JobCode;
  /** The config job whose code runs; absent when the code was given inline. */
  readonly handlerRef?: string;
}

/** What `update` makes of a patch's code fields. */
export interface PatchCode {
  readonly code: JobCode;
  /** Whether `code` must be kept in this process (see {@link RuntimeClientBase.rememberCode}). */
  readonly inline: boolean;
}

const PRIORITY_RULE = 'be an integer from 0 to 9 (0 runs first)';
const DELAY_RULE = "be a duration of 0 or more: ms, or [n, unit] such as [5, 'minutes']";

/**
 * Implements every {@link RuntimeClient} method over {@link RuntimeClientPorts}; engines extend it.
 *
 * @example
 * class MyClient extends RuntimeClientBase {
 *   protected ports() { return Promise.resolve(myPorts); }
 *   protected now() { return Date.now(); }
 *   protected screenCode() {}
 *   protected insertCode(name: string, fields: Record<string, unknown>) { ... }
 *   protected patchCode(name: string, job: ResolvedJob) { return { code: { handler: job.handler, hooks: job.hooks }, inline: false }; }
 *   protected send(ports: RuntimeClientPorts, message: RunMessage, opts: { queue: string; delayMs: number; priority: number }) { ... }
 * }
 */
export abstract class RuntimeClientBase<P extends RuntimeClientPorts = RuntimeClientPorts> implements RuntimeClient {
  readonly deadLetter: DeadLetterClient;
  protected readonly configJobs: Map<string, ResolvedJob>;

  constructor(
    readonly config: ResolvedConfig,
    /** Where `queue:scale` and `deadLetter:*` events go. */
    readonly telemetry: Telemetry,
  ) {
    this.configJobs = new Map(config.jobs.map((j) => [j.name, j] as const));
    this.deadLetter = this.deadLetterClient();
  }

  // ------------------------------------------------------------------ hooks

  /** The ports; called by every method (it may build them on first call). */
  protected abstract ports(): Promise<P>;

  /** Now, in epoch ms. */
  protected abstract now(): number;

  /** Refuses code a job cannot carry on this engine (throws); runs before any other check of it. */
  protected abstract screenCode(name: string, fields: Record<string, unknown>): void;

  /** Splits an inserted definition into stored options and the code that runs (throws on a bad `handler`). */
  protected abstract insertCode(name: string, fields: Record<string, unknown>): InsertCode;

  /**
   * The code `job` runs after `patch`. Removes the code fields (hooks) from `changes`; `handler`
   * is already out of it.
   */
  protected abstract patchCode(name: string, job: ResolvedJob, handler: unknown, changes: Record<string, unknown>): PatchCode;

  /** Puts a run message on its queue (or on a one-off schedule past the queue's longest delay). */
  protected abstract send(ports: P, message: RunMessage, opts: { readonly queue: string; readonly delayMs: number; readonly priority: number }): Promise<void>;

  /** Keeps code given inline, so the job registry can materialize the job. @default nothing to keep */
  protected rememberCode(_name: string, _code: JobCode): void {}

  /** Drops the inline code of a deleted job. @default nothing to drop */
  protected forgetCode(_name: string): void {}

  /**
   * Aborts a run of this process at once; returns whether one was found.
   * @default false (runs elsewhere see the request in the run registry)
   */
  protected cancelInProcess(_runId: string, _reason: string): boolean {
    return false;
  }

  /** How many runs each queue has in progress. @default counted from the run registry */
  protected async runningCounter(ports: P): Promise<(queue: string) => number> {
    const running = await ports.stores.runs.list(this.now());
    return (queue) => running.filter((r) => r.queue === queue).length;
  }

  /** Where `rate(...)` schedules of `name` count from. @default now */
  protected scheduleAnchor(_name: string, now: number): number {
    return now;
  }

  /** Called for a dead-letter entry `retryAll` leaves in place because its job no longer exists. @default silent */
  protected skippedDeadLetter(_entry: DeadLetterEntry): void {}

  /** Puts (or deletes, when it has none) the schedules of `job`. */
  protected async putSchedules(job: ResolvedJob, paused: boolean): Promise<void> {
    const { scheduler } = await this.ports();
    if (job.schedules.length === 0) await scheduler.deleteSchedules(job.name);
    else await scheduler.putSchedules({ job: job.name, queue: job.queue }, job.schedules, !paused);
  }

  // ------------------------------------------------------------------ jobs

  async insert(def: JobDefinition<any> | (JobOptions & { name: string; handler?: string })): Promise<JobInfo> {
    const { stores, jobs } = await this.ports();
    const name = (def as { name?: unknown }).name;
    if (typeof name !== 'string' || name === '') {
      throw new ConfigError(jobIssue(String(name ?? '(unnamed)'), 'name', name, 'be a non-empty string'));
    }
    if (await jobs.get(name)) throw new ConflictError(`job "${name}" already exists; change it with update("${name}", patch) or delete it first`);
    const fields = def as unknown as Record<string, unknown>;
    this.screenCode(name, fields);
    const { options, code, handlerRef } = this.insertCode(name, fields);
    const job = resolveJob({ ...options, name, handler: code.handler, ...code.hooks } as JobDefinition<any>, this.config, 'runtime');
    if (!handlerRef) this.rememberCode(name, code);
    await stores.jobState.put({
      name,
      paused: false,
      definition: serializable(options),
      ...(handlerRef ? { handlerRef } : {}),
      updatedAtMs: this.now(),
    });
    // Edits within one clock millisecond keep `updatedAtMs`: drop the registry's cached job.
    jobs.invalidate(name);
    await this.putSchedules(job, false);
    return toJobInfo(job);
  }

  async getJob(name: string): Promise<JobInfo> {
    return toJobInfo((await this.require(name)).job);
  }

  async listJobs(filter: ListJobsFilter = {}): Promise<JobInfo[]> {
    if (filter.queue !== undefined) this.requireQueue(filter.queue);
    const { jobs } = await this.ports();
    const tags = filter.tags ?? [];
    return (await jobs.list())
      .map((r) => toJobInfo(r.job))
      .filter((j) => (filter.queue === undefined || j.queue === filter.queue) && tags.every((t) => j.tags.includes(t)));
  }

  async update(name: string, patch: JobPatch): Promise<JobInfo> {
    const { job, paused } = await this.require(name);
    const { stores, jobs } = await this.ports();
    this.screenCode(name, patch as Record<string, unknown>);
    const { handler, ...changes } = patch as JobPatch & Record<string, unknown>;
    if ('name' in changes && changes['name'] !== name) {
      throw new ConfigError(jobIssue(name, 'name', changes['name'], `stay "${name}" (rename with insert + delete)`));
    }
    const { code, inline } = this.patchCode(name, job, handler, changes);
    const current: Record<string, unknown> = { ...toJobOptions(job) };
    // A job runs on a cron or an interval, not both: setting one replaces the other.
    if (changes['cron'] !== undefined) delete current['every'];
    if (changes['every'] !== undefined) delete current['cron'];
    // Turning `unique` off drops its period (a period without `unique` is invalid).
    if (changes['unique'] === false && !('uniquePeriod' in changes)) delete current['uniquePeriod'];
    const options = { ...current, ...changes };
    const updated = resolveJob({ ...options, name, handler: code.handler, ...code.hooks } as JobDefinition<any>, this.config, job.origin);
    if (inline) this.rememberCode(name, code);
    const record = await stores.jobState.get(name);
    await stores.jobState.put({ ...(record ?? {}), name, paused, definition: serializable(options), updatedAtMs: this.now() });
    jobs.invalidate(name);
    await this.putSchedules(updated, paused);
    return toJobInfo(updated);
  }

  async delete(name: string): Promise<void> {
    await this.require(name);
    const { stores, jobs, scheduler } = await this.ports();
    // A config job is deployed code: a tombstone hides it; a runtime job just goes.
    if (this.configJobs.has(name)) await stores.jobState.put({ name, paused: false, deleted: true, updatedAtMs: this.now() });
    else await stores.jobState.delete(name);
    this.forgetCode(name);
    jobs.invalidate(name);
    await scheduler.deleteSchedules(name);
  }

  async pauseJob(name: string): Promise<void> {
    await this.setPaused(name, true);
  }

  async resumeJob(name: string): Promise<void> {
    await this.setPaused(name, false);
  }

  async runNow(name: string, args?: unknown): Promise<EnqueueResult> {
    const { job } = await this.require(name);
    return this.sendRun(job, enqueueMessage(name, args, this.now(), { source: 'runNow' }), 0);
  }

  async enqueue(name: string, args?: unknown, opts: EnqueueOptions = {}): Promise<EnqueueResult> {
    const { job } = await this.require(name);
    const delayMs = opts.delay === undefined ? 0 : parseDuration(opts.delay);
    if (delayMs === undefined || delayMs < 0) throw new ConfigError(jobIssue(name, 'delay', opts.delay, DELAY_RULE));
    const priority = opts.priority;
    if (priority !== undefined && !(Number.isInteger(priority) && priority >= 0 && priority <= 9)) {
      throw new ConfigError(jobIssue(name, 'priority', priority, PRIORITY_RULE));
    }
    const message = enqueueMessage(name, args, this.now(), priority === undefined ? {} : { priority });
    return this.sendRun(job, message, delayMs);
  }

  async cancelJob(name: string, opts: { reason?: string } = {}): Promise<number> {
    await this.require(name);
    const { stores } = await this.ports();
    const reason = opts.reason ?? 'cancelled';
    let count = 0;
    for (const run of await stores.runs.list(this.now())) {
      if (run.jobName !== name) continue;
      // Workers poll the registry and abort the handler's signal; runs of this process abort now.
      const found = await stores.runs.requestCancel(run.runId, reason);
      const here = this.cancelInProcess(run.runId, reason);
      if (found || here) count++;
    }
    return count;
  }

  // ------------------------------------------------------------------ queues

  async pauseQueue(queue: string): Promise<void> {
    this.requireQueue(queue);
    await (await this.ports()).control.pause(queue);
  }

  async resumeQueue(queue: string): Promise<void> {
    this.requireQueue(queue);
    await (await this.ports()).control.resume(queue);
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
    const { control } = await this.ports();
    const from = (await control.getState(queue)).concurrency;
    await control.setConcurrency(queue, concurrency);
    this.telemetry.emit('queue:scale', { measurements: { from, to: concurrency }, metadata: { queue } });
  }

  async queueStats(): Promise<QueueStats> {
    const ports = await this.ports();
    const running = await this.runningCounter(ports);
    const entries = await Promise.all(
      Object.keys(this.config.queues).map(async (name) => {
        const [counts, state] = await Promise.all([ports.queue.counts(name), ports.control.getState(name)]);
        const stat = { running: running(name), pending: counts.pending + counts.delayed, paused: state.paused, concurrency: state.concurrency };
        return [name, stat] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  // ------------------------------------------------------------------ introspection

  async runningJobs(): Promise<RunningJob[]> {
    const { stores } = await this.ports();
    return (await stores.runs.list(this.now())).map(toRunningJob);
  }

  async history(name: string, opts: { limit?: number; since?: Date } = {}): Promise<HistoryEntry[]> {
    await this.require(name);
    if (opts.limit !== undefined && !(Number.isInteger(opts.limit) && opts.limit >= 1)) {
      throw new ConfigError(jobIssue(name, 'limit', opts.limit, 'be an integer of 1 or more'));
    }
    const { stores } = await this.ports();
    return stores.history.list(name, {
      ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
      ...(opts.since ? { sinceMs: opts.since.getTime() } : {}),
    });
  }

  async status(name: string): Promise<JobStatus> {
    const { job, paused } = await this.require(name);
    const { stores } = await this.ports();
    const counters = await stores.history.getCounters(name);
    const now = this.now();
    const anchorMs = this.scheduleAnchor(name, now);
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

  // ------------------------------------------------------------------ shared internals

  /** The job registered as `name`, or a NotFoundError listing the known jobs. */
  protected async require(name: string): Promise<RegisteredJob> {
    const { jobs } = await this.ports();
    const found = typeof name === 'string' ? await jobs.get(name) : undefined;
    if (found) return found;
    const names = (await jobs.list()).map((j) => j.job.name);
    throw new NotFoundError('job', String(name), names.length ? `known jobs: ${names.join(', ')}` : 'no jobs are defined');
  }

  protected requireQueue(queue: string): void {
    if (!Object.hasOwn(this.config.queues, queue)) {
      throw new NotFoundError('queue', formatValue(queue).replace(/^"|"$/g, ''), `known queues: ${Object.keys(this.config.queues).join(', ')}`);
    }
  }

  /** The config jobs' names, quoted, for error messages. */
  protected configJobNames(): string {
    const names = [...this.configJobs.keys()];
    return names.length ? names.map((n) => `"${n}"`).join(', ') : '(the config has no jobs)';
  }

  /** The code of config job `handler`, when `handler` names one (a runtime job reusing deployed code). */
  protected configCode(handler: unknown): (JobCode & { readonly name: string }) | undefined {
    const ref = typeof handler === 'string' ? this.configJobs.get(handler) : undefined;
    return ref ? { name: ref.name, handler: ref.handler, hooks: ref.hooks } : undefined;
  }

  private async sendRun(job: ResolvedJob, message: RunMessage, delayMs: number): Promise<EnqueueResult> {
    await this.send(await this.ports(), message, { queue: job.queue, delayMs, priority: message.priority ?? job.priority });
    return { runId: message.runId, jobName: job.name, queue: job.queue, runAt: new Date(this.now() + delayMs) };
  }

  private async setPaused(name: string, paused: boolean): Promise<void> {
    await this.require(name);
    const { stores, jobs, scheduler } = await this.ports();
    const record = await stores.jobState.get(name);
    await stores.jobState.put({ ...(record ?? { name }), paused, updatedAtMs: this.now() });
    jobs.invalidate(name);
    await scheduler.setEnabled(name, !paused);
  }

  private deadLetterClient(): DeadLetterClient {
    const store = async () => (await this.ports()).stores.deadLetters;
    const getEntry = async (id: string): Promise<DeadLetterEntry> => {
      const entry = await (await store()).get(id);
      if (!entry) throw new NotFoundError('dead-letter entry', id);
      return entry;
    };
    const retry = async (entry: DeadLetterEntry): Promise<EnqueueResult> => {
      const { job } = await this.require(entry.jobName);
      const result = await this.sendRun(job, enqueueMessage(job.name, entry.args, this.now(), { source: 'deadLetter' }), 0);
      await (await store()).delete(entry.id);
      this.telemetry.emit('deadLetter:retry', { measurements: { count: 1 }, metadata: { id: entry.id, job: job.name, queue: job.queue } });
      return result;
    };
    return {
      list: async (opts = {}) => (await store()).list(opts),
      get: getEntry,
      retry: async (id) => retry(await getEntry(id)),
      retryAll: async (opts = {}) => {
        const { jobs } = await this.ports();
        const out: EnqueueResult[] = [];
        for (const entry of await (await store()).list(opts)) {
          // An entry naming a job that no longer exists is left in place.
          if (!(await jobs.get(entry.jobName))) {
            this.skippedDeadLetter(entry);
            continue;
          }
          out.push(await retry(entry));
        }
        return out;
      },
      delete: async (id) => {
        if (!(await (await store()).delete(id))) throw new NotFoundError('dead-letter entry', id);
      },
      prune: async (opts = {}) => {
        const before = opts.before ?? new Date(this.now() - this.config.deadLetter.maxAgeMs);
        if (!(before instanceof Date) || Number.isNaN(before.getTime())) {
          throw new ConfigError({ subject: { kind: 'config' }, field: 'deadLetter.prune.before', value: before, expected: 'be a valid Date' });
        }
        const { stores } = await this.ports();
        return pruneDeadLetters({ stores, telemetry: this.telemetry }, before.getTime(), 'manual');
      },
      stats: async () => deadLetterStats(await (await store()).list()),
    };
  }
}

function toRunningJob(r: RunRecordEntry): RunningJob {
  return {
    runId: r.runId,
    jobName: r.jobName,
    queue: r.queue,
    attempt: r.attempt,
    startedAt: new Date(r.startedAtMs),
    ...(r.scheduledAtMs !== undefined ? { scheduledAt: new Date(r.scheduledAtMs) } : {}),
  };
}
