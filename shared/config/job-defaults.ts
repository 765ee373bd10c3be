/**
 * The defaults every job gets for the options it leaves out — the reference model's defaults.
 * Durations are in milliseconds.
 *
 * @example
 * import { JOB_DEFAULTS } from 'om-scheduler';
 * JOB_DEFAULTS.maxRetries; // 3
 * JOB_DEFAULTS.timeout;    // 60_000
 */
export const JOB_DEFAULTS = Object.freeze({
  maxRetries: 3,
  retryDelay: 1_000,
  retryBackoff: 'exponential',
  retryMaxDelay: 60_000,
  retryJitter: 0.25,
  timeout: 60_000,
  priority: 0,
  queue: 'default',
  timezone: 'UTC',
  unique: false,
  onError: 'continue',
  deadLetter: true,
  global: true,
  tags: Object.freeze([]) as readonly string[],
  meta: Object.freeze({}) as Readonly<Record<string, unknown>>,
} as const);

/** Upper bound of `maxRetries`: past this, a job is better off dead-lettered and retried by hand. */
export const MAX_RETRIES_CAP = 100;

/** Lambda's hard limit on one invocation, and so on one attempt (AWS-FACTS.md). */
export const MAX_TIMEOUT_MS = 15 * 60_000;

/** Queues when the config names none. */
export const DEFAULT_QUEUES = Object.freeze({ default: 10 }) as Readonly<Record<string, number>>;

/** Queue concurrency bounds (SQS event source `maxConcurrency` tops out at 1000). */
export const MIN_QUEUE_CONCURRENCY = 1;
export const MAX_QUEUE_CONCURRENCY = 1000;

/** Dead-letter store defaults. */
export const DEAD_LETTER_DEFAULTS = Object.freeze({
  enabled: true,
  maxAgeMs: 30 * 86_400_000,
  maxEntries: 10_000,
});

/** App name when the config names none; fine locally, but a deployment should name its app. */
export const DEFAULT_APP_NAME = 'omsched';
