/**
 * Builders of the values that cross the ports, with every optional field settable, so a
 * suite states only what matters to the test and round-trips the rest.
 */
import type { RunMessage, RunRecordEntry, JobStateRecord } from '../../shared/ports.ts';
import type { DeadLetterEntry, HistoryEntry } from '../../shared/types.ts';

/** A run message for `job`, first attempt, enqueued on demand at `enqueuedAtMs`. */
export function aRunMessage(job: string, overrides: Partial<RunMessage> = {}): RunMessage {
  return {
    v: 1,
    job,
    runId: `${job}-run`,
    attempt: 1,
    enqueuedAt: '2026-01-05T10:00:00.000Z',
    source: 'enqueue',
    ...overrides,
  };
}

/** A run message with every optional field set, and args that exercise JSON edge cases. */
export function aFullRunMessage(job: string): RunMessage {
  return {
    v: 1,
    job,
    runId: `${job}@2026-01-05T10:00:00.000Z`,
    attempt: 3,
    args: { userId: 'u-1', tags: ['a', 'b'], nested: { n: 1.5, on: true, none: null }, text: 'Grüße — 日本 🚀 "quoted"\n' },
    scheduledAt: '2026-01-05T10:00:00.000Z',
    enqueuedAt: '2026-01-05T10:00:00.250Z',
    priority: 4,
    source: 'retry',
    firstFailedAt: '2026-01-05T10:00:01.500Z',
    fannedOut: true,
  };
}

/** One finished run of `jobName` that started at `startedAtMs` and took `durationMs`. */
export function aHistoryEntry(
  jobName: string,
  startedAtMs: number,
  overrides: Partial<HistoryEntry> & { durationMs?: number } = {},
): HistoryEntry {
  const durationMs = overrides.durationMs ?? 100;
  return {
    runId: `${jobName}-${startedAtMs}`,
    jobName,
    attempt: 1,
    startedAt: new Date(startedAtMs),
    finishedAt: new Date(startedAtMs + durationMs),
    durationMs,
    result: 'ok',
    ...overrides,
  };
}

/** A dead-letter entry whose last failure was at `lastFailedAtMs`. */
export function aDeadLetterEntry(id: string, lastFailedAtMs: number, overrides: Partial<DeadLetterEntry> = {}): DeadLetterEntry {
  return {
    id,
    jobName: 'send_invoice',
    queue: 'default',
    args: { invoiceId: 42 },
    error: { type: 'TypeError', message: 'cannot read properties of undefined' },
    errorClass: 'TypeError',
    attempts: 4,
    firstFailedAt: new Date(lastFailedAtMs - 7_000),
    lastFailedAt: new Date(lastFailedAtMs),
    stacktrace: 'TypeError: cannot read properties of undefined\n    at handler (jobs.ts:10:5)',
    ...overrides,
  };
}

/** A run in progress, started at `startedAtMs`, whose safety expiry is `expiresAtMs`. */
export function aRunEntry(runId: string, startedAtMs: number, expiresAtMs: number, overrides: Partial<RunRecordEntry> = {}): RunRecordEntry {
  return { runId, jobName: 'import_orders', queue: 'imports', attempt: 1, startedAtMs, expiresAtMs, ...overrides };
}

/** The runtime state of job `name`. */
export function aJobState(name: string, updatedAtMs: number, overrides: Partial<JobStateRecord> = {}): JobStateRecord {
  return { name, paused: false, updatedAtMs, ...overrides };
}
