/**
 * Ports: what job semantics need from the world. Each has an in-memory adapter
 * (`shared/adapters/memory`, the local engine's product code) and an AWS adapter
 * (`functions/adapters`), and one conformance suite (`test/conformance`) run against both.
 *
 * Times crossing a port are epoch milliseconds (numbers); the client API converts to `Date`.
 */
import type { CompiledSchedule, DeadLetterEntry, HistoryEntry, RunResult } from './types.ts';

// ---------------------------------------------------------------- clock

export interface TimerHandle {
  readonly id: number;
}

/** Time and timers. The real clock uses `Date.now`/`setTimeout`; `virtualClock()` advances on demand. */
export interface Clock {
  now(): number;
  /**
   * Calls `fn` once the clock reaches `atMs` (soon if already past). `background` timers
   * (recurring schedule ticks) do not keep a virtual clock's `runUntilIdle()` going.
   */
  setTimer(atMs: number, fn: () => void, opts?: { readonly background?: boolean }): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** Source of randomness for jitter and ids; injectable for deterministic tests. */
export type RandomSource = () => number;

// ---------------------------------------------------------------- messages on a queue

/** The one message format on every queue (SQS body as JSON; in-memory as object). */
export interface RunMessage {
  readonly v: 1;
  readonly job: string;
  /** Stable across the attempts of one run; for ticks derived from job + scheduled time. */
  readonly runId: string;
  readonly attempt: number;
  readonly args?: unknown;
  /** ISO time of the schedule tick (scheduled runs only). */
  readonly scheduledAt?: string;
  /** ISO time the run was first enqueued. */
  readonly enqueuedAt: string;
  readonly priority?: number;
  readonly source: 'schedule' | 'enqueue' | 'runNow' | 'retry' | 'deadLetter';
  /** ISO time of the first failure, carried across retries for the dead-letter entry. */
  readonly firstFailedAt?: string;
  /**
   * Sub-minute `every`: the scheduler delivers one tick per minute; the core fans it out into
   * one delayed message per offset, each marked `fannedOut` (so it is not fanned out again).
   */
  readonly fannedOut?: boolean;
}

// ---------------------------------------------------------------- queue

export interface SendOptions {
  /** Deliver no earlier than this many ms from now. */
  readonly delayMs?: number;
  /** 0..9, lower first. */
  readonly priority?: number;
}

export interface ReceivedMessage {
  readonly message: RunMessage;
  /** Opaque handle for ack/nack (SQS receipt handle locally an id). */
  readonly receipt: string;
  /** How many times this message has been received (1 on first delivery). */
  readonly receiveCount: number;
}

export interface QueueCounts {
  readonly pending: number;
  readonly inFlight: number;
  readonly delayed: number;
}

/** Per-queue message transport (SQS; in-memory). Unknown queue names reject with NotFoundError. */
export interface QueuePort {
  send(queue: string, message: RunMessage, opts?: SendOptions): Promise<void>;
  /** Up to `max` visible messages, lowest priority value first, then oldest. Received messages become invisible. */
  receive(queue: string, max: number, visibilityMs: number): Promise<ReceivedMessage[]>;
  /** Processing finished: remove the message. */
  ack(queue: string, receipt: string): Promise<void>;
  /** Processing failed or was deferred: make the message visible again after `delayMs`. */
  nack(queue: string, receipt: string, delayMs: number): Promise<void>;
  counts(queue: string): Promise<QueueCounts>;
  /** Remove every message (tests, `deleteQueue` of a runtime-inserted queue). */
  purge(queue: string): Promise<void>;
}

/** Queue control plane: consumption on/off and concurrency (event source mapping; worker pool). */
export interface QueueControlPort {
  pause(queue: string): Promise<void>;
  resume(queue: string): Promise<void>;
  setConcurrency(queue: string, concurrency: number): Promise<void>;
  getState(queue: string): Promise<{ readonly paused: boolean; readonly concurrency: number }>;
}

// ---------------------------------------------------------------- scheduler

export interface ScheduleTarget {
  readonly queue: string;
  readonly job: string;
}

/** Recurring schedules and one-time delayed deliveries (EventBridge Scheduler; clock timers). */
export interface SchedulerPort {
  /** Create or replace all schedules of `job`. */
  putSchedules(target: ScheduleTarget, schedules: readonly CompiledSchedule[], enabled: boolean): Promise<void>;
  deleteSchedules(job: string): Promise<void>;
  setEnabled(job: string, enabled: boolean): Promise<void>;
  getSchedules(job: string): Promise<{ readonly schedules: readonly CompiledSchedule[]; readonly enabled: boolean } | undefined>;
  listJobs(): Promise<string[]>;
  /** Deliver `message` to `queue` at `atMs` (used for delays beyond SQS's 15 minutes). Returns an id. */
  scheduleOnce(queue: string, message: RunMessage, atMs: number): Promise<string>;
  cancelOnce(id: string): Promise<void>;
}

// ---------------------------------------------------------------- stores

/** Conditional, expiring keys: tick claims (exactly-once), unique locks. */
export interface LockStore {
  /** Succeeds (true) iff `key` is absent or expired at `nowMs`; then holds it until `expiresAtMs`. */
  acquire(key: string, owner: string, nowMs: number, expiresAtMs: number): Promise<boolean>;
  /** Releases `key` if `owner` holds it; returns whether it did. */
  release(key: string, owner: string): Promise<boolean>;
  /** Moves the expiry of a held key (e.g. keep a unique lock for `uniquePeriod` after the run). */
  extend(key: string, owner: string, expiresAtMs: number): Promise<boolean>;
  get(key: string, nowMs: number): Promise<{ readonly owner: string; readonly expiresAtMs: number } | undefined>;
}

export interface HistoryQuery {
  readonly limit?: number;
  readonly sinceMs?: number;
}

/** Run history (newest first) and per-job counters updated atomically. */
export interface HistoryStore {
  append(entry: HistoryEntry): Promise<void>;
  list(jobName: string, query?: HistoryQuery): Promise<HistoryEntry[]>;
  /** Atomic: runCount += 1, errorCount += isError, last* set. */
  recordResult(jobName: string, update: RunRecord): Promise<void>;
  getCounters(jobName: string): Promise<JobCounters | undefined>;
  deleteJob(jobName: string): Promise<void>;
}

export interface RunRecord {
  readonly atMs: number;
  readonly result: RunResult;
  readonly error?: { readonly type: string; readonly message: string };
}

export interface JobCounters {
  readonly runCount: number;
  readonly errorCount: number;
  readonly lastRunAtMs: number | null;
  readonly lastResult: RunResult | null;
  readonly lastError: { readonly type: string; readonly message: string } | null;
}

export interface DeadLetterQuery {
  readonly limit?: number;
  readonly queue?: string;
  readonly errorClass?: string;
  readonly jobName?: string;
}

/** Dead-letter entries, newest (by lastFailedAt) first. */
export interface DeadLetterStore {
  put(entry: DeadLetterEntry): Promise<void>;
  get(id: string): Promise<DeadLetterEntry | undefined>;
  list(query?: DeadLetterQuery): Promise<DeadLetterEntry[]>;
  delete(id: string): Promise<boolean>;
  /** Deletes entries with lastFailedAt < beforeMs; returns how many. */
  deleteBefore(beforeMs: number): Promise<number>;
  /** Deletes the oldest entries so that at most `max` remain; returns how many. */
  trimTo(max: number): Promise<number>;
  count(): Promise<number>;
}

/** Runtime state of a job: paused flag, and the definition of runtime-inserted or updated jobs. */
export interface JobStateRecord {
  readonly name: string;
  readonly paused: boolean;
  /** Serializable job options (no functions) for runtime-inserted/updated jobs. */
  readonly definition?: Readonly<Record<string, unknown>>;
  /** For runtime-inserted jobs: the name of the deployed handler (a config job) whose code runs. */
  readonly handlerRef?: string;
  readonly deleted?: boolean;
  readonly updatedAtMs: number;
}

export interface JobStateStore {
  get(name: string): Promise<JobStateRecord | undefined>;
  put(record: JobStateRecord): Promise<void>;
  delete(name: string): Promise<void>;
  list(): Promise<JobStateRecord[]>;
}

/** Runs in progress, for `runningJobs()` and cooperative cancel. */
export interface RunRecordEntry {
  readonly runId: string;
  readonly jobName: string;
  readonly queue: string;
  readonly attempt: number;
  readonly startedAtMs: number;
  readonly scheduledAtMs?: number;
  /** Set by `cancelJob`; the worker polls/observes it and aborts the handler. */
  readonly cancelRequested?: string;
  /** Safety expiry (timeout + margin) so a crashed worker's entry disappears. */
  readonly expiresAtMs: number;
}

export interface RunRegistry {
  start(entry: RunRecordEntry): Promise<void>;
  finish(runId: string): Promise<void>;
  list(nowMs: number): Promise<RunRecordEntry[]>;
  get(runId: string, nowMs: number): Promise<RunRecordEntry | undefined>;
  /** Marks a run for cancellation; returns whether the run was found. */
  requestCancel(runId: string, reason: string): Promise<boolean>;
}

/** A claim on one attempt of one run (`run:<runId>:<attempt>[:<nodeId>]`). */
export interface AttemptClaim {
  readonly key: string;
  readonly owner: string;
}

/**
 * The two writes around every attempt, each ONE round trip on AWS (a conditional put, then a
 * transaction), so a successful run costs two store calls (three with `unique`).
 * Composed from the finer stores in memory; the conformance suite checks both agree.
 */
export interface AttemptLedger {
  /**
   * Claims the attempt (succeeds iff the claim key is absent or expired at `nowMs`, then held
   * until `expiresAtMs`) and registers `run` as running — atomically. `false`: a duplicate delivery.
   */
  begin(claim: AttemptClaim & { readonly nowMs: number; readonly expiresAtMs: number }, run: RunRecordEntry): Promise<boolean>;
  /**
   * Records a finished attempt atomically: appends `history`, applies `record` to the counters,
   * keeps the claim until `retainUntilMs` (late duplicates still find it), removes the run from
   * the registry, and releases (`untilMs: null`) or extends the unique lock.
   */
  finish(done: {
    readonly claim: AttemptClaim & { readonly retainUntilMs: number };
    readonly runId: string;
    readonly history: HistoryEntry;
    readonly record: RunRecord;
    readonly unique?: { readonly key: string; readonly owner: string; readonly untilMs: number | null };
  }): Promise<void>;
  /** Gives the claim (and unique lock) up after a port failed mid-run, so the redelivery runs. */
  abandon(claim: AttemptClaim, runId: string, unique?: { readonly key: string; readonly owner: string }): Promise<void>;
}

/** All stores an engine needs. */
export interface Stores {
  readonly ledger: AttemptLedger;
  readonly locks: LockStore;
  readonly history: HistoryStore;
  readonly deadLetters: DeadLetterStore;
  readonly jobState: JobStateStore;
  readonly runs: RunRegistry;
}
