/**
 * AttemptLedger on DynamoDB: the two writes around every attempt.
 * - `begin`: ONE conditional put of the claim item, which also carries the run's attributes and
 *   the sparse running-index keys — claiming and registering the run are the same write.
 * - `finish`: ONE TransactWriteItems — history put, counters update, claim retention (and its
 *   removal from the running index), unique lock release or extension.
 */
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AttemptClaim, AttemptLedger, RunRecordEntry } from '../../../shared/ports.ts';
import { countersUpdate, type DynamoHistoryStore } from './history-store.ts';
import { ttlOf } from './keys.ts';
import { historyToItem, lockToItem, runAttributes } from './items.ts';
import type { DynamoLockStore } from './lock-store.ts';
import { END_RUN_NAMES, END_RUN_REMOVE } from './run-registry.ts';
import type { DynamoTable } from './table.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type FinishInput = Parameters<AttemptLedger['finish']>[0];

/**
 * The transaction `finish` sends (pure, for tests and docs). Items 0-1 always succeed; the
 * owner conditions on the claim (2) and the unique lock (3) are what a retry may drop.
 */
export function finishTransaction(table: DynamoTable, done: FinishInput, historyRetentionMs: number): TransactItem[] {
  const { keys, tableName } = table;
  const items: TransactItem[] = [
    { Put: { TableName: tableName, Item: historyToItem(keys, done.history, { retentionMs: historyRetentionMs }) } },
    { Update: { TableName: tableName, ...countersUpdate(table, done.history.jobName, done.record) } },
    {
      Update: {
        TableName: tableName,
        Key: keys.lock(done.claim.key),
        UpdateExpression: `SET expiresAtMs = :exp, #ttl = :ttl ${END_RUN_REMOVE}`,
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { ...END_RUN_NAMES, '#ttl': 'ttl', '#owner': 'owner' },
        ExpressionAttributeValues: { ':exp': done.claim.retainUntilMs, ':ttl': ttlOf(done.claim.retainUntilMs), ':owner': done.claim.owner },
      },
    },
  ];
  const unique = done.unique;
  if (unique) {
    items.push(
      unique.untilMs === null
        ? {
            Delete: {
              TableName: tableName,
              Key: keys.lock(unique.key),
              ConditionExpression: '#owner = :owner',
              ExpressionAttributeNames: { '#owner': 'owner' },
              ExpressionAttributeValues: { ':owner': unique.owner },
            },
          }
        : {
            Update: {
              TableName: tableName,
              Key: keys.lock(unique.key),
              UpdateExpression: 'SET expiresAtMs = :exp, #ttl = :ttl',
              ConditionExpression: '#owner = :owner',
              ExpressionAttributeNames: { '#owner': 'owner', '#ttl': 'ttl' },
              ExpressionAttributeValues: { ':owner': unique.owner, ':exp': unique.untilMs, ':ttl': ttlOf(unique.untilMs) },
            },
          },
    );
  }
  return items;
}

/**
 * @example
 * const ledger = new DynamoAttemptLedger(table, locks, history);
 * if (await ledger.begin({ key: 'run:r1:1', owner: 'w1/r1/1', nowMs, expiresAtMs }, runEntry)) { ... }
 */
export class DynamoAttemptLedger implements AttemptLedger {
  constructor(
    private readonly table: DynamoTable,
    private readonly locks: DynamoLockStore,
    private readonly history: DynamoHistoryStore,
  ) {}

  async begin(claim: AttemptClaim & { nowMs: number; expiresAtMs: number }, run: RunRecordEntry): Promise<boolean> {
    const item = { ...lockToItem(this.table.keys, claim.key, claim.owner, claim.expiresAtMs), kind: 'claim', ...runAttributes(this.table.keys, run) };
    return this.locks.conditionalPut(item, claim.nowMs);
  }

  async finish(done: FinishInput): Promise<void> {
    let items = finishTransaction(this.table, done, this.history.retentionMs);
    let droppedRefused = false;
    for (let round = 0; ; round++) {
      try {
        await this.table.doc.send(new TransactWriteCommand({ TransactItems: items }));
        return;
      } catch (error) {
        // Two runs of one job finishing together both update its counters item: DynamoDB
        // cancels one transaction (TransactionConflict), and the SDK does not retry that.
        // The handler has already run, so giving up here would run it again: retry instead.
        if (isTransient(error) && round < FINISH_RETRIES) {
          await sleep(backoffMs(round));
          continue;
        }
        // A claim or unique lock no longer ours (expired and taken, or abandoned) must not cost
        // the history: drop the refused owner-conditioned items and write the rest.
        const refused = refusedIndexes(error);
        if (droppedRefused || refused.length === 0 || refused.some((i) => i < 2)) throw error;
        items = items.filter((_, i) => !refused.includes(i));
        droppedRefused = true;
      }
    }
  }

  async abandon(claim: AttemptClaim, _runId: string, unique?: { key: string; owner: string }): Promise<void> {
    // Deleting the claim item also takes the run out of the running index.
    await this.locks.release(claim.key, claim.owner);
    if (unique) await this.locks.release(unique.key, unique.owner);
  }
}

/** How often `finish` retries a transaction cancelled by a conflict or throttling. */
export const FINISH_RETRIES = 6;

/** Full-jitter exponential backoff: up to 25, 50, 100, … ms. */
function backoffMs(round: number): number {
  return Math.random() * 25 * 2 ** round;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A cancellation worth retrying as is: every reason is a conflict, throttling or `None`
 * (the items that were fine), or the request itself was throttled.
 */
export function isTransient(error: unknown): boolean {
  const e = error as { name?: string; CancellationReasons?: ReadonlyArray<{ Code?: string }> } | null;
  if (e?.name === 'ProvisionedThroughputExceededException' || e?.name === 'ThrottlingException' || e?.name === 'RequestLimitExceeded') return true;
  if (e?.name !== 'TransactionCanceledException' || !e.CancellationReasons) return false;
  const transient = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);
  return e.CancellationReasons.some((r) => r.Code !== undefined && transient.has(r.Code)) &&
    e.CancellationReasons.every((r) => r.Code === undefined || r.Code === 'None' || transient.has(r.Code));
}

/** Indexes of a cancelled transaction's items that failed their condition. */
export function refusedIndexes(error: unknown): number[] {
  const e = error as { name?: string; CancellationReasons?: ReadonlyArray<{ Code?: string }> } | null;
  if (e?.name !== 'TransactionCanceledException' || !e.CancellationReasons) return [];
  // Any other reason (a conflict, throttling) is not ours to paper over: report none.
  if (e.CancellationReasons.some((r) => r.Code !== undefined && r.Code !== 'None' && r.Code !== 'ConditionalCheckFailed')) return [];
  const out: number[] = [];
  e.CancellationReasons.forEach((r, i) => {
    if (r.Code === 'ConditionalCheckFailed') out.push(i);
  });
  return out;
}
