/**
 * When compiled schedules fire: the local engine's timers and the plan CLI both ask here.
 *
 * Cron schedules are read from the deployed AWS expressions: translated back (`?` -> `*`,
 * day-of-week 1-7 -> 0-6) and parsed by cron-parser, whose value sets and day-of-month /
 * day-of-week rule are then walked day by day here (cron-parser's own iterator is too slow for
 * 1,000 jobs, see {@link cronPlan}). Local times become instants under AWS's documented DST
 * rules, which differ from cron-parser's: a local time that does not exist is SKIPPED
 * (cron-parser runs it at the first minute after the gap), and a local time that occurs twice
 * runs ONCE, at its first occurrence (cron-parser runs every-hour expressions in both).
 *
 * `rate(...)` schedules fire every period from an anchor: AWS invokes a rate schedule without
 * StartDate immediately when it is created, then every period (`rate(N days)` = N × 24 h). So
 * the instants are `anchorMs + k × period` for k ≥ 0; with the default anchor (= fromMs) the
 * first returned run is `fromMs + period`, since the creation-time run is not "after" fromMs.
 */
import { DURATION_UNITS } from '../duration.ts';
import { CronExpressionParser } from 'cron-parser';
import type { CompiledSchedule } from '../types.ts';
import { dstTransitions, offsetMinutes, type DstTransition } from './time-zone.ts';

export { dstTransitions } from './time-zone.ts';
export type { DstTransition } from './time-zone.ts';

/** Options of {@link nextRuns} and {@link nextRunAfter}. */
export interface NextRunsOptions {
  /** When `rate(...)` schedules started counting (when they were created). @default fromMs */
  readonly anchorMs?: number;
  /**
   * Turn each firing of a schedule with `fanOutDelaysSeconds` into one instant per delay
   * (what the job sees); `false` gives the raw scheduler ticks. @default true
   */
  readonly expandFanOut?: boolean;
}

/**
 * The next `count` instants (ms since epoch) strictly after `fromMs` at which any of the
 * schedules fires: merged, sorted, duplicates removed.
 *
 * @example
 * const schedules = compileSchedules('report', { cron: ['0 6 * * *', '0 18 * * *'] });
 * nextRuns(schedules, Date.UTC(2025, 0, 1), 3).map((t) => new Date(t).toISOString());
 * // ['2025-01-01T06:00:00.000Z', '2025-01-01T18:00:00.000Z', '2025-01-02T06:00:00.000Z']
 */
export function nextRuns(
  schedules: readonly CompiledSchedule[],
  fromMs: number,
  count: number,
  opts: NextRunsOptions = {},
): number[] {
  if (count <= 0 || schedules.length === 0) return [];
  const expand = opts.expandFanOut ?? true;
  const all: number[] = [];
  for (const schedule of schedules) {
    const delays = expand && schedule.fanOutDelaysSeconds?.length ? schedule.fanOutDelaysSeconds : [0];
    const maxDelayMs = Math.max(...delays) * 1000;
    // A tick up to maxDelay before fromMs still has fan-out instants after it.
    const ticks = scheduleTicks(schedule, fromMs - maxDelayMs, Math.ceil(count / delays.length) + 1, opts.anchorMs ?? fromMs);
    for (const tick of ticks) {
      for (const delay of delays) {
        const at = tick + delay * 1000;
        if (at > fromMs) all.push(at);
      }
    }
  }
  all.sort((a, b) => a - b);
  const out: number[] = [];
  for (const t of all) {
    if (out[out.length - 1] !== t) out.push(t);
    if (out.length === count) break;
  }
  return out;
}

/**
 * The next instant strictly after `fromMs` at which any schedule fires, or `null` if none will.
 *
 * @example
 * nextRunAfter(compileSchedules('sync', { every: [5, 'minutes'] }), 0, { anchorMs: 0 }); // 300_000
 */
export function nextRunAfter(
  schedules: readonly CompiledSchedule[],
  fromMs: number,
  opts: NextRunsOptions = {},
): number | null {
  return nextRuns(schedules, fromMs, 1, opts)[0] ?? null;
}

// ---------------------------------------------------------------------------------------------

