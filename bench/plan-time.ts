/**
 * planMsFor1000Jobs: `defineConfig` (validation + schedule compilation) and `buildPlan` with 10
 * next runs each, for 1,000 generated jobs with mixed crons, intervals and time zones — what
 * `omsched plan` does for a large app, minus loading the file.
 */
import { defineConfig, defineJob, type JobDefinition } from 'om-scheduler';
import { buildPlan } from '../shared/cli/plan.ts';

const CRONS = ['*/5 * * * *', '0 * * * *', '0 6 * * *', '30 2 * * MON-FRI', '0 8 * * MON', '15 10 1 * *', '0 0 L * *', '0 12 1,15 * MON', '@daily', '0 */4 * * *'];
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'America/Sao_Paulo', 'Asia/Kolkata'];
const EVERY = [
  [30, 'seconds'],
  [5, 'minutes'],
  [2, 'hours'],
  [1, 'day'],
] as const;

/** Job `i` of the generated set: mostly crons across zones, every fifth an interval. */
export function generatedJob(i: number): JobDefinition {
  const base = { name: `job_${String(i).padStart(4, '0')}`, handler: async () => {} };
  if (i % 5 === 4) return defineJob({ ...base, every: EVERY[i % EVERY.length]! });
  return defineJob({ ...base, cron: CRONS[i % CRONS.length]!, timezone: ZONES[i % ZONES.length]! });
}

export interface PlanTimeResult {
  /** The first run in this process (cold: what one `omsched plan` invocation pays). */
  readonly planMsFor1000Jobs: number;
  /** Best of the following runs (warm JIT). */
  readonly planMsWarm: number;
  readonly planJobs: number;
  readonly planRunsPerJob: number;
}

/** The cold first run, then the best of `rounds` more, measuring define + config + plan end to end. */
export function measurePlanTime(jobCount = 1_000, runsPerJob = 10, rounds = 3): PlanTimeResult {
  const once = (): number => {
    const t0 = performance.now();
    const jobs = Array.from({ length: jobCount }, (_, i) => generatedJob(i));
    const config = defineConfig({ app: 'bench', jobs });
    const plan = buildPlan(config, { fromMs: Date.parse('2027-03-01T00:00:00Z'), count: runsPerJob });
    const ms = performance.now() - t0;
    if (plan.jobs.length !== jobCount) throw new Error(`plan has ${plan.jobs.length} jobs, expected ${jobCount}`);
    return ms;
  };
  const cold = once();
  const warm = Math.min(...Array.from({ length: rounds }, once));
  return { planMsFor1000Jobs: cold, planMsWarm: warm, planJobs: jobCount, planRunsPerJob: runsPerJob };
}
