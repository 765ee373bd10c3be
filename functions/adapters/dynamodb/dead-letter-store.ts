/**
 * DeadLetterStore on DynamoDB: one item per entry (`DL#<id>`, read by id), indexed in the GSI
 * under one partition sorted by `<lastFailedAt ISO>#<id>`, so "newest first", "older than"
 * and "beyond the newest N" are range reads of that index. Dead letters are rare, so one index
 * partition is plenty.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DeadLetterQuery, DeadLetterStore } from '../../../shared/ports.ts';
import type { DeadLetterEntry } from '../../../shared/types.ts';
import { isoOf } from './keys.ts';
import { deadLetterToItem, itemToDeadLetter } from './items.ts';
import { type DynamoTable, GSI1, isConditionFailed, keyOf } from './table.ts';

/** The FilterExpression of a dead-letter query (filters apply after the index range read). */
export function deadLetterFilter(query: DeadLetterQuery): { expression?: string; names: Record<string, string>; values: Record<string, unknown> } {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const field of ['queue', 'errorClass', 'jobName'] as const) {
    const value = query[field];
    if (value === undefined) continue;
    parts.push(`#${field} = :${field}`);
    names[`#${field}`] = field;
    values[`:${field}`] = value;
  }
  return parts.length ? { expression: parts.join(' AND '), names, values } : { names, values };
}

/**
 * @example
 * const deadLetters = new DynamoDeadLetterStore(table);
 * const recent = await deadLetters.list({ queue: 'imports', limit: 20 });
 */
export class DynamoDeadLetterStore implements DeadLetterStore {
  constructor(private readonly table: DynamoTable) {}

  async put(entry: DeadLetterEntry): Promise<void> {
    await this.table.doc.send(new PutCommand({ TableName: this.table.tableName, Item: deadLetterToItem(this.table.keys, entry) }));
  }

  async get(id: string): Promise<DeadLetterEntry | undefined> {
    const res = await this.table.doc.send(new GetCommand({ TableName: this.table.tableName, Key: this.table.keys.deadLetter(id), ConsistentRead: true }));
    return res.Item ? itemToDeadLetter(res.Item) : undefined;
  }

  async list(query: DeadLetterQuery = {}): Promise<DeadLetterEntry[]> {
    const filter = deadLetterFilter(query);
    const items = await this.table.queryAll(
      {
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :dl',
        ExpressionAttributeValues: { ':dl': this.table.keys.deadLetterIndexPk, ...filter.values },
        ...(filter.expression ? { FilterExpression: filter.expression, ExpressionAttributeNames: filter.names } : {}),
        ScanIndexForward: false,
      },
      query.limit ?? Number.POSITIVE_INFINITY,
    );
    return items.map(itemToDeadLetter);
  }

  async delete(id: string): Promise<boolean> {
    try {
      await this.table.doc.send(
        new DeleteCommand({ TableName: this.table.tableName, Key: this.table.keys.deadLetter(id), ConditionExpression: 'attribute_exists(pk)' }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  async deleteBefore(beforeMs: number): Promise<number> {
    // `<ISO>#<id>` < `<ISO(before)>` exactly when lastFailedAt < before (strict, as the port says).
    const items = await this.table.queryAll({
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :dl AND gsi1sk < :before',
      ExpressionAttributeValues: { ':dl': this.table.keys.deadLetterIndexPk, ':before': isoOf(beforeMs) },
      ProjectionExpression: 'pk, sk',
    });
    await this.table.deleteAll(items.map(keyOf));
    return items.length;
  }

  async trimTo(max: number): Promise<number> {
    const items = await this.table.queryAll({
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :dl',
      ExpressionAttributeValues: { ':dl': this.table.keys.deadLetterIndexPk },
      ProjectionExpression: 'pk, sk',
      ScanIndexForward: false,
    });
    const excess = items.slice(Math.max(0, max));
    await this.table.deleteAll(excess.map(keyOf));
    return excess.length;
  }

  async count(): Promise<number> {
    const items = await this.table.queryAll({
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :dl',
      ExpressionAttributeValues: { ':dl': this.table.keys.deadLetterIndexPk },
      ProjectionExpression: 'pk',
    });
    return items.length;
  }
}