interface CronPlan {
  readonly kind: 'cron';
  readonly timezone: string;
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly months: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly lastDayOfMonth: boolean;
  /** 0-6, 0 = Sunday */
  readonly daysOfWeek: ReadonlySet<number>;
  readonly dayOfMonthRestricted: boolean;
  readonly dayOfWeekRestricted: boolean;
}
type Plan = { readonly kind: 'rate'; readonly periodMs: number } | CronPlan;

const plans = new Map<string, Plan>();
/** The units `rate(...)` accepts (EventBridge Scheduler: minutes, hours, days), in ms. */
const RATE_UNITS: Readonly<Record<string, number>> = Object.fromEntries(
  (['minute', 'minutes', 'hour', 'hours', 'day', 'days'] as const).map((u) => [u, DURATION_UNITS[u]]),
);

function planOf(schedule: CompiledSchedule): Plan {
  const key = `${schedule.expression}|${schedule.timezone}`;
  let plan = plans.get(key);
  if (plan !== undefined) return plan;
  const rate = /^rate\((\d+) ([a-z]+)\)$/.exec(schedule.expression);
  const cron = /^cron\((.+)\)$/.exec(schedule.expression);
  if (rate && RATE_UNITS[rate[2]!] !== undefined && Number(rate[1]) > 0) {
    plan = { kind: 'rate', periodMs: Number(rate[1]) * RATE_UNITS[rate[2]!]! };
  } else if (cron) {
    plan = cronPlan(toCronParserSyntax(cron[1]!, schedule.expression), schedule.timezone);
  } else {
    throw new Error(`unsupported schedule expression: ${schedule.expression}`);
  }
  if (plans.size > 10_000) plans.clear();
  plans.set(key, plan);
  return plan;
}

/** AWS 6-field body -> cron-parser 5-field: `?` -> `*`, day-of-week 1-7 (SUN-SAT) -> 0-6. */
function toCronParserSyntax(body: string, expression: string): string {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6 || fields[5] !== '*') {
    throw new Error(`unsupported schedule expression (6 fields with year *): ${expression}`);
  }
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  const day = (f: string): string => (f === '?' ? '*' : f);
  const dowShifted = dow === '?' || dow === '*' ? '*' : dow.replace(/\d+/g, (n) => String(Number(n) - 1));
  return `${minute} ${hour} ${day(dom)} ${month} ${dowShifted}`;
}

/**
 * cron-parser parses the expression (value sets and its day-of-month / day-of-week rule); the
 * walk over days is done here. cron-parser's own iterator costs 0.1-0.9 ms per run (luxon date
 * math on every step), too slow for the plan of 1,000 jobs; this walk is a few µs per run.
 */
function cronPlan(expression: string, timezone: string): CronPlan {
  const { fields } = CronExpressionParser.parse(expression, { tz: timezone, currentDate: 0 });
  if (fields.dayOfWeek.nthDay > 0 || (fields.dayOfWeek.hasLastChar as boolean)) {
    throw new Error(`unsupported day-of-week in schedule expression: ${expression}`);
  }
  const numbers = (values: readonly (number | string)[]): number[] =>
    values.filter((v): v is number => typeof v === 'number');
  return {
    kind: 'cron',
    timezone,
    minutes: numbers(fields.minute.values),
    hours: numbers(fields.hour.values),
    months: new Set(numbers(fields.month.values)),
    daysOfMonth: new Set(numbers(fields.dayOfMonth.values)),
    lastDayOfMonth: fields.dayOfMonth.hasLastChar,
    daysOfWeek: new Set(numbers(fields.dayOfWeek.values).map((d) => d % 7)),
    dayOfMonthRestricted: !fields.dayOfMonth.isWildcard,
    dayOfWeekRestricted: !fields.dayOfWeek.isWildcard,
  };
}

/** `n` ticks of one schedule strictly after `afterMs` (no fan-out). */
function scheduleTicks(schedule: CompiledSchedule, afterMs: number, n: number, anchorMs: number): number[] {
  const plan = planOf(schedule);
  switch (plan.kind) {
    case 'rate': {
      const first = Math.max(0, Math.floor((afterMs - anchorMs) / plan.periodMs) + 1);
      return Array.from({ length: n }, (_, i) => anchorMs + (first + i) * plan.periodMs);
    }
    case 'cron':
      return cronTicks(plan, afterMs, n);
  }
}

