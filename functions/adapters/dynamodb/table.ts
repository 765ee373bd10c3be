/**
 * What every DynamoDB adapter shares: the document client, the table name, the key space,
 * and a few helpers (paged queries, batched deletes, condition failures).
 */
import { BatchWriteCommand, type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { KeySpace, type KeySpaceOptions, type TableKey } from './keys.ts';
import type { Item } from './items.ts';

/** Name of the table's one GSI (`gsi1pk` / `gsi1sk`, projection ALL). */
export const GSI1 = 'gsi1';

export interface DynamoTableOptions extends KeySpaceOptions {
  /** A document client built with `removeUndefinedValues: true` (see `createDocumentClient`). */
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * @example
 * const table = new DynamoTable({ doc: createDocumentClient(new DynamoDBClient({})), tableName: 'shop-prod-state' });
 * const locks = new DynamoLockStore(table);
 */
export class DynamoTable {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly keys: KeySpace;

  constructor(opts: DynamoTableOptions) {
    this.doc = opts.doc;
    this.tableName = opts.tableName;
    this.keys = new KeySpace(opts);
  }

  /** Every item of a query, following `LastEvaluatedKey` until `limit` items (or the end). */
  async queryAll(input: Omit<QueryCommandInput, 'TableName'>, limit = Number.POSITIVE_INFINITY): Promise<Item[]> {
    const out: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(new QueryCommand({ ...input, TableName: this.tableName, ...(start ? { ExclusiveStartKey: start } : {}) }));
      for (const item of res.Items ?? []) {
        if (out.length >= limit) break;
        out.push(item);
      }
      start = res.LastEvaluatedKey;
    } while (start && out.length < limit);
    return out;
  }

  /** Deletes `keys` in batches of 25, retrying unprocessed ones. */
  async deleteAll(keys: readonly TableKey[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 25) {
      let requests: Record<string, unknown>[] = keys.slice(i, i + 25).map((k) => ({ DeleteRequest: { Key: { pk: k.pk, sk: k.sk } } }));
      for (let round = 0; requests.length > 0; round++) {
        if (round > 0) await new Promise((r) => setTimeout(r, Math.min(1_000, 50 * 2 ** round)));
        const res = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests as never } }));
        requests = (res.UnprocessedItems?.[this.tableName] ?? []) as Record<string, unknown>[];
        if (round > 8 && requests.length > 0) throw new Error(`DynamoDB left ${requests.length} deletes unprocessed in table ${this.tableName}`);
      }
    }
  }
}

/** `true` for a failed `ConditionExpression` (the expected "no" of a conditional write). */
export function isConditionFailed(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

export function keyOf(item: Item): TableKey {
  return { pk: String(item['pk']), sk: String(item['sk']) };
}
