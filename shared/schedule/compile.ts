/**
 * The schedule compiler: a job's `cron` / `every` / `timezone` options -> EventBridge Scheduler
 * expressions, exactly as deployed. Pure; the local engine runs the very same output.
 */
import { ConfigError, jobIssue, type ConfigIssue } from '../errors.ts';
import type { CompiledSchedule } from '../types.ts';
import { CronSyntaxError, parseCron, type CronSpec } from './cron.ts';
import { timeZoneProblem } from './time-zone.ts';

/** The schedule-related options of a job, as the user wrote them (not yet validated). */
export interface ScheduleOptions {
  /** Standard 5-field cron, or several. @default none */
  readonly cron?: string | readonly string[];
  /** `[n, unit]`, unit second(s) / minute(s) / hour(s) / day(s). @default none */
  readonly every?: unknown;
  /** IANA time zone the cron is read in. @default 'UTC' */
  readonly timezone?: string;
}

/**
 * Compiles a job's schedule options into EventBridge Scheduler schedules.
 *
 * - `cron`: each string becomes `cron(min hour dom month dow *)` with exactly one of dom/dow
 *   `?`, day-of-week shifted to AWS's 1-7 = SUN-SAT, pure steps written `0/5`, other sets as
 *   ranges and lists. When day-of-month AND day-of-week are both restricted, standard cron fires
 *   when EITHER matches; AWS cannot say that in one expression, so two schedules are emitted (one
 *   per day field). A day matching both fires both schedules at the same instant: the runtime
 *   dedupes ticks on job + scheduled time, so the job still runs once. `L` in a list with other
 *   days (`15,L`) is split the same way. Several cron strings give the concatenation of their
 *   schedules (an expression already emitted is not repeated).
 * - `every`: minutes / hours / days -> `rate(N unit)` (singular when N is 1); seconds that are
 *   whole minutes -> minutes; sub-minute intervals that divide 60 s -> `rate(1 minute)` fanned
 *   out by `fanOutDelaysSeconds` (EventBridge Scheduler fires at most once a minute).
 * - neither -> `[]`: an on-demand job.
 *
 * @throws {ConfigError} listing every problem of the job's `cron` (`cron[i]` for the i-th of
 *   several), `every` and `timezone`.
 * @example
 * compileSchedules('daily_report', { cron: '0 6 * * *', timezone: 'Europe/Berlin' });
 * // [{ expression: 'cron(0 6 * * ? *)', timezone: 'Europe/Berlin', source: '0 6 * * *' }]
 * compileSchedules('heartbeat', { every: [30, 'seconds'] });
 * // [{ expression: 'rate(1 minute)', timezone: 'UTC', source: 'every 30 seconds', fanOutDelaysSeconds: [0, 30] }]
 */
export function compileSchedules(jobName: string, opts: ScheduleOptions): CompiledSchedule[] {
  const issues: ConfigIssue[] = [];

  const specs: CronSpec[] = [];
  const hasCron = opts.cron !== undefined && opts.cron !== null;
  if (hasCron) {
    const raw: unknown = opts.cron;
    if (typeof raw === 'string') {
      collectCron(jobName, 'cron', raw, specs, issues);
    } else if (Array.isArray(raw) && raw.length > 0) {
      raw.forEach((item: unknown, i) => collectCron(jobName, `cron[${i}]`, item, specs, issues));
    } else {
      issues.push(jobIssue(jobName, 'cron', raw, 'be a cron string or a non-empty array of cron strings'));
    }
  }

  const hasEvery = opts.every !== undefined && opts.every !== null;
  let rate: RateSchedule | undefined;
  if (hasEvery) {
    if (hasCron) {
      issues.push(
        jobIssue(jobName, 'every', opts.every, 'be left out when `cron` is set (a job runs on a cron or at a fixed interval, not both)'),
      );
    }
    const parsed = parseEvery(opts.every);
    if (typeof parsed === 'string') issues.push(jobIssue(jobName, 'every', opts.every, parsed));
    else rate = parsed;
  }

  const timezone = opts.timezone ?? 'UTC';
  const tzProblem = timeZoneProblem(timezone);
  if (tzProblem !== undefined) issues.push(jobIssue(jobName, 'timezone', opts.timezone, tzProblem));

  if (issues.length > 0) throw new ConfigError(issues);

  if (rate !== undefined) {
    const schedule: CompiledSchedule = { expression: rate.expression, timezone, source: rate.source };
    return [rate.fanOutDelaysSeconds ? { ...schedule, fanOutDelaysSeconds: rate.fanOutDelaysSeconds } : schedule];
  }
  const out: CompiledSchedule[] = [];
  const seen = new Set<string>();
  for (const spec of specs) {
    for (const expression of toAwsCronExpressions(spec)) {
      if (seen.has(expression)) continue;
      seen.add(expression);
      out.push({ expression, timezone, source: spec.source });
    }
  }
  return out;
}

function collectCron(job: string, field: string, value: unknown, specs: CronSpec[], issues: ConfigIssue[]): void {
  if (typeof value !== 'string') {
    issues.push(jobIssue(job, field, value, 'be a cron string such as "0 6 * * *"'));
    return;
  }
  try {
    specs.push(parseCron(value));
  } catch (error) {
    if (!(error instanceof CronSyntaxError)) throw error;
    issues.push(jobIssue(job, field, value, error.expected));
  }
}

