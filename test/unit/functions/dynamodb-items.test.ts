import { describe, expect, test } from 'vitest';
import { finishTransaction, isTransient, refusedIndexes } from '../../../functions/adapters/dynamodb/attempt-ledger.ts';
import { deadLetterFilter } from '../../../functions/adapters/dynamodb/dead-letter-store.ts';
import { countersUpdate } from '../../../functions/adapters/dynamodb/history-store.ts';
import {
  deadLetterToItem,
  historyToItem,
  itemToCounters,
  itemToDeadLetter,
  itemToHistory,
  itemToJobState,
  itemToRun,
  jobStateToItem,
  runToItem,
} from '../../../functions/adapters/dynamodb/items.ts';
import { KeySpace, deadLetterIndexSk, historySkFrom, shardOf, ttlOf } from '../../../functions/adapters/dynamodb/keys.ts';
import { DynamoTable } from '../../../functions/adapters/dynamodb/table.ts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeadLetterEntry, HistoryEntry } from '../../../shared/types.ts';

const T = Date.parse('2027-01-04T06:00:00.000Z');
const keys = new KeySpace();
const table = new DynamoTable({ doc: {} as DynamoDBDocumentClient, tableName: 'shop-prod-state' });

describe('the key design of the one table', () => {
  test.each([
    { what: 'a lock', key: keys.lock('unique:sync'), expected: { pk: 'LOCK#unique:sync', sk: 'LOCK' } },
    { what: 'an attempt claim', key: keys.lock('run:r1:2'), expected: { pk: 'LOCK#run:r1:2', sk: 'LOCK' } },
    { what: 'a run', key: keys.run('r1'), expected: { pk: 'RUN#r1', sk: 'RUN' } },
    { what: 'a history entry', key: keys.history('sync', T, 'r1', 2), expected: { pk: 'JOB#sync', sk: 'H#2027-01-04T06:00:00.000Z#r1#2' } },
    { what: 'the job counters', key: keys.counters('sync'), expected: { pk: 'JOB#sync', sk: 'COUNTERS' } },
    { what: 'a job-state record', key: keys.jobState('sync'), expected: { pk: 'JOBS', sk: 'sync' } },
    { what: 'a dead letter', key: keys.deadLetter('d1'), expected: { pk: 'DL#d1', sk: 'DL' } },
  ])('$what is keyed $expected.pk / $expected.sk', ({ key, expected }) => {
    expect(key).toEqual(expected);
  });

  test('a namespace prefixes every partition key, in the table and in the index', () => {
    // Prepare
    const ns = new KeySpace({ namespace: 'test_1#', runShards: 2 });
    // Act + Assess
    expect(ns.lock('k').pk).toBe('test_1#LOCK#k');
    expect(ns.jobStatePartition).toBe('test_1#JOBS');
    expect(ns.deadLetterIndexPk).toBe('test_1#DL');
    expect(ns.runningShardPks()).toEqual(['test_1#RUNNING#0', 'test_1#RUNNING#1']);
  });

  test('history sort keys order by start time, so a descending query lists newest first', () => {
    const older = keys.history('sync', T, 'zzz', 9).sk;
    const newer = keys.history('sync', T + 1, 'aaa', 1).sk;
    expect([newer, older].sort()).toEqual([older, newer]);
    expect(historySkFrom(T) <= older).toBe(true);
  });

  test('dead-letter index keys order by last failure, then by id', () => {
    expect(deadLetterIndexSk(T, 'b')).toBe('2027-01-04T06:00:00.000Z#b');
    expect([deadLetterIndexSk(T + 1, 'a'), deadLetterIndexSk(T, 'b'), deadLetterIndexSk(T, 'a')].sort()).toEqual([
      '2027-01-04T06:00:00.000Z#a',
      '2027-01-04T06:00:00.000Z#b',
      '2027-01-04T06:00:00.001Z#a',
    ]);
  });

  test('TTL is epoch seconds rounded up, so an item never expires early', () => {
    expect([ttlOf(1_000), ttlOf(1_001), ttlOf(1_999)]).toEqual([1, 2, 2]);
  });

  test('a run id always lands on the same shard, within range', () => {
    expect(shardOf('r1', 4)).toBe(shardOf('r1', 4));
    const shards = new Set(Array.from({ length: 200 }, (_, i) => shardOf(`run-${i}`, 4)));
    expect([...shards].sort()).toEqual([0, 1, 2, 3]);
  });
});

