/**
 * CloudWatch metrics the worker emits (embedded metric format, namespace
 * `resourceNames(app, env).metricsNamespace`) and the dashboard/alarms read. One list, so the
 * worker and the CDK app cannot drift apart.
 */
export const JOB_METRICS = {
  /** Count, per attempt that ran (dimension `job`). */
  runs: 'JobRuns',
  /** Count, attempts that failed or timed out (dimension `job`). */
  failures: 'JobFailures',
  /** Count, attempts scheduled again (dimension `job`). */
  retries: 'JobRetries',
  /** Milliseconds, per attempt (dimension `job`). */
  durationMs: 'JobDuration',
  /** Count, duplicate deliveries skipped (dimension `job`). */
  duplicates: 'JobDuplicates',
  /** Count, dead-letter entries written (dimension `queue`). */
  deadLetters: 'DeadLetters',
} as const;

/** Dimension names. */
export const METRIC_DIMENSIONS = { job: 'job', queue: 'queue' } as const;
