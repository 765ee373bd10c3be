/**
 * The wire format of queue messages, and the factories every producer uses, so a tick,
 * an enqueue and a retry look the same whichever engine made them.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { InvalidMessageError } from './errors.ts';
import type { RunMessage } from './ports.ts';

export type { RunMessage } from './ports.ts';

const runMessageSchema = z
  .object({
    v: z.literal(1),
    job: z.string().min(1),
    runId: z.string().min(1),
    attempt: z.number().int().min(1),
    args: z.unknown().optional(),
    scheduledAt: z.iso.datetime({ offset: true }).optional(),
    enqueuedAt: z.iso.datetime({ offset: true }),
    priority: z.number().int().min(0).max(9).optional(),
    source: z.enum(['schedule', 'enqueue', 'runNow', 'retry', 'deadLetter']),
    firstFailedAt: z.iso.datetime({ offset: true }).optional(),
    fannedOut: z.boolean().optional(),
  })
  .strict();

/** The idempotency key of a schedule tick: the same tick delivered twice has the same run id. */
export function tickRunId(job: string, scheduledAtMs: number): string {
  return `${job}@${new Date(scheduledAtMs).toISOString()}`;
}

export function newRunId(): string {
  return randomUUID();
}

/** The message a schedule delivers for one tick. */
export function tickMessage(job: string, scheduledAtMs: number, nowMs: number): RunMessage {
  const scheduledAt = new Date(scheduledAtMs).toISOString();
  return { v: 1, job, runId: tickRunId(job, scheduledAtMs), attempt: 1, scheduledAt, enqueuedAt: new Date(nowMs).toISOString(), source: 'schedule' };
}

/** The message for an on-demand run (`enqueue`, `runNow`, a dead-letter retry). */
export function enqueueMessage(
  job: string,
  args: unknown,
  nowMs: number,
  opts: { source?: 'enqueue' | 'runNow' | 'deadLetter'; priority?: number; runId?: string } = {},
): RunMessage {
  const msg: RunMessage = {
    v: 1,
    job,
    runId: opts.runId ?? newRunId(),
    attempt: 1,
    enqueuedAt: new Date(nowMs).toISOString(),
    source: opts.source ?? 'enqueue',
    ...(args === undefined ? {} : { args }),
    ...(opts.priority === undefined ? {} : { priority: opts.priority }),
  };
  return msg;
}

/** The next attempt of a run. */
export function retryMessage(previous: RunMessage, firstFailedAtMs: number): RunMessage {
  return {
    ...previous,
    attempt: previous.attempt + 1,
    source: 'retry',
    firstFailedAt: previous.firstFailedAt ?? new Date(firstFailedAtMs).toISOString(),
  };
}

/** A JSON string body decoded; anything else as it is. */
function decodeBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    throw new InvalidMessageError(`message body is not JSON: ${body.slice(0, 120)}`);
  }
}

/**
 * The input EventBridge Scheduler sends for a tick (the `Target.Input` of every schedule).
 * The scheduler fills in the scheduled time; the worker turns it into a {@link RunMessage}
 * whose run id is derived from job + scheduled time (the per-tick idempotency key).
 */
export interface TickEnvelope {
  readonly v: 1;
  readonly tick: true;
  readonly job: string;
  /** `<aws.scheduler.scheduled-time>` on AWS; an ISO instant. */
  readonly scheduledAt: string;
}

/** The `Target.Input` JSON of a job's schedules (one definition for the CDK app and runtime inserts). */
export function scheduleTargetInput(job: string): string {
  const envelope: TickEnvelope = { v: 1, tick: true, job, scheduledAt: '<aws.scheduler.scheduled-time>' };
  return JSON.stringify(envelope);
}

/**
 * Parses what arrives on a queue: a {@link RunMessage}, or a scheduler {@link TickEnvelope}
 * (turned into the tick's RunMessage). `receivedAtMs` is now; `sentAtMs` (SQS SentTimestamp) is
 * the fallback tick time, floored to the minute, when the scheduler left its placeholder
 * unsubstituted (emulators do; AWS always substitutes it).
 */
export function parseDelivery(body: unknown, opts: { readonly receivedAtMs: number; readonly sentAtMs?: number }): RunMessage {
  const value = decodeBody(body);
  if (typeof value === 'object' && value !== null && (value as { tick?: unknown }).tick === true) {
    const t = value as Partial<TickEnvelope>;
    if (typeof t.job !== 'string' || t.job.length === 0) throw new InvalidMessageError('tick field `job` is invalid: expected a job name');
    let at = typeof t.scheduledAt === 'string' ? Date.parse(t.scheduledAt) : Number.NaN;
    if (Number.isNaN(at)) {
      if (opts.sentAtMs === undefined) throw new InvalidMessageError(`tick field \`scheduledAt\` is invalid: expected an ISO instant, got ${JSON.stringify(t.scheduledAt)}`);
      at = Math.floor(opts.sentAtMs / 60_000) * 60_000;
    }
    return tickMessage(t.job, at, opts.receivedAtMs);
  }
  return parseRunMessage(value);
}

/**
 * Parses a message body (JSON string or object). Anything else becomes an
 * `InvalidMessageError` whose message says what was wrong — the caller dead-letters it.
 */
export function parseRunMessage(body: unknown): RunMessage {
  const value = decodeBody(body);
  const parsed = runMessageSchema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const path = first.path.join('.') || '(body)';
    throw new InvalidMessageError(`message field \`${path}\` is invalid: ${first.message}`);
  }
  return parsed.data as RunMessage;
}
