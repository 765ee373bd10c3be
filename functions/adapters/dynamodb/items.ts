/**
 * Entity <-> item mapping: pure functions, one pair per entity. Times are stored as epoch
 * milliseconds (numbers) and come back as `Date`s where the entity has Dates, exactly as the
 * memory adapters return them. Free-form payloads (args, definitions) are stored as JSON
 * strings so they round-trip exactly (DynamoDB maps cannot hold `undefined`, sets, etc.).
 */
import type { JobCounters, JobStateRecord, RunRecordEntry } from '../../../shared/ports.ts';
import type { DeadLetterEntry, HistoryEntry, RunResult } from '../../../shared/types.ts';
import { type KeySpace, deadLetterIndexSk, ttlOf } from './keys.ts';

/** A DynamoDB item as the document client reads and writes it. */
export type Item = Record<string, unknown>;

const str = (item: Item, name: string): string => String(item[name]);
const num = (item: Item, name: string): number => Number(item[name]);
const optNum = (item: Item, name: string): number | undefined => (item[name] === undefined || item[name] === null ? undefined : Number(item[name]));
const optStr = (item: Item, name: string): string | undefined => (typeof item[name] === 'string' ? (item[name] as string) : undefined);

// ---------------------------------------------------------------- history

export interface HistoryItemOptions {
  /** How long history items live (DynamoDB TTL from `finishedAt`). */
  readonly retentionMs: number;
}

export function historyToItem(keys: KeySpace, e: HistoryEntry, opts: HistoryItemOptions): Item {
  return {
    ...keys.history(e.jobName, e.startedAt.getTime(), e.runId, e.attempt),
    kind: 'history',
    runId: e.runId,
    jobName: e.jobName,
    attempt: e.attempt,
    ...(e.scheduledAt ? { scheduledAtMs: e.scheduledAt.getTime() } : {}),
    startedAtMs: e.startedAt.getTime(),
    finishedAtMs: e.finishedAt.getTime(),
    durationMs: e.durationMs,
    result: e.result,
    ...(e.error ? { error: { type: e.error.type, message: e.error.message } } : {}),
    ...(e.queue !== undefined ? { queue: e.queue } : {}),
    ...(e.nextAttemptAt ? { nextAttemptAtMs: e.nextAttemptAt.getTime() } : {}),
    ttl: ttlOf(e.finishedAt.getTime() + opts.retentionMs),
  };
}

export function itemToHistory(item: Item): HistoryEntry {
  const scheduledAtMs = optNum(item, 'scheduledAtMs');
  const nextAttemptAtMs = optNum(item, 'nextAttemptAtMs');
  const error = item['error'] as { type: unknown; message: unknown } | undefined;
  const queue = optStr(item, 'queue');
  return {
    runId: str(item, 'runId'),
    jobName: str(item, 'jobName'),
    attempt: num(item, 'attempt'),
    ...(scheduledAtMs !== undefined ? { scheduledAt: new Date(scheduledAtMs) } : {}),
    startedAt: new Date(num(item, 'startedAtMs')),
    finishedAt: new Date(num(item, 'finishedAtMs')),
    durationMs: num(item, 'durationMs'),
    result: str(item, 'result') as RunResult,
    ...(error ? { error: { type: String(error.type), message: String(error.message) } } : {}),
    ...(queue !== undefined ? { queue } : {}),
    ...(nextAttemptAtMs !== undefined ? { nextAttemptAt: new Date(nextAttemptAtMs) } : {}),
  };
}

export function isErrorResult(result: RunResult): boolean {
  return result === 'error' || result === 'timeout';
}

export function itemToCounters(item: Item): JobCounters {
  const lastError = item['lastError'] as { type: unknown; message: unknown } | undefined | null;
  return {
    runCount: Number(item['runCount'] ?? 0),
    errorCount: Number(item['errorCount'] ?? 0),
    lastRunAtMs: optNum(item, 'lastRunAtMs') ?? null,
    lastResult: (optStr(item, 'lastResult') as RunResult | undefined) ?? null,
    lastError: lastError ? { type: String(lastError.type), message: String(lastError.message) } : null,
  };
}

// ---------------------------------------------------------------- dead letters

export function deadLetterToItem(keys: KeySpace, e: DeadLetterEntry): Item {
  return {
    ...keys.deadLetter(e.id),
    gsi1pk: keys.deadLetterIndexPk,
    gsi1sk: deadLetterIndexSk(e.lastFailedAt.getTime(), e.id),
    kind: 'deadLetter',
    id: e.id,
    jobName: e.jobName,
    queue: e.queue,
    ...(e.args !== undefined ? { argsJson: JSON.stringify(e.args) } : {}),
    error: { type: e.error.type, message: e.error.message },
    errorClass: e.errorClass,
    attempts: e.attempts,
    firstFailedAtMs: e.firstFailedAt.getTime(),
    lastFailedAtMs: e.lastFailedAt.getTime(),
    ...(e.stacktrace !== null ? { stacktrace: e.stacktrace } : {}),
    ...(e.runId !== undefined ? { runId: e.runId } : {}),
    ...(e.scheduledAt ? { scheduledAtMs: e.scheduledAt.getTime() } : {}),
  };
}

