/**
 * Public types: job definitions as users write them, the resolved form the engines use,
 * and the shapes the runtime client returns (API.md, field for field).
 */
import type { Duration } from './duration.ts';

export type RetryBackoff = 'fixed' | 'linear' | 'exponential';
export type OnError = 'continue' | 'stop' | 'raise';
export type EveryUnit = 'second' | 'seconds' | 'minute' | 'minutes' | 'hour' | 'hours' | 'day' | 'days';
export type Every = readonly [number, EveryUnit];

/** Everything about a job except its name and code. All optional; defaults in {@link JOB_DEFAULTS}. */
export interface JobOptions {
  /** Standard 5-field cron, or several. @default none (on-demand unless `every` is set) */
  readonly cron?: string | readonly string[];
  /** Fixed interval, e.g. `[5, 'minutes']`; sub-minute intervals dividing 60 s work. @default none */
  readonly every?: Every;
  /** IANA time zone the cron is read in. @default 'UTC' */
  readonly timezone?: string;
  /** A key of the config's `queues`. @default 'default' */
  readonly queue?: string;
  /** Per-attempt limit; the handler's abort signal fires when it elapses. At most 15 minutes. @default 60 s */
  readonly timeout?: Duration;
  /** 0..9, lower runs first within a queue. @default 0 */
  readonly priority?: number;
  /** Retries after the first attempt. @default 3 */
  readonly maxRetries?: number;
  /** Base delay between attempts. @default 1 s */
  readonly retryDelay?: Duration;
  /** fixed: retryDelay; linear: retryDelay × attempt; exponential: retryDelay × 2^(attempt−1). @default 'exponential' */
  readonly retryBackoff?: RetryBackoff;
  /** Cap on any retry delay. @default 60 s */
  readonly retryMaxDelay?: Duration;
  /** Random spread as a fraction of the delay, 0..1: delay × (1 ± jitter). @default 0.25 */
  readonly retryJitter?: number;
  /** No overlapping runs: a run that would overlap is skipped (recorded as `discarded`). @default false */
  readonly unique?: boolean;
  /** With `unique`: at most one run starts within this period. @default none (while running) */
  readonly uniquePeriod?: Duration;
  /** @default [] */
  readonly tags?: readonly string[];
  /** Free-form metadata, copied into telemetry. @default {} */
  readonly meta?: Readonly<Record<string, unknown>>;
  /** After the final failure: continue (keep schedule), stop (pause the job), raise (surface the error). @default 'continue' */
  readonly onError?: OnError;
  /** Whether final failures land in the dead-letter store. @default true */
  readonly deadLetter?: boolean;
  /** One run per tick across every runtime sharing the store (else one per runtime). @default true */
  readonly global?: boolean;
}

/** What a handler receives. */
export interface JobContext<A = unknown> {
  /** The job's resolved definition (name, queue, tags, meta, ...). */
  readonly job: JobInfo;
  /** Arguments given to `enqueue` (or `{}` for scheduled runs). */
  readonly args: A;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Identifies the run across its attempts. */
  readonly runId: string;
  /** The tick this run belongs to, for scheduled runs. */
  readonly scheduledAt?: Date;
  /** Fires on timeout (reason: JobTimeoutError) or cancellation (reason: JobCancelledError). */
  readonly signal: AbortSignal;
}

export type JobHandler<A = unknown> = (ctx: JobContext<A>) => unknown;

/** Lifecycle hooks (the `Worker` class methods of the same names map here). */
export interface JobHooks {
  readonly onStart?: (job: JobInfo, ctx: JobContext) => unknown;
  readonly onSuccess?: (job: JobInfo, result: unknown, ctx: JobContext) => unknown;
  /** After the final failure (retries exhausted), before the dead-letter insert. */
  readonly onFailure?: (job: JobInfo, error: Error, ctx: JobContext) => unknown;
  readonly onCancel?: (job: JobInfo, reason: string, ctx: JobContext) => unknown;
}

/** A job as `defineJob` accepts it. */
export interface JobDefinition<A = unknown> extends JobOptions, JobHooks {
  readonly name: string;
  readonly handler: JobHandler<A>;
}

/** A compiled EventBridge Scheduler expression, exactly as deployed. */
export interface CompiledSchedule {
  /** `cron(0 6 * * ? *)`, `rate(5 minutes)`. */
  readonly expression: string;
  /** IANA time zone (`ScheduleExpressionTimezone`). */
  readonly timezone: string;
  /** The user's source string (`0 6 * * *`, `every 30 seconds`). */
  readonly source: string;
  /** Sub-minute `every`: each firing fans out into these SQS delays (seconds), e.g. [0, 30]. */
  readonly fanOutDelaysSeconds?: readonly number[];
}

/** Public, read-only view of a resolved job. */
export interface JobInfo {
  readonly name: string;
  readonly queue: string;
  readonly timezone: string;
  readonly cron: readonly string[];
  readonly every?: Every;
  readonly schedules: readonly CompiledSchedule[];
  readonly timeoutMs: number;
  readonly priority: number;
  readonly maxRetries: number;
  readonly retryDelayMs: number;
  readonly retryBackoff: RetryBackoff;
  readonly retryMaxDelayMs: number;
  readonly retryJitter: number;
  readonly unique: boolean;
  readonly uniquePeriodMs?: number;
  readonly tags: readonly string[];
  readonly meta: Readonly<Record<string, unknown>>;
  readonly onError: OnError;
  readonly deadLetter: boolean;
  readonly global: boolean;
  /** `config` for jobs in the config file, `runtime` for jobs added by `insert`. */
  readonly origin: 'config' | 'runtime';
}

/** A job the engines can run: its info plus code. */
export interface ResolvedJob extends JobInfo {
  readonly handler: JobHandler<any>;
  readonly hooks: JobHooks;
}

