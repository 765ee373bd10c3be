/**
 * The wire format of queue messages, and the factories every producer uses, so a tick,
 * an enqueue and a retry look the same whichever engine made them.
 */
import { randomUUID } from 'node:crypto';
import { InvalidMessageError, formatValue } from './errors.ts';
import type { RunMessage } from './ports.ts';

export type { RunMessage } from './ports.ts';

/**
 * The RunMessage schema, checked field by field. Hand-written rather than zod: this runs in
 * every worker Lambda, and zod alone would be ~450 KB of its bundle.
 */
type FieldCheck = (value: unknown) => string | undefined;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const SOURCES: readonly RunMessage['source'][] = ['schedule', 'enqueue', 'runNow', 'retry', 'deadLetter'];

const nonEmptyString: FieldCheck = (v) => (typeof v === 'string' && v.length > 0 ? undefined : 'expected a non-empty string');
const isoInstant: FieldCheck = (v) =>
  typeof v === 'string' && ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v)) ? undefined : 'expected an ISO 8601 instant with a zone, e.g. 2027-01-04T06:00:00.000Z';
const intIn =
  (min: number, max: number): FieldCheck =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
      ? undefined
      : max === Number.MAX_SAFE_INTEGER
        ? `expected an integer >= ${min}`
        : `expected an integer from ${min} to ${max}`;

const RUN_MESSAGE_FIELDS: Readonly<Record<keyof RunMessage, { readonly required: boolean; readonly check: FieldCheck }>> = {
  v: { required: true, check: (v) => (v === 1 ? undefined : 'expected 1') },
  job: { required: true, check: nonEmptyString },
  runId: { required: true, check: nonEmptyString },
  attempt: { required: true, check: intIn(1, Number.MAX_SAFE_INTEGER) },
  args: { required: false, check: () => undefined },
  scheduledAt: { required: false, check: isoInstant },
  enqueuedAt: { required: true, check: isoInstant },
  priority: { required: false, check: intIn(0, 9) },
  source: { required: true, check: (v) => (SOURCES.includes(v as RunMessage['source']) ? undefined : `expected one of ${SOURCES.join(', ')}`) },
  firstFailedAt: { required: false, check: isoInstant },
  fannedOut: { required: false, check: (v) => (typeof v === 'boolean' ? undefined : 'expected a boolean') },
};

/** The first problem of `value` as a RunMessage, or undefined when it is one. */
function runMessageProblem(value: unknown): { readonly field: string; readonly problem: string } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { field: '(body)', problem: 'expected a JSON object' };
  const record = value as Record<string, unknown>;
  for (const [field, rule] of Object.entries(RUN_MESSAGE_FIELDS)) {
    const v = record[field];
    if (v === undefined) {
      if (rule.required) return { field, problem: 'missing' };
      continue;
    }
    const problem = rule.check(v);
    if (problem) return { field, problem: `${problem}, got ${formatValue(v)}` };
  }
  const unknown = Object.keys(record).find((k) => !(k in RUN_MESSAGE_FIELDS));
  return unknown === undefined ? undefined : { field: unknown, problem: `unknown field (valid: ${Object.keys(RUN_MESSAGE_FIELDS).join(', ')})` };
}

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
  const problem = runMessageProblem(value);
  if (problem) throw new InvalidMessageError(`message field \`${problem.field}\` is invalid: ${problem.problem}`);
  return value as RunMessage;
}
