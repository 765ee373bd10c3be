/**
 * JobStateStore on DynamoDB: every record in one partition (`JOBS`), so `list()` is a single
 * Query — what the worker's cached job registry reads.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { JobStateRecord, JobStateStore } from '../../../shared/ports.ts';
import { itemToJobState, jobStateToItem } from './items.ts';
import type { DynamoTable } from './table.ts';

/**
 * @example
 * const jobState = new DynamoJobStateStore(table);
 * await jobState.put({ name: 'daily_report', paused: true, updatedAtMs: Date.now() });
 */
export class DynamoJobStateStore implements JobStateStore {
  constructor(private readonly table: DynamoTable) {}

  async get(name: string): Promise<JobStateRecord | undefined> {
    const res = await this.table.doc.send(new GetCommand({ TableName: this.table.tableName, Key: this.table.keys.jobState(name), ConsistentRead: true }));
    return res.Item ? itemToJobState(res.Item) : undefined;
  }

  async put(record: JobStateRecord): Promise<void> {
    await this.table.doc.send(new PutCommand({ TableName: this.table.tableName, Item: jobStateToItem(this.table.keys, record) }));
  }

  async delete(name: string): Promise<void> {
    await this.table.doc.send(new DeleteCommand({ TableName: this.table.tableName, Key: this.table.keys.jobState(name) }));
  }

  async list(): Promise<JobStateRecord[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': this.table.keys.jobStatePartition },
      ConsistentRead: true,
    });
    return items.map(itemToJobState);
  }
}
