/**
 * Pure builders of EventBridge Scheduler requests: recurring job schedules and one-time
 * deliveries. Kept free of the SDK so they are unit-tested field for field.
 */
import { randomUUID } from 'node:crypto';
import { scheduleTargetInput } from '../../shared/messages.ts';
import type { RunMessage } from '../../shared/ports.ts';
import { SCHEDULE_RETRY_POLICY, scheduleDescription } from '../../shared/schedule/deployed-schedule.ts';
import type { CompiledSchedule } from '../../shared/types.ts';

/** Where every schedule delivers, and how. */
export interface ScheduleTargetConfig {
  readonly groupName: string;
  /** The role EventBridge Scheduler assumes to send to the queues. */
  readonly roleArn: string;
  /** Standard SQS queue for deliveries that failed all retries. */
  readonly deadLetterArn?: string;
  /** @default DEFAULT_SCHEDULE_RETRY */
  readonly retry?: { readonly maximumRetryAttempts: number; readonly maximumEventAgeSeconds: number };
}

/** The same delivery retries as the schedules the CDK app deploys. */
export const DEFAULT_SCHEDULE_RETRY = {
  maximumRetryAttempts: SCHEDULE_RETRY_POLICY.maximumRetryAttempts,
  maximumEventAgeSeconds: SCHEDULE_RETRY_POLICY.maximumEventAgeInSeconds,
} as const;

/** One-time schedule names start with this; job names cannot contain `.`, so they never collide. */
export const ONCE_PREFIX = 'once.';

export { compiledFromSchedule, scheduleDescription } from '../../shared/schedule/deployed-schedule.ts';

function target(config: ScheduleTargetConfig, queueArn: string, input: string) {
  const retry = config.retry ?? DEFAULT_SCHEDULE_RETRY;
  return {
    Arn: queueArn,
    RoleArn: config.roleArn,
    Input: input,
    RetryPolicy: { MaximumRetryAttempts: retry.maximumRetryAttempts, MaximumEventAgeInSeconds: retry.maximumEventAgeSeconds },
    ...(config.deadLetterArn ? { DeadLetterConfig: { Arn: config.deadLetterArn } } : {}),
  };
}

/**
 * The Create/UpdateSchedule request of schedule `name` of `job` (UpdateSchedule is a full replace,
 * so both take the same fields).
 */
export function jobScheduleRequest(config: ScheduleTargetConfig, name: string, job: string, queueArn: string, schedule: CompiledSchedule, enabled: boolean) {
  return {
    Name: name,
    GroupName: config.groupName,
    ScheduleExpression: schedule.expression,
    ScheduleExpressionTimezone: schedule.timezone,
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    State: enabled ? ('ENABLED' as const) : ('DISABLED' as const),
    Description: scheduleDescription(schedule),
    Target: target(config, queueArn, scheduleTargetInput(job)),
  };
}

/**
 * `at(yyyy-mm-ddThh:mm:ss)` in UTC, rounded UP to the whole second: a one-time delivery is
 * never early.
 *
 * @example
 * atExpression(Date.parse('2027-01-04T06:00:00.200Z')); // 'at(2027-01-04T06:00:01)'
 */
export function atExpression(atMs: number): string {
  return `at(${new Date(Math.ceil(atMs / 1000) * 1000).toISOString().slice(0, 19)})`;
}

/**
 * A unique one-time schedule name (`once.<job prefix>.<32 hex>`, ≤ 64 characters). Unique names
 * also dodge emulators that never re-fire an `at()` name that fired once.
 */
export function onceScheduleName(job: string, uuid: string = randomUUID()): string {
  return `${ONCE_PREFIX}${job.slice(0, 20)}.${uuid.replace(/-/g, '')}`;
}

/** The CreateSchedule request of a one-time delivery of `message` (deleted after it fired). */
export function onceScheduleRequest(config: ScheduleTargetConfig, name: string, queueArn: string, message: RunMessage, atMs: number) {
  return {
    Name: name,
    GroupName: config.groupName,
    ScheduleExpression: atExpression(atMs),
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' as const },
    ActionAfterCompletion: 'DELETE' as const,
    State: 'ENABLED' as const,
    Target: target(config, queueArn, JSON.stringify(message)),
  };
}

/** The job a schedule's `Target.Input` ticks (undefined for one-time or foreign schedules). */
export function tickedJob(input: string | undefined): string | undefined {
  if (!input) return undefined;
  try {
    const v = JSON.parse(input) as { tick?: unknown; job?: unknown };
    return v.tick === true && typeof v.job === 'string' ? v.job : undefined;
  } catch {
    return undefined;
  }
}
