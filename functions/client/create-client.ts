/**
 * `createClient(config, { env })`: the {@link RuntimeClient} of a deployed environment. It
 * behaves like the local runtime (`shared/engine/local-runtime.ts`) over the AWS adapters, and
 * loads the AWS SDK only on its first call, so importing it costs local users nothing.
 *
 * Decisions:
 * - Code is what was deployed. `insert` takes `handler: '<config job>'` (that job's deployed
 *   handler runs with the new options); functions are refused with the deployed names listed.
 * - Pause: the job-state record's `paused` flag is the truth; the schedules are also DISABLED to
 *   save deliveries. A later `cdk deploy` that touches a schedule sets it ENABLED again, but the
 *   worker skips ticks of paused jobs, so the job stays paused — until `resumeJob`.
 * - `queueStats().running` counts the run registry (runs in progress), not
 *   ApproximateNumberOfMessagesNotVisible, which also counts retries waiting out a nack delay.
 *   `pending` = visible + delayed messages.
 * - `status().nextRunAt` comes from the job's compiled schedules; `rate()` is counted from now
 *   (EventBridge anchors it at schedule creation, which the port does not expose).
 */
import { resolveJob } from '../../shared/config/define-config.ts';
import { MAX_QUEUE_CONCURRENCY, MIN_QUEUE_CONCURRENCY } from '../../shared/config/job-defaults.ts';
import { parseDuration } from '../../shared/duration.ts';
import { pruneDeadLetters } from '../../shared/engine/dead-letters.ts';
import { toJobInfo, toJobOptions } from '../../shared/engine/job-info.ts';
import { type JobRegistry, type RegisteredJob, configMaterializer, createJobRegistry } from '../../shared/engine/job-registry.ts';
import { MAX_QUEUE_DELAY_MS } from '../../shared/engine/job-runner.ts';
import { ConfigError, ConflictError, NotFoundError, formatValue, jobIssue } from '../../shared/errors.ts';
import { enqueueMessage } from '../../shared/messages.ts';
import { isValidEnvName, ENV_NAME_RULE, resourceNames, type ResourceNames } from '../../shared/naming.ts';
import type { RunMessage } from '../../shared/ports.ts';
import { nextRunAfter } from '../../shared/schedule/next-runs.ts';
import { telemetry } from '../../shared/telemetry.ts';
import type {
  DeadLetterClient,
  DeadLetterEntry,
  EnqueueOptions,
  EnqueueResult,
  HistoryEntry,
  JobDefinition,
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
} from '../../shared/types.ts';
import type { ApiCallCounter } from '../adapters/api-call-counter.ts';
import type { AwsCredentials, AwsPorts } from '../adapters/aws-ports.ts';
import type { EventSourceControl } from '../adapters/event-source-control.ts';

/** The data-plane ports plus the queue control plane. */
type ClientPorts = AwsPorts & { readonly control: EventSourceControl };
import { accountOfQueueUrl, deadLetterStats, hookNames, rejectCode, serializable } from './client-helpers.ts';

export interface AwsClientOptions {
  /** The deployed environment (`dev`, `prod`, …). */
  readonly env: string;
  /** @default the SDK's (AWS_REGION) */
  readonly region?: string;
  /** e.g. `http://127.0.0.1:4566` for the emulator. @default the SDK's */
  readonly endpoint?: string;
  /** @default the SDK's credential chain */
  readonly credentials?: AwsCredentials;
  /** Counts the client's AWS calls. */
  readonly counter?: ApiCallCounter;
}

const PRIORITY_RULE = 'be an integer from 0 to 9 (0 runs first)';
const DELAY_RULE = "be a duration of 0 or more: ms, or [n, unit] such as [5, 'minutes']";

/**
 * @example
 * import { createClient } from 'om-scheduler';
 * import config from './scheduler.config.ts';
 *
 * const client = createClient(config, { env: 'prod', region: 'eu-west-1' });
 * await client.pauseJob('daily_report');
 * console.log(await client.status('daily_report'));
 */
export function createClient(config: ResolvedConfig, opts: AwsClientOptions): RuntimeClient {
  if (!isValidEnvName(opts.env)) {
    throw new ConfigError({ subject: { kind: 'config' }, field: 'env', value: opts.env, expected: ENV_NAME_RULE });
  }
  return new AwsRuntimeClient(config, opts);
}

