/**
 * HistoryStore on DynamoDB: one item per finished attempt in the job's partition, sorted by
 * start time (newest first = a descending Query); the job's counters are one more item of that
 * partition, updated atomically with `ADD`.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { HistoryQuery, HistoryStore, JobCounters, RunRecord } from '../../../shared/ports.ts';
import type { HistoryEntry } from '../../../shared/types.ts';
import { HISTORY_SK_PREFIX, historySkFrom } from './keys.ts';
import { historyToItem, isErrorResult, itemToCounters, itemToHistory } from './items.ts';
import { type DynamoTable, keyOf } from './table.ts';

/** History items expire this long after they finished. @default 30 days */
export const DEFAULT_HISTORY_RETENTION_MS = 30 * 86_400_000;
/** Upper bound of one `list` (the memory store keeps 1000 entries per job). */
export const MAX_HISTORY_LIST = 10_000;

export interface DynamoHistoryStoreOptions {
  /** @default DEFAULT_HISTORY_RETENTION_MS */
  readonly retentionMs?: number;
}

/**
 * The counters update of one finished attempt (shared with the ledger's transaction):
 * runCount += 1, errorCount += isError, last* set; a non-error result keeps `lastError`.
 */
export function countersUpdate(
  table: DynamoTable,
  jobName: string,
  record: RunRecord,
): { Key: Record<string, string>; UpdateExpression: string; ExpressionAttributeValues: Record<string, unknown> } {
  const isError = isErrorResult(record.result);
  const sets = ['lastRunAtMs = :at', 'lastResult = :result'];
  const values: Record<string, unknown> = { ':one': 1, ':err': isError ? 1 : 0, ':at': record.atMs, ':result': record.result };
  let remove = '';
  if (record.error) {
    sets.push('lastError = :error');
    values[':error'] = { type: record.error.type, message: record.error.message };
  } else if (isError) {
    remove = ' REMOVE lastError';
  }
  return {
    Key: { ...table.keys.counters(jobName) },
    UpdateExpression: `ADD runCount :one, errorCount :err SET ${sets.join(', ')}${remove}`,
    ExpressionAttributeValues: values,
  };
}

/**
 * @example
 * const history = new DynamoHistoryStore(table);
 * const last10 = await history.list('daily_report', { limit: 10 });
 */
export class DynamoHistoryStore implements HistoryStore {
  readonly retentionMs: number;

  constructor(
    private readonly table: DynamoTable,
    opts: DynamoHistoryStoreOptions = {},
  ) {
    this.retentionMs = opts.retentionMs ?? DEFAULT_HISTORY_RETENTION_MS;
  }

  async append(entry: HistoryEntry): Promise<void> {
    await this.table.doc.send(new PutCommand({ TableName: this.table.tableName, Item: historyToItem(this.table.keys, entry, { retentionMs: this.retentionMs }) }));
  }

  async list(jobName: string, query: HistoryQuery = {}): Promise<HistoryEntry[]> {
    const limit = Math.min(query.limit ?? MAX_HISTORY_LIST, MAX_HISTORY_LIST);
    if (limit <= 0) return [];
    const pk = this.table.keys.jobPartition(jobName);
    // `H#` + ISO, then `#runId#attempt`: `>= H#<since>` is inclusive; `<= H$` closes the H# range.
    const from = query.sinceMs !== undefined ? historySkFrom(query.sinceMs) : HISTORY_SK_PREFIX;
    const items = await this.table.queryAll(
      {
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': 'H$' },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      },
      limit,
    );
    return items.map(itemToHistory);
  }

  async recordResult(jobName: string, update: RunRecord): Promise<void> {
    await this.table.doc.send(new UpdateCommand({ TableName: this.table.tableName, ...countersUpdate(this.table, jobName, update) }));
  }

  async getCounters(jobName: string): Promise<JobCounters | undefined> {
    const res = await this.table.doc.send(new GetCommand({ TableName: this.table.tableName, Key: this.table.keys.counters(jobName), ConsistentRead: true }));
    return res.Item ? itemToCounters(res.Item) : undefined;
  }

  async deleteJob(jobName: string): Promise<void> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': this.table.keys.jobPartition(jobName) },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
    await this.table.deleteAll(items.map(keyOf));
  }
}
