/**
 * RunRegistry on DynamoDB. A running run is any item carrying the run attributes and the
 * sparse GSI keys (`gsi1pk = RUNNING#<shard>`, `gsi1sk = <runId>`): usually the attempt's claim
 * item written by the ledger (no extra write per run), or a `RUN#<runId>` item written by
 * `start`. Finishing removes the GSI keys (claim items) or the item (run items), so the index
 * only ever holds runs in progress; `list` reads its few shards.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RunRecordEntry, RunRegistry } from '../../../shared/ports.ts';
import { type Item, RUN_ATTRIBUTE_NAMES, itemToRun, runToItem } from './items.ts';
import { type DynamoTable, GSI1, isConditionFailed, keyOf } from './table.ts';

/** `REMOVE` clause that takes a claim item out of the running registry. */
export const END_RUN_REMOVE = `REMOVE ${RUN_ATTRIBUTE_NAMES.map((n) => `#r_${n}`).join(', ')}`;
export const END_RUN_NAMES: Record<string, string> = Object.fromEntries(RUN_ATTRIBUTE_NAMES.map((n) => [`#r_${n}`, n]));

/**
 * @example
 * const runs = new DynamoRunRegistry(table);
 * const running = await runs.list(Date.now());
 */
export class DynamoRunRegistry implements RunRegistry {
  constructor(private readonly table: DynamoTable) {}

  async start(entry: RunRecordEntry): Promise<void> {
    await this.table.doc.send(new PutCommand({ TableName: this.table.tableName, Item: runToItem(this.table.keys, entry) }));
  }

  async finish(runId: string): Promise<void> {
    await this.table.doc.send(new DeleteCommand({ TableName: this.table.tableName, Key: this.table.keys.run(runId) }));
    for (const item of await this.indexed(runId)) {
      if (String(item['sk']) === 'RUN') continue;
      await this.endRunOn(item, runId);
    }
  }

  async list(nowMs: number): Promise<RunRecordEntry[]> {
    const shards = await Promise.all(
      this.table.keys.runningShardPks().map((pk) =>
        this.table.queryAll({ IndexName: GSI1, KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
      ),
    );
    const latest = new Map<string, RunRecordEntry>();
    for (const item of shards.flat()) {
      const run = itemToRun(item);
      if (run.expiresAtMs <= nowMs) continue;
      const seen = latest.get(run.runId);
      if (!seen || run.attempt > seen.attempt) latest.set(run.runId, run);
    }
    return [...latest.values()].sort((a, b) => a.startedAtMs - b.startedAtMs);
  }

  async get(runId: string, nowMs: number): Promise<RunRecordEntry | undefined> {
    const live = (await this.candidates(runId)).map(itemToRun).filter((r) => r.expiresAtMs > nowMs);
    return live.sort((a, b) => b.attempt - a.attempt)[0];
  }

  async requestCancel(runId: string, reason: string): Promise<boolean> {
    let found = false;
    for (const item of await this.candidates(runId)) {
      try {
        await this.table.doc.send(
          new UpdateCommand({
            TableName: this.table.tableName,
            Key: keyOf(item),
            UpdateExpression: 'SET cancelRequested = :reason',
            ConditionExpression: 'gsi1sk = :runId',
            ExpressionAttributeValues: { ':reason': reason, ':runId': runId },
          }),
        );
        found = true;
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
      }
    }
    return found;
  }

  /** Items of `runId` in the running index (eventually consistent), else its `RUN#` item (consistent). */
  private async candidates(runId: string): Promise<Item[]> {
    const indexed = await this.indexed(runId);
    if (indexed.length > 0) return indexed;
    const res = await this.table.doc.send(new GetCommand({ TableName: this.table.tableName, Key: this.table.keys.run(runId), ConsistentRead: true }));
    return res.Item ? [res.Item] : [];
  }

  private indexed(runId: string): Promise<Item[]> {
    return this.table.queryAll({
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :runId',
      ExpressionAttributeValues: { ':pk': this.table.keys.runningIndexPk(runId), ':runId': runId },
    });
  }

  private async endRunOn(item: Item, runId: string): Promise<void> {
    try {
      await this.table.doc.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: keyOf(item),
          UpdateExpression: END_RUN_REMOVE,
          ConditionExpression: 'gsi1sk = :runId',
          ExpressionAttributeNames: END_RUN_NAMES,
          ExpressionAttributeValues: { ':runId': runId },
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  }
}
