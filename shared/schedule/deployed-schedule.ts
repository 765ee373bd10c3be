/**
 * What a deployed EventBridge Scheduler schedule carries besides its expression — one
 * definition for the CDK app (schedules from the config) and the AWS adapter (schedules put
 * at runtime), so both write the same thing and read it back alike.
 */
import type { CompiledSchedule } from '../types.ts';

/**
 * Delivery retries of every schedule: EventBridge retries a failed delivery up to 185 times
 * within an hour; later, the tick goes to the schedule dead-letter queue (and its alarm)
 * rather than running by surprise hours late.
 */
export const SCHEDULE_RETRY_POLICY = Object.freeze({ maximumRetryAttempts: 185, maximumEventAgeInSeconds: 3600 });

/** What `Description` keeps of a compiled schedule that the expression alone does not say. */
interface ScheduleDescription {
  readonly source: string;
  readonly tz: string;
  readonly fanOut?: readonly number[];
}

/**
 * The `Description` of a job schedule: JSON of its source string, time zone and fan-out delays,
 * so reading the schedule back gives the {@link CompiledSchedule} exactly as it was put.
 *
 * @example
 * scheduleDescription({ expression: 'rate(1 minute)', timezone: 'UTC', source: 'every 30 seconds', fanOutDelaysSeconds: [0, 30] });
 * // '{"source":"every 30 seconds","tz":"UTC","fanOut":[0,30]}'
 */
export function scheduleDescription(s: CompiledSchedule): string {
  const d: ScheduleDescription = { source: s.source, tz: s.timezone, ...(s.fanOutDelaysSeconds?.length ? { fanOut: [...s.fanOutDelaysSeconds] } : {}) };
  return JSON.stringify(d).slice(0, 512);
}

/** Reads a job schedule back; schedules without our description (hand-made) use the expression as source. */
export function compiledFromSchedule(s: { ScheduleExpression?: string; ScheduleExpressionTimezone?: string; Description?: string }): CompiledSchedule {
  let d: Partial<ScheduleDescription> = {};
  try {
    d = s.Description ? (JSON.parse(s.Description) as Partial<ScheduleDescription>) : {};
  } catch {
    d = {};
  }
  const expression = s.ScheduleExpression ?? '';
  return {
    expression,
    timezone: s.ScheduleExpressionTimezone ?? d.tz ?? 'UTC',
    source: typeof d.source === 'string' ? d.source : expression,
    ...(Array.isArray(d.fanOut) && d.fanOut.length ? { fanOutDelaysSeconds: d.fanOut.map(Number) } : {}),
  };
}