const DAY_MS = 86_400_000;
/** Feb 29 recurs within 8 years; nothing valid waits longer. */
const MAX_DAYS_SEARCHED = 9 * 366;

/** cron-parser's day rule: a restricted day field decides; both restricted = either matches. */
function dayMatches(plan: CronPlan, dayNumber: number, dayOfMonth: number, lastDay: number): boolean {
  const dom = plan.daysOfMonth.has(dayOfMonth) || (plan.lastDayOfMonth && dayOfMonth === lastDay);
  // 1970-01-01 (day 0) was a Thursday.
  const dow = plan.daysOfWeek.has((((dayNumber + 4) % 7) + 7) % 7);
  if (plan.dayOfMonthRestricted && plan.dayOfWeekRestricted) return dom || dow;
  if (plan.dayOfMonthRestricted) return dom;
  if (plan.dayOfWeekRestricted) return dow;
  return true;
}

/**
 * Walks local days from the one containing `afterMs`; for each matching day, converts each
 * local time to an instant under AWS's rules (skip what does not exist, first of a repeat).
 * Local wall times are represented as "wall ms": the wall clock read as if it were UTC.
 */
function cronTicks(plan: CronPlan, afterMs: number, n: number): number[] {
  const out: number[] = [];
  const tz = plan.timezone;
  const startWall = afterMs + offsetMs(tz, Math.floor(afterMs / 60_000) * 60_000);
  let dayNumber = Math.floor(startWall / DAY_MS) - 1;
  // The search gives up only after MAX_DAYS_SEARCHED days without any run.
  for (let idle = 0; idle < MAX_DAYS_SEARCHED; idle++, dayNumber++) {
    const dayStart = dayNumber * DAY_MS;
    const date = new Date(dayStart);
    const month = date.getUTCMonth() + 1;
    if (!plan.months.has(month)) continue;
    const dayOfMonth = date.getUTCDate();
    const lastDay = new Date(Date.UTC(date.getUTCFullYear(), month, 0)).getUTCDate();
    if (!dayMatches(plan, dayNumber, dayOfMonth, lastDay)) continue;
    // Offset changes near this local day (a local day spans at most 24 h ± 14 h around dayStart).
    const changes = dstTransitions(tz, dayStart - 2 * DAY_MS, dayStart + 2 * DAY_MS);
    const steadyOffset = changes.length === 0 ? offsetMs(tz, dayStart) : undefined;
    for (const hour of plan.hours) {
      for (const minute of plan.minutes) {
        const wall = dayStart + hour * 3_600_000 + minute * 60_000;
        const t = steadyOffset !== undefined ? wall - steadyOffset : firstInstantOf(wall, changes, tz);
        if (t === null || t <= afterMs) continue;
        out.push(t);
        idle = 0;
        // Instants grow with wall time under AWS's rules, so the first n found are the next n.
        if (out.length === n) return out;
      }
    }
  }
  return out;
}

/**
 * The first instant whose local time is `wall`, or null if `wall` falls in a gap. Each offset
 * change splits time into a before-part and an after-part; a wall time maps into a part when the
 * resulting instant lies inside it.
 */
function firstInstantOf(wall: number, changes: readonly DstTransition[], tz: string): number | null {
  let best: number | null = null;
  const consider = (t: number, offsetMin: number, from: number, to: number): void => {
    if (t >= from && t < to && offsetMs(tz, Math.floor(t / 60_000) * 60_000) === offsetMin * 60_000) {
      if (best === null || t < best) best = t;
    }
  };
  let from = -Infinity;
  for (const change of changes) {
    consider(wall - change.offsetBeforeMin * 60_000, change.offsetBeforeMin, from, change.atMs);
    from = change.atMs;
  }
  const lastChange = changes[changes.length - 1]!;
  consider(wall - lastChange.offsetAfterMin * 60_000, lastChange.offsetAfterMin, from, Infinity);
  return best;
}

const offsetCache = new Map<string, number>();

/** Offset (wall − UTC) in ms at a minute-aligned instant, memoized: jobs share zones and days. */
function offsetMs(tz: string, instant: number): number {
  const key = `${tz}|${instant}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    offset = offsetMinutes(tz, instant) * 60_000;
    if (offsetCache.size > 100_000) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}
