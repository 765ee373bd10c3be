/**
 * LockStore on DynamoDB: one item per key, taken with a conditional put. The condition checks
 * the expiry itself, because TTL deletes expired items lazily (up to days later).
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LockStore } from '../../../shared/ports.ts';
import { ttlOf } from './keys.ts';
import { type Item, lockToItem } from './items.ts';
import { type DynamoTable, isConditionFailed } from './table.ts';

/** Absent, or expired at `:now` (a claim item that still carries an old run is replaced whole). */
export const ACQUIRE_CONDITION = 'attribute_not_exists(pk) OR expiresAtMs <= :now';

/**
 * @example
 * const locks = new DynamoLockStore(table);
 * if (await locks.acquire('unique:sync', runId, Date.now(), Date.now() + 120_000)) { ... }
 */
export class DynamoLockStore implements LockStore {
  constructor(private readonly table: DynamoTable) {}

  async acquire(key: string, owner: string, nowMs: number, expiresAtMs: number): Promise<boolean> {
    return this.conditionalPut(lockToItem(this.table.keys, key, owner, expiresAtMs), nowMs);
  }

  /** A conditional put of a lock-shaped item (the ledger adds run attributes to it). */
  async conditionalPut(item: Item, nowMs: number): Promise<boolean> {
    try {
      await this.table.doc.send(
        new PutCommand({ TableName: this.table.tableName, Item: item, ConditionExpression: ACQUIRE_CONDITION, ExpressionAttributeValues: { ':now': nowMs } }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  async release(key: string, owner: string): Promise<boolean> {
    try {
      await this.table.doc.send(
        new DeleteCommand({
          TableName: this.table.tableName,
          Key: this.table.keys.lock(key),
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  async extend(key: string, owner: string, expiresAtMs: number): Promise<boolean> {
    try {
      await this.table.doc.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: this.table.keys.lock(key),
          UpdateExpression: 'SET expiresAtMs = :exp, #ttl = :ttl',
          ConditionExpression: 'attribute_exists(pk) AND #owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':owner': owner, ':exp': expiresAtMs, ':ttl': ttlOf(expiresAtMs) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  async get(key: string, nowMs: number): Promise<{ owner: string; expiresAtMs: number } | undefined> {
    const res = await this.table.doc.send(new GetCommand({ TableName: this.table.tableName, Key: this.table.keys.lock(key), ConsistentRead: true }));
    const item = res.Item;
    if (!item || Number(item['expiresAtMs']) <= nowMs) return undefined;
    return { owner: String(item['owner']), expiresAtMs: Number(item['expiresAtMs']) };
  }
}
