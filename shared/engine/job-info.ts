/**
 * Conversions between the resolved form of a job and the views the API hands out.
 */
import type { JobInfo, JobOptions, ResolvedJob } from '../types.ts';

/**
 * The public, code-free view of a job (what `getJob` returns and handlers see as `ctx.job`).
 *
 * @example
 * const info = toJobInfo(config.jobs[0]);
 * 'handler' in info; // false
 */
export function toJobInfo(job: ResolvedJob | JobInfo): JobInfo {
  const { handler: _handler, hooks: _hooks, ...info } = job as ResolvedJob;
  return info;
}

/**
 * The options a resolved job was built from, in the form `defineJob` accepts, so a patch can be
 * laid over them and the result validated again (runtime `update`).
 *
 * @example
 * const options = { ...toJobOptions(job), maxRetries: 7 };
 * resolveJob({ ...options, name: job.name, handler: job.handler }, config);
 */
export function toJobOptions(job: JobInfo): JobOptions {
  return {
    ...(job.cron.length > 0 ? { cron: job.cron.length === 1 ? job.cron[0]! : [...job.cron] } : {}),
    ...(job.every ? { every: job.every } : {}),
    timezone: job.timezone,
    queue: job.queue,
    timeout: job.timeoutMs,
    priority: job.priority,
    maxRetries: job.maxRetries,
    retryDelay: job.retryDelayMs,
    retryBackoff: job.retryBackoff,
    retryMaxDelay: job.retryMaxDelayMs,
    retryJitter: job.retryJitter,
    unique: job.unique,
    ...(job.uniquePeriodMs !== undefined ? { uniquePeriod: job.uniquePeriodMs } : {}),
    tags: [...job.tags],
    meta: { ...job.meta },
    onError: job.onError,
    deadLetter: job.deadLetter,
    global: job.global,
  };
}