export interface DeadLetterConfig {
  /** @default true */
  readonly enabled?: boolean;
  /** Entries older than this are pruned. @default [30, 'days'] */
  readonly maxAge?: Duration;
  /** Oldest entries beyond this count are pruned. @default 10_000 */
  readonly maxEntries?: number;
  /** Called after each insert. */
  readonly onDeadLetter?: (entry: DeadLetterEntry) => unknown;
}

/** The resolved, validated config both engines and the CDK app consume. */
export interface ResolvedConfig {
  readonly app: string;
  /** queue name -> concurrency (1..1000). Always contains `default`. */
  readonly queues: Readonly<Record<string, number>>;
  readonly deadLetter: {
    readonly enabled: boolean;
    readonly maxAgeMs: number;
    readonly maxEntries: number;
    readonly onDeadLetter?: (entry: DeadLetterEntry) => unknown;
  };
  readonly jobs: readonly ResolvedJob[];
  readonly workflows: readonly unknown[];
}

// ---- Shapes returned by the runtime client (API.md) ----

export type RunResult = 'ok' | 'error' | 'retry' | 'cancelled' | 'discarded' | 'timeout';

export interface HistoryEntry {
  readonly runId: string;
  readonly jobName: string;
  readonly attempt: number;
  readonly scheduledAt?: Date;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly durationMs: number;
  readonly result: RunResult;
  readonly error?: { readonly type: string; readonly message: string };
  readonly queue?: string;
  /** For `retry`: when the next attempt is due. */
  readonly nextAttemptAt?: Date;
}

export interface JobStatus {
  readonly name: string;
  readonly state: 'active' | 'paused';
  readonly lastRunAt: Date | null;
  readonly nextRunAt: Date | null;
  readonly runCount: number;
  readonly errorCount: number;
  readonly lastResult: RunResult | null;
  readonly lastError: { readonly type: string; readonly message: string } | null;
  readonly queue?: string;
}

export interface QueueStat {
  readonly running: number;
  readonly pending: number;
  readonly paused: boolean;
  readonly concurrency: number;
}
export type QueueStats = Readonly<Record<string, QueueStat>>;

export interface DeadLetterEntry {
  readonly id: string;
  readonly jobName: string;
  readonly queue: string;
  readonly args: unknown;
  readonly error: { readonly type: string; readonly message: string };
  readonly errorClass: string;
  readonly attempts: number;
  readonly firstFailedAt: Date;
  readonly lastFailedAt: Date;
  readonly stacktrace: string | null;
  readonly runId?: string;
  readonly scheduledAt?: Date;
}

export interface DeadLetterStats {
  readonly total: number;
  readonly byJob: Readonly<Record<string, number>>;
  readonly byQueue: Readonly<Record<string, number>>;
  readonly byErrorClass: Readonly<Record<string, number>>;
  readonly oldest: Date | null;
  readonly newest: Date | null;
}

export interface RunningJob {
  readonly runId: string;
  readonly jobName: string;
  readonly queue: string;
  readonly attempt: number;
  readonly startedAt: Date;
  readonly scheduledAt?: Date;
}

export interface EnqueueOptions {
  /** Run no earlier than this far in the future. */
  readonly delay?: Duration;
  /** Override the job's priority for this run. */
  readonly priority?: number;
}

export interface EnqueueResult {
  readonly runId: string;
  readonly jobName: string;
  readonly queue: string;
  readonly runAt: Date;
}

export interface ListJobsFilter {
  readonly queue?: string;
  readonly tags?: readonly string[];
}

/** Patch for `update(name, patch)`: any job option, or a new handler. */
export type JobPatch = JobOptions & { readonly handler?: JobHandler<any> };

/** The runtime client: one interface, two engines (local and AWS). */
export interface RuntimeClient {
  insert(def: JobDefinition<any> | (JobOptions & { name: string; handler?: string })): Promise<JobInfo>;
  getJob(name: string): Promise<JobInfo>;
  listJobs(filter?: ListJobsFilter): Promise<JobInfo[]>;
  update(name: string, patch: JobPatch): Promise<JobInfo>;
  delete(name: string): Promise<void>;
  pauseJob(name: string): Promise<void>;
  resumeJob(name: string): Promise<void>;
  runNow(name: string, args?: unknown): Promise<EnqueueResult>;
  cancelJob(name: string, opts?: { reason?: string }): Promise<number>;
  enqueue(name: string, args?: unknown, opts?: EnqueueOptions): Promise<EnqueueResult>;
  pauseQueue(queue: string): Promise<void>;
  resumeQueue(queue: string): Promise<void>;
  scaleQueue(queue: string, concurrency: number): Promise<void>;
  queueStats(): Promise<QueueStats>;
  runningJobs(): Promise<RunningJob[]>;
  history(name: string, opts?: { limit?: number; since?: Date }): Promise<HistoryEntry[]>;
  status(name: string): Promise<JobStatus>;
  readonly deadLetter: DeadLetterClient;
}

export interface DeadLetterClient {
  list(opts?: { limit?: number; queue?: string; errorClass?: string; jobName?: string }): Promise<DeadLetterEntry[]>;
  get(id: string): Promise<DeadLetterEntry>;
  /** Re-enqueues the entry's job with its args (attempts start again) and removes the entry. */
  retry(id: string): Promise<EnqueueResult>;
  retryAll(opts?: { queue?: string; jobName?: string }): Promise<EnqueueResult[]>;
  delete(id: string): Promise<void>;
  /** Removes entries that failed last before `before` (default: older than maxAge). Returns the count. */
  prune(opts?: { before?: Date }): Promise<number>;
  stats(): Promise<DeadLetterStats>;
}