export function itemToDeadLetter(item: Item): DeadLetterEntry {
  const error = item['error'] as { type: unknown; message: unknown };
  const argsJson = optStr(item, 'argsJson');
  const runId = optStr(item, 'runId');
  const scheduledAtMs = optNum(item, 'scheduledAtMs');
  return {
    id: str(item, 'id'),
    jobName: str(item, 'jobName'),
    queue: str(item, 'queue'),
    args: argsJson === undefined ? undefined : JSON.parse(argsJson),
    error: { type: String(error.type), message: String(error.message) },
    errorClass: str(item, 'errorClass'),
    attempts: num(item, 'attempts'),
    firstFailedAt: new Date(num(item, 'firstFailedAtMs')),
    lastFailedAt: new Date(num(item, 'lastFailedAtMs')),
    stacktrace: optStr(item, 'stacktrace') ?? null,
    ...(runId !== undefined ? { runId } : {}),
    ...(scheduledAtMs !== undefined ? { scheduledAt: new Date(scheduledAtMs) } : {}),
  };
}

// ---------------------------------------------------------------- job state

export function jobStateToItem(keys: KeySpace, r: JobStateRecord): Item {
  return {
    ...keys.jobState(r.name),
    kind: 'jobState',
    name: r.name,
    paused: r.paused,
    ...(r.definition !== undefined ? { definitionJson: JSON.stringify(r.definition) } : {}),
    ...(r.handlerRef !== undefined ? { handlerRef: r.handlerRef } : {}),
    ...(r.deleted !== undefined ? { deleted: r.deleted } : {}),
    updatedAtMs: r.updatedAtMs,
  };
}

export function itemToJobState(item: Item): JobStateRecord {
  const definitionJson = optStr(item, 'definitionJson');
  const handlerRef = optStr(item, 'handlerRef');
  return {
    name: str(item, 'name'),
    paused: item['paused'] === true,
    ...(definitionJson !== undefined ? { definition: JSON.parse(definitionJson) as Record<string, unknown> } : {}),
    ...(handlerRef !== undefined ? { handlerRef } : {}),
    ...(typeof item['deleted'] === 'boolean' ? { deleted: item['deleted'] } : {}),
    updatedAtMs: num(item, 'updatedAtMs'),
  };
}

// ---------------------------------------------------------------- runs

/**
 * The attributes that make an item a running-registry entry: the run's fields plus the sparse
 * GSI keys (removing `gsi1pk`/`gsi1sk` takes it out of the running index).
 */
export function runAttributes(keys: KeySpace, r: RunRecordEntry): Item {
  return {
    gsi1pk: keys.runningIndexPk(r.runId),
    gsi1sk: r.runId,
    runId: r.runId,
    jobName: r.jobName,
    queue: r.queue,
    attempt: r.attempt,
    startedAtMs: r.startedAtMs,
    ...(r.scheduledAtMs !== undefined ? { scheduledAtMs: r.scheduledAtMs } : {}),
    ...(r.cancelRequested !== undefined ? { cancelRequested: r.cancelRequested } : {}),
    runExpiresAtMs: r.expiresAtMs,
  };
}

/** Attribute names of {@link runAttributes}, for the `REMOVE` that ends a run on a claim item. */
export const RUN_ATTRIBUTE_NAMES = ['gsi1pk', 'gsi1sk', 'runId', 'jobName', 'queue', 'attempt', 'startedAtMs', 'scheduledAtMs', 'cancelRequested', 'runExpiresAtMs'] as const;

/** A run registered directly (`RunRegistry.start`): its own item, expiring with the run. */
export function runToItem(keys: KeySpace, r: RunRecordEntry): Item {
  return { ...keys.run(r.runId), kind: 'run', ...runAttributes(keys, r), ttl: ttlOf(r.expiresAtMs) };
}

export function itemToRun(item: Item): RunRecordEntry {
  const scheduledAtMs = optNum(item, 'scheduledAtMs');
  const cancelRequested = optStr(item, 'cancelRequested');
  return {
    runId: str(item, 'runId'),
    jobName: str(item, 'jobName'),
    queue: str(item, 'queue'),
    attempt: num(item, 'attempt'),
    startedAtMs: num(item, 'startedAtMs'),
    ...(scheduledAtMs !== undefined ? { scheduledAtMs } : {}),
    ...(cancelRequested !== undefined ? { cancelRequested } : {}),
    expiresAtMs: num(item, 'runExpiresAtMs'),
  };
}

// ---------------------------------------------------------------- locks

export function lockToItem(keys: KeySpace, key: string, owner: string, expiresAtMs: number): Item {
  return { ...keys.lock(key), kind: 'lock', owner, expiresAtMs, ttl: ttlOf(expiresAtMs) };
}
