/**
 * `defineJob`: the plain-object way to define a job.
 */
import { ConfigError } from '../errors.ts';
import type { JobDefinition } from '../types.ts';
import { checkJob, rememberChecked, type ResolvedJobBody } from './validate-job.ts';

/**
 * Checks a job definition where it is written — every job-local problem at once (name, handler,
 * cron/every/timezone, durations, ranges, unknown options) in one {@link ConfigError} — and
 * returns it frozen. Whether its `queue` exists is checked by `defineConfig`, which knows the queues.
 *
 * @example
 * import { defineJob } from 'om-scheduler';
 *
 * export const dailyReport = defineJob({
 *   name: 'daily_report',
 *   cron: '0 6 * * *',
 *   timezone: 'Europe/Paris',
 *   maxRetries: 5,
 *   handler: async ({ attempt }) => {
 *     // build and send the report
 *   },
 * });
 */
export function defineJob<A = unknown>(def: JobDefinition<A>): JobDefinition<A> {
  const result = checkJob(def);
  if (!result.ok) throw new ConfigError(result.issues);
  return adoptChecked(def, result.job);
}

/** Freezes a definition `checkJob` accepted and remembers its resolution (for `jobsOf`, `Worker`). */
export function adoptChecked<A>(def: JobDefinition<A>, job: ResolvedJobBody): JobDefinition<A> {
  const frozen = freezeDefinition(def);
  rememberChecked(frozen, job);
  return frozen;
}

/** A frozen copy, with its arrays and `meta` frozen too, so a checked definition cannot drift. */
function freezeDefinition<A>(def: JobDefinition<A>): JobDefinition<A> {
  const copy: Record<string, unknown> = { ...def };
  if (Array.isArray(copy['cron'])) copy['cron'] = Object.freeze([...(copy['cron'] as string[])]);
  if (Array.isArray(copy['every'])) copy['every'] = Object.freeze([...(copy['every'] as unknown[])]);
  if (Array.isArray(copy['tags'])) copy['tags'] = Object.freeze([...(copy['tags'] as string[])]);
  if (copy['meta'] !== undefined) copy['meta'] = Object.freeze({ ...(copy['meta'] as object) });
  return Object.freeze(copy) as unknown as JobDefinition<A>;
}