describe('items round-trip to the entities the memory adapters return', () => {
  test('a history entry with every field round-trips with Dates as Dates', () => {
    // Prepare
    const entry: HistoryEntry = {
      runId: 'sync@2027-01-04T06:00:00.000Z',
      jobName: 'sync',
      attempt: 2,
      scheduledAt: new Date(T),
      startedAt: new Date(T + 10),
      finishedAt: new Date(T + 260),
      durationMs: 250,
      result: 'retry',
      error: { type: 'Error', message: 'upstream 503' },
      queue: 'default',
      nextAttemptAt: new Date(T + 2_260),
    };
    // Act
    const item = historyToItem(keys, entry, { retentionMs: 86_400_000 });
    // Assess
    expect(item).toMatchObject({ pk: 'JOB#sync', sk: 'H#2027-01-04T06:00:00.010Z#sync@2027-01-04T06:00:00.000Z#2', startedAtMs: T + 10, ttl: ttlOf(T + 260 + 86_400_000) });
    expect(itemToHistory(item)).toEqual(entry);
  });

  test('a minimal history entry gains no optional fields', () => {
    const entry: HistoryEntry = { runId: 'r', jobName: 'j', attempt: 1, startedAt: new Date(T), finishedAt: new Date(T), durationMs: 0, result: 'ok' };
    expect(itemToHistory(historyToItem(keys, entry, { retentionMs: 0 }))).toStrictEqual(entry);
  });

  test.each([
    { what: 'with args, run id and scheduled time', overrides: { runId: 'r1', scheduledAt: new Date(T - 60_000), args: { ids: [1, 2], note: null } } as Partial<DeadLetterEntry> },
    { what: 'without args or stack trace', overrides: { args: undefined, stacktrace: null } as Partial<DeadLetterEntry> },
  ])('a dead-letter entry $what round-trips', ({ overrides }) => {
    // Prepare
    const entry: DeadLetterEntry = {
      id: 'd1',
      jobName: 'send_invoice',
      queue: 'default',
      args: 'args' in overrides ? overrides.args : { invoiceId: 42 },
      error: { type: 'TypeError', message: 'boom' },
      errorClass: 'TypeError',
      attempts: 4,
      firstFailedAt: new Date(T - 7_000),
      lastFailedAt: new Date(T),
      stacktrace: 'TypeError: boom',
      ...(overrides.runId !== undefined ? { runId: overrides.runId } : {}),
      ...(overrides.scheduledAt ? { scheduledAt: overrides.scheduledAt } : {}),
      ...(overrides.stacktrace === null ? { stacktrace: null } : {}),
    };
    // Act
    const item = deadLetterToItem(keys, entry);
    // Assess
    expect(item).toMatchObject({ pk: 'DL#d1', sk: 'DL', gsi1pk: 'DL', gsi1sk: '2027-01-04T06:00:00.000Z#d1' });
    expect(itemToDeadLetter(item)).toEqual(entry);
  });

  test('a job-state record keeps its definition exactly (stored as JSON)', () => {
    const record = { name: 'nightly', paused: true, definition: { cron: ['0 6 * * *'], timeout: [5, 'minutes'], meta: { weight: 1.5 } }, handlerRef: 'import_orders', updatedAtMs: T };
    const item = jobStateToItem(keys, record);
    expect(item).toMatchObject({ pk: 'JOBS', sk: 'nightly', definitionJson: '{"cron":["0 6 * * *"],"timeout":[5,"minutes"],"meta":{"weight":1.5}}' });
    expect(itemToJobState(item)).toEqual(record);
  });

  test('a run is indexed under its shard and round-trips', () => {
    const run = { runId: 'r1', jobName: 'sync', queue: 'imports', attempt: 2, startedAtMs: T, scheduledAtMs: T - 1_000, cancelRequested: 'operator', expiresAtMs: T + 120_000 };
    const item = runToItem(keys, run);
    expect(item).toMatchObject({ pk: 'RUN#r1', sk: 'RUN', gsi1pk: `RUNNING#${shardOf('r1', 4)}`, gsi1sk: 'r1', runExpiresAtMs: T + 120_000, ttl: ttlOf(T + 120_000) });
    expect(itemToRun(item)).toEqual(run);
  });

  test('a counters item without a last error reads as lastError null', () => {
    expect(itemToCounters({ runCount: 3, errorCount: 0, lastRunAtMs: T, lastResult: 'ok' })).toEqual({ runCount: 3, errorCount: 0, lastRunAtMs: T, lastResult: 'ok', lastError: null });
  });
});