class AwsRuntimeClient implements RuntimeClient {
  readonly deadLetter: DeadLetterClient;
  private readonly names: ResourceNames;
  private readonly configJobs: Map<string, ResolvedJob>;
  private portsPromise: Promise<{ ports: ClientPorts; jobs: JobRegistry }> | undefined;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly opts: AwsClientOptions,
  ) {
    this.names = resourceNames(config.app, opts.env);
    this.configJobs = new Map(config.jobs.map((j) => [j.name, j] as const));
    this.deadLetter = this.deadLetterClient();
  }

  // ------------------------------------------------------------------ jobs

  async insert(def: JobDefinition<any> | (JobOptions & { name: string; handler?: string })): Promise<JobInfo> {
    const { ports, jobs } = await this.ports();
    const name = (def as { name?: unknown }).name;
    if (typeof name !== 'string' || name === '') throw new ConfigError(jobIssue(String(name ?? '(unnamed)'), 'name', name, 'be a non-empty string'));
    if (await jobs.get(name)) throw new ConflictError(`job "${name}" already exists; change it with update("${name}", patch) or delete it first`);
    const fields = def as unknown as Record<string, unknown>;
    rejectCode(name, fields, this.deployedNames());
    const { handler, ...options } = fields;
    const ref = typeof handler === 'string' ? this.configJobs.get(handler) : undefined;
    if (!ref) {
      throw new ConfigError(jobIssue(name, 'handler', handler, `name a deployed config job whose handler runs: ${this.deployedNames()}`));
    }
    const job = resolveJob({ ...options, name, handler: ref.handler, ...ref.hooks } as JobDefinition<any>, this.config, 'runtime');
    await ports.stores.jobState.put({ name, paused: false, definition: serializable(options), handlerRef: ref.name, updatedAtMs: Date.now() });
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
    return (await jobs.list()).map((r) => toJobInfo(r.job)).filter((j) => (filter.queue === undefined || j.queue === filter.queue) && tags.every((t) => j.tags.includes(t)));
  }

  async update(name: string, patch: JobPatch): Promise<JobInfo> {
    const { job, paused } = await this.require(name);
    const { ports, jobs } = await this.ports();
    const changes = { ...(patch as Record<string, unknown>) };
    rejectCode(name, changes, this.deployedNames());
    for (const hook of hookNames(changes)) delete changes[hook];
    delete changes['handler'];
    if ('name' in changes && changes['name'] !== name) throw new ConfigError(jobIssue(name, 'name', changes['name'], `stay "${name}" (rename with insert + delete)`));
    const current: Record<string, unknown> = { ...toJobOptions(job) };
    // As locally: cron and every replace each other; turning `unique` off drops its period.
    if (changes['cron'] !== undefined) delete current['every'];
    if (changes['every'] !== undefined) delete current['cron'];
    if (changes['unique'] === false && !('uniquePeriod' in changes)) delete current['uniquePeriod'];
    const options = { ...current, ...changes };
    const updated = resolveJob({ ...options, name, handler: job.handler, ...job.hooks } as JobDefinition<any>, this.config, job.origin);
    const record = await ports.stores.jobState.get(name);
    await ports.stores.jobState.put({ ...(record ?? {}), name, paused, definition: serializable(options), updatedAtMs: Date.now() });
    jobs.invalidate(name);
    await this.putSchedules(updated, paused);
    return toJobInfo(updated);
  }

  async delete(name: string): Promise<void> {
    await this.require(name);
    const { ports, jobs } = await this.ports();
    if (this.configJobs.has(name)) await ports.stores.jobState.put({ name, paused: false, deleted: true, updatedAtMs: Date.now() });
    else await ports.stores.jobState.delete(name);
    jobs.invalidate(name);
    await ports.scheduler.deleteSchedules(name);
  }

  async pauseJob(name: string): Promise<void> {
    await this.setPaused(name, true);
  }

  async resumeJob(name: string): Promise<void> {
    await this.setPaused(name, false);
  }

  async runNow(name: string, args?: unknown): Promise<EnqueueResult> {
    const { job } = await this.require(name);
    return this.sendRun(job, enqueueMessage(name, args, Date.now(), { source: 'runNow' }), 0);
  }

  async enqueue(name: string, args?: unknown, opts: EnqueueOptions = {}): Promise<EnqueueResult> {
    const { job } = await this.require(name);
    const delayMs = opts.delay === undefined ? 0 : parseDuration(opts.delay);
    if (delayMs === undefined || delayMs < 0) throw new ConfigError(jobIssue(name, 'delay', opts.delay, DELAY_RULE));
    const priority = opts.priority;
    if (priority !== undefined && !(Number.isInteger(priority) && priority >= 0 && priority <= 9)) throw new ConfigError(jobIssue(name, 'priority', priority, PRIORITY_RULE));
    return this.sendRun(job, enqueueMessage(name, args, Date.now(), priority === undefined ? {} : { priority }), delayMs);
  }

  async cancelJob(name: string, opts: { reason?: string } = {}): Promise<number> {
    await this.require(name);
    const { ports } = await this.ports();
    const reason = opts.reason ?? 'cancelled';
    let count = 0;
    // The worker polls the registry (every second) and aborts the handler's signal.
    for (const run of await ports.stores.runs.list(Date.now())) {
      if (run.jobName === name && (await ports.stores.runs.requestCancel(run.runId, reason))) count++;
    }
    return count;
  }

  // ------------------------------------------------------------------ queues

  async pauseQueue(queue: string): Promise<void> {
    this.requireQueue(queue);
    await (await this.ports()).ports.control.pause(queue);
  }

  async resumeQueue(queue: string): Promise<void> {
    this.requireQueue(queue);
    await (await this.ports()).ports.control.resume(queue);
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
    const { control } = (await this.ports()).ports;
    const from = (await control.getState(queue)).concurrency;
    await control.setConcurrency(queue, concurrency);
    telemetry.emit('queue:scale', { measurements: { from, to: concurrency }, metadata: { queue } });
  }

  async queueStats(): Promise<QueueStats> {
    const { ports } = await this.ports();
    const running = await ports.stores.runs.list(Date.now());
    const entries = await Promise.all(
      Object.keys(this.config.queues).map(async (name) => {
        const [counts, state] = await Promise.all([ports.queue.counts(name), ports.control.getState(name)]);
        const stat = { running: running.filter((r) => r.queue === name).length, pending: counts.pending + counts.delayed, paused: state.paused, concurrency: state.concurrency };
        return [name, stat] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  // ------------------------------------------------------------------ introspection

  async runningJobs(): Promise<RunningJob[]> {
    const { ports } = await this.ports();
    return (await ports.stores.runs.list(Date.now())).map((r) => ({
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
    if (opts.limit !== undefined && !(Number.isInteger(opts.limit) && opts.limit >= 1)) throw new ConfigError(jobIssue(name, 'limit', opts.limit, 'be an integer of 1 or more'));
    const { ports } = await this.ports();
    return ports.stores.history.list(name, { ...(opts.limit !== undefined ? { limit: opts.limit } : {}), ...(opts.since ? { sinceMs: opts.since.getTime() } : {}) });
  }

  async status(name: string): Promise<JobStatus> {
    const { job, paused } = await this.require(name);
    const { ports } = await this.ports();
    const counters = await ports.stores.history.getCounters(name);
    const now = Date.now();
    const next = paused || job.schedules.length === 0 ? null : nextRunAfter(job.schedules, now, { anchorMs: now });
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

  /** Loads the SDK and builds the adapters on first use (dynamic import: nothing at module load). */
  private ports(): Promise<{ ports: ClientPorts; jobs: JobRegistry }> {
    this.portsPromise ??= this.buildPorts().catch((error: unknown) => {
      this.portsPromise = undefined;
      throw error;
    });
    return this.portsPromise;
  }

  private async buildPorts(): Promise<{ ports: ClientPorts; jobs: JobRegistry }> {
    const [{ createAwsPorts }, { createQueueControl }, { SQSClient, GetQueueUrlCommand }] = await Promise.all([
      import('../adapters/aws-ports.ts'),
      import('../adapters/aws-control.ts'),
      import('@aws-sdk/client-sqs'),
    ]);
    const { region, endpoint, credentials } = this.opts;
    const clientConfig = { ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}), ...(credentials ? { credentials } : {}) };
    const sqs = new SQSClient(clientConfig);
    const resolvedRegion = await sqs.config.region();
    // Queue URLs carry the account id: every ARN the client needs follows from names + account.
    const urls = await Promise.all(
      Object.keys(this.config.queues).map(async (q) => {
        try {
          const res = await sqs.send(new GetQueueUrlCommand({ QueueName: this.names.queue(q) }));
          return [q, res.QueueUrl!] as const;
        } catch (error) {
          throw new NotFoundError('queue', this.names.queue(q), `is environment "${this.opts.env}" of app "${this.config.app}" deployed in ${resolvedRegion}? (${(error as Error).name})`);
        }
      }),
    );
    sqs.destroy();
    const account = accountOfQueueUrl(urls[0]![1]);
    const arn = (service: string, resource: string) => `arn:aws:${service}:${resolvedRegion}:${account}:${resource}`;
    const queues = Object.fromEntries(urls.map(([q, url]) => [q, { url, arn: arn('sqs', this.names.queue(q)) }]));
    const ports = createAwsPorts({
      ...clientConfig,
      names: this.names,
      queues,
      schedulerRoleArn: `arn:aws:iam::${account}:role/${this.names.schedulerRole}`,
      scheduleDlqArn: arn('sqs', this.names.scheduleDlq),
      ...(this.opts.counter ? { counter: this.opts.counter } : {}),
    });
    const { control } = createQueueControl({ ...clientConfig, names: this.names, ...(this.opts.counter ? { counter: this.opts.counter } : {}) }, ports.directory);
    const jobs = createJobRegistry({ jobs: this.config.jobs, jobState: ports.stores.jobState, materialize: configMaterializer(this.config) });
    return { ports: { ...ports, control }, jobs };
  }

  private async sendRun(job: ResolvedJob, message: RunMessage, delayMs: number): Promise<EnqueueResult> {
    const { ports } = await this.ports();
    const priority = message.priority ?? job.priority;
    telemetry.emit('queue:push', { measurements: { delay: delayMs }, metadata: { queue: job.queue, job: job.name, runId: message.runId, priority } });
    if (delayMs > MAX_QUEUE_DELAY_MS) await ports.scheduler.scheduleOnce(job.queue, message, Date.now() + delayMs);
    else await ports.queue.send(job.queue, message, { ...(delayMs > 0 ? { delayMs } : {}), priority });
    return { runId: message.runId, jobName: job.name, queue: job.queue, runAt: new Date(Date.now() + delayMs) };
  }

  private async putSchedules(job: ResolvedJob, paused: boolean): Promise<void> {
    const { ports } = await this.ports();
    if (job.schedules.length === 0) await ports.scheduler.deleteSchedules(job.name);
    else await ports.scheduler.putSchedules({ job: job.name, queue: job.queue }, job.schedules, !paused);
  }

  private async setPaused(name: string, paused: boolean): Promise<void> {
    await this.require(name);
    const { ports, jobs } = await this.ports();
    const record = await ports.stores.jobState.get(name);
    await ports.stores.jobState.put({ ...(record ?? { name }), paused, updatedAtMs: Date.now() });
    jobs.invalidate(name);
    await ports.scheduler.setEnabled(name, !paused);
  }

  private async require(name: string): Promise<RegisteredJob> {
    const { jobs } = await this.ports();
    const found = typeof name === 'string' ? await jobs.get(name) : undefined;
    if (found) return found;
    const names = (await jobs.list()).map((j) => j.job.name);
    throw new NotFoundError('job', String(name), names.length ? `known jobs: ${names.join(', ')}` : 'no jobs are defined');
  }

  private requireQueue(queue: string): void {
    if (!Object.hasOwn(this.config.queues, queue)) {
      throw new NotFoundError('queue', formatValue(queue).replace(/^"|"$/g, ''), `known queues: ${Object.keys(this.config.queues).join(', ')}`);
    }
  }

  private deployedNames(): string {
    const names = [...this.configJobs.keys()];
    return names.length ? names.map((n) => `"${n}"`).join(', ') : '(the config has no jobs)';
  }

  private deadLetterClient(): DeadLetterClient {
    const store = async () => (await this.ports()).ports.stores.deadLetters;
    const getEntry = async (id: string): Promise<DeadLetterEntry> => {
      const entry = await (await store()).get(id);
      if (!entry) throw new NotFoundError('dead-letter entry', id);
      return entry;
    };
    const retry = async (entry: DeadLetterEntry): Promise<EnqueueResult> => {
      const { job } = await this.require(entry.jobName);
      const result = await this.sendRun(job, enqueueMessage(job.name, entry.args, Date.now(), { source: 'deadLetter' }), 0);
      await (await store()).delete(entry.id);
      telemetry.emit('deadLetter:retry', { measurements: { count: 1 }, metadata: { id: entry.id, job: job.name, queue: job.queue } });
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
          if (!(await jobs.get(entry.jobName))) continue; // names a job that no longer exists: left in place
          out.push(await retry(entry));
        }
        return out;
      },
      delete: async (id) => {
        if (!(await (await store()).delete(id))) throw new NotFoundError('dead-letter entry', id);
      },
      prune: async (opts = {}) => {
        const before = opts.before ?? new Date(Date.now() - this.config.deadLetter.maxAgeMs);
        if (!(before instanceof Date) || Number.isNaN(before.getTime())) {
          throw new ConfigError({ subject: { kind: 'config' }, field: 'deadLetter.prune.before', value: before, expected: 'be a valid Date' });
        }
        const { ports } = await this.ports();
        return pruneDeadLetters({ stores: ports.stores, telemetry }, before.getTime(), 'manual');
      },
      stats: async () => deadLetterStats(await (await store()).list()),
    };
  }
}