// ---------------------------------------------------------------------------------------------
// cron -> AWS cron

/**
 * Renders one parsed cron as AWS 6-field expressions (one, or two/three when several day rules
 * are OR-ed: see {@link compileSchedules}).
 *
 * @example
 * toAwsCronExpressions(parseCron('30 8 1 * MON'));
 * // ['cron(30 8 1 * ? *)', 'cron(30 8 ? * 2 *)']
 */
export function toAwsCronExpressions(spec: CronSpec): string[] {
  const minute = formatField(spec.minutes, 0, 59, true);
  const hour = formatField(spec.hours, 0, 23, true);
  const month = formatField(spec.months, 1, 12, true);
  const make = (dom: string, dow: string): string => `cron(${minute} ${hour} ${dom} ${month} ${dow} *)`;

  // Which day rules decide (cron-parser's rule): a restricted field decides; both restricted = OR.
  const useDom = spec.dayOfMonthRestricted;
  const useDow = spec.dayOfWeekRestricted;
  const domFull = spec.daysOfMonth.length === 31;
  const dowFull = spec.daysOfWeek.length === 7;
  // A deciding rule that covers every day (or no deciding rule) means every day: one schedule.
  if ((!useDom && !useDow) || (useDom && domFull) || (useDow && dowFull)) return [make('*', '?')];

  const out: string[] = [];
  if (useDom) {
    if (spec.daysOfMonth.length > 0) out.push(make(formatField(spec.daysOfMonth, 1, 31, true), '?'));
    if (spec.lastDayOfMonth) out.push(make('L', '?'));
  }
  if (useDow) {
    // AWS numbers days 1-7 = SUN-SAT; standard cron 0-6 = SUN-SAT. AWS has no `/` here.
    out.push(make('?', formatField(spec.daysOfWeek.map((d) => d + 1), 1, 7, false)));
  }
  return out;
}

/**
 * One AWS cron field: `*` for the whole range, `start/step` for a pure step from the field's
 * start (AWS documents `0/5`, not `*\/5`), else ranges (runs of 3 or more) and single values.
 */
function formatField(values: readonly number[], min: number, max: number, stepsAllowed: boolean): string {
  if (values.length === max - min + 1) return '*';
  if (stepsAllowed && values.length >= 2 && values[0] === min) {
    const step = values[1]! - values[0]!;
    const isPureStep = step >= 2 && values.every((v, i) => v === min + i * step) && values[values.length - 1]! + step > max;
    if (isPureStep) return `${min}/${step}`;
  }
  const parts: string[] = [];
  let i = 0;
  while (i < values.length) {
    let j = i;
    while (j + 1 < values.length && values[j + 1] === values[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${values[i]}-${values[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(values[k]));
    i = j + 1;
  }
  return parts.join(',');
}

// ---------------------------------------------------------------------------------------------
// every -> rate

interface RateSchedule {
  readonly expression: string;
  readonly source: string;
  readonly fanOutDelaysSeconds?: readonly number[];
}

const EVERY_UNITS: Readonly<Record<string, 'second' | 'minute' | 'hour' | 'day'>> = {
  second: 'second',
  seconds: 'second',
  minute: 'minute',
  minutes: 'minute',
  hour: 'hour',
  hours: 'hour',
  day: 'day',
  days: 'day',
};
const PAIR = "be a [n, unit] pair such as [5, 'minutes'] (unit: second(s), minute(s), hour(s) or day(s))";
const SECONDS_RULE =
  'be a number of seconds that divides 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20 or 30) or a whole number of minutes (60, 120, ...)';

function rateOf(n: number, unit: 'minute' | 'hour' | 'day'): string {
  return `rate(${n} ${unit}${n === 1 ? '' : 's'})`;
}

/** `[n, unit]` -> a rate schedule, or the reason it is invalid (phrased to follow "must"). */
function parseEvery(value: unknown): RateSchedule | string {
  if (!Array.isArray(value) || value.length !== 2) return PAIR;
  const [n, unitName] = value as [unknown, unknown];
  if (typeof n !== 'number' || typeof unitName !== 'string') return PAIR;
  const unit = EVERY_UNITS[unitName];
  if (unit === undefined) return `use a unit of second(s), minute(s), hour(s) or day(s) (unknown unit "${unitName}")`;
  const positive = "be a positive interval such as [5, 'minutes']";
  if (!Number.isFinite(n)) return `${positive} (n is not a finite number)`;
  if (n === 0) return `${positive} (n is 0)`;
  if (n < 0) return `${positive} (n is negative)`;
  if (!Number.isSafeInteger(n)) return `count whole ${unit}s, such as [2, '${unit}s'] (${n} is not a whole number)`;
  const source = `every ${n} ${unitName}`;
  if (unit === 'second') {
    if (n % 60 === 0) return { expression: rateOf(n / 60, 'minute'), source };
    if (n < 60 && 60 % n === 0) {
      const delays = Array.from({ length: 60 / n }, (_, i) => i * n);
      return { expression: rateOf(1, 'minute'), source, fanOutDelaysSeconds: delays };
    }
    return SECONDS_RULE;
  }
  return { expression: rateOf(n, unit), source };
}