describe('the writes the stores send', () => {
  test.each([
    { what: 'a success keeps the last error', record: { atMs: T, result: 'ok' as const }, expression: 'ADD runCount :one, errorCount :err SET lastRunAtMs = :at, lastResult = :result', err: 0 },
    {
      what: 'an error with details sets it',
      record: { atMs: T, result: 'error' as const, error: { type: 'E', message: 'm' } },
      expression: 'ADD runCount :one, errorCount :err SET lastRunAtMs = :at, lastResult = :result, lastError = :error',
      err: 1,
    },
    { what: 'a timeout without details clears it', record: { atMs: T, result: 'timeout' as const }, expression: 'ADD runCount :one, errorCount :err SET lastRunAtMs = :at, lastResult = :result REMOVE lastError', err: 1 },
  ])('the counters update: $what', ({ record, expression, err }) => {
    const update = countersUpdate(table, 'sync', record);
    expect(update.UpdateExpression).toBe(expression);
    expect(update.ExpressionAttributeValues[':err']).toBe(err);
    expect(update.Key).toEqual({ pk: 'JOB#sync', sk: 'COUNTERS' });
  });

  test('the dead-letter filter names each given field', () => {
    expect(deadLetterFilter({ queue: 'imports', jobName: 'sync', limit: 3 })).toEqual({
      expression: '#queue = :queue AND #jobName = :jobName',
      names: { '#queue': 'queue', '#jobName': 'jobName' },
      values: { ':queue': 'imports', ':jobName': 'sync' },
    });
    expect(deadLetterFilter({})).toEqual({ names: {}, values: {} });
  });

  test('finish is one transaction: history, counters, claim retention, then the unique lock', () => {
    // Prepare
    const history: HistoryEntry = { runId: 'r1', jobName: 'sync', attempt: 1, startedAt: new Date(T), finishedAt: new Date(T + 5), durationMs: 5, result: 'ok' };
    // Act
    const items = finishTransaction(
      table,
      { claim: { key: 'run:r1:1', owner: 'w/r1/1', retainUntilMs: T + 3_600_000 }, runId: 'r1', history, record: { atMs: T, result: 'ok' }, unique: { key: 'unique:sync', owner: 'r1', untilMs: null } },
      1_000,
    );
    // Assess
    expect(items.map((i) => Object.keys(i)[0])).toEqual(['Put', 'Update', 'Update', 'Delete']);
    expect(items[2]!.Update!.Key).toEqual({ pk: 'LOCK#run:r1:1', sk: 'LOCK' });
    expect(items[2]!.Update!.UpdateExpression).toBe(
      'SET expiresAtMs = :exp, #ttl = :ttl REMOVE #r_gsi1pk, #r_gsi1sk, #r_runId, #r_jobName, #r_queue, #r_attempt, #r_startedAtMs, #r_scheduledAtMs, #r_cancelRequested, #r_runExpiresAtMs',
    );
    expect(items[3]!.Delete!.Key).toEqual({ pk: 'LOCK#unique:sync', sk: 'LOCK' });
  });

  test.each([
    { what: 'a refused unique lock', reasons: ['None', 'None', 'None', 'ConditionalCheckFailed'], expected: [3] },
    { what: 'a conflict (not ours to drop)', reasons: ['None', 'TransactionConflict', 'None'], expected: [] },
  ])('a cancelled transaction reports the refused items: $what', ({ reasons, expected }) => {
    const error = Object.assign(new Error('cancelled'), { name: 'TransactionCanceledException', CancellationReasons: reasons.map((Code) => ({ Code })) });
    expect(refusedIndexes(error)).toEqual(expected);
  });

  test.each([
    { what: 'two runs updating the same counters item (a conflict)', name: 'TransactionCanceledException', reasons: ['None', 'TransactionConflict', 'None'], expected: true },
    { what: 'throttling inside the transaction', name: 'TransactionCanceledException', reasons: ['ThrottlingError', 'None'], expected: true },
    { what: 'a refused condition (not transient: the claim is not ours)', name: 'TransactionCanceledException', reasons: ['None', 'None', 'ConditionalCheckFailed'], expected: false },
    { what: 'a conflict mixed with a refused condition', name: 'TransactionCanceledException', reasons: ['ConditionalCheckFailed', 'TransactionConflict'], expected: false },
    { what: 'a throttled request', name: 'ProvisionedThroughputExceededException', reasons: [], expected: true },
    { what: 'a validation error', name: 'ValidationException', reasons: [], expected: false },
  ])('finish retries a cancelled transaction only when it is transient: $what', ({ name, reasons, expected }) => {
    const error = Object.assign(new Error('cancelled'), { name, ...(reasons.length ? { CancellationReasons: reasons.map((Code) => ({ Code })) } : {}) });
    expect(isTransient(error)).toBe(expected);
  });
});
