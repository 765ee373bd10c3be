/**
 * The DynamoDB adapters of the store ports, over ONE table (`pk` S, `sk` S, TTL `ttl`, GSI
 * `gsi1` on `gsi1pk` S / `gsi1sk` S, projection ALL). `<ns>` is the optional namespace prefix
 * (empty in production; the conformance harness uses one per test).
 *
 * | entity | pk | sk | gsi1pk | gsi1sk | ttl | written by |
 * |---|---|---|---|---|---|---|
 * | lock (`unique:<job>`, …) | `<ns>LOCK#<key>` | `LOCK` | – | – | expiry | LockStore (conditional put: absent OR `expiresAtMs <= now`) |
 * | attempt claim = running run | `<ns>LOCK#run:<runId>:<attempt>[:<node>]` | `LOCK` | `<ns>RUNNING#<shard>` while running | `<runId>` | claim expiry, then retention | ledger `begin` (1 conditional put); `finish` keeps it (retention) and removes the gsi keys + run attributes |
 * | run registered directly | `<ns>RUN#<runId>` | `RUN` | `<ns>RUNNING#<shard>` | `<runId>` | run expiry | RunRegistry.start / finish |
 * | history entry | `<ns>JOB#<job>` | `H#<startedAt ISO>#<runId>#<attempt>` | – | – | finishedAt + 30 d | HistoryStore.append, ledger `finish` |
 * | job counters | `<ns>JOB#<job>` | `COUNTERS` | – | – | – | `UpdateItem ADD runCount, errorCount SET last*` |
 * | job state | `<ns>JOBS` | `<job>` | – | – | – | JobStateStore (one Query lists all) |
 * | dead letter | `<ns>DL#<id>` | `DL` | `<ns>DL` | `<lastFailedAt ISO>#<id>` | – | DeadLetterStore |
 *
 * - `<shard>` = FNV-1a(runId) mod 4: `runningJobs()` reads 4 small index partitions, and the
 *   index is sparse (only runs in progress), so no hot partition grows with history.
 * - Times are epoch-ms numbers on items (`startedAtMs`, `expiresAtMs`, …); ISO only inside sort keys.
 * - Conditions check expiry themselves: TTL deletes lazily (up to days late).
 * - Reads that decide something (`get` of a lock, a counter, a dead letter, a job state) are
 *   `ConsistentRead`; the running index (GSI) is eventually consistent — fine for listing and for
 *   the 1 s cancel poll.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Stores } from '../../../shared/ports.ts';
import { DynamoAttemptLedger } from './attempt-ledger.ts';
import { DynamoDeadLetterStore } from './dead-letter-store.ts';
import { DynamoHistoryStore, type DynamoHistoryStoreOptions } from './history-store.ts';
import { DynamoJobStateStore } from './job-state-store.ts';
import type { KeySpaceOptions } from './keys.ts';
import { DynamoLockStore } from './lock-store.ts';
import { DynamoRunRegistry } from './run-registry.ts';
import { DynamoTable } from './table.ts';

export { DynamoAttemptLedger, finishTransaction, refusedIndexes } from './attempt-ledger.ts';
export { DynamoDeadLetterStore, deadLetterFilter } from './dead-letter-store.ts';
export { DynamoHistoryStore, DEFAULT_HISTORY_RETENTION_MS, countersUpdate } from './history-store.ts';
export { DynamoJobStateStore } from './job-state-store.ts';
export { KeySpace, DEFAULT_RUN_SHARDS, shardOf, ttlOf } from './keys.ts';
export { DynamoLockStore, ACQUIRE_CONDITION } from './lock-store.ts';
export { DynamoRunRegistry } from './run-registry.ts';
export { DynamoTable, GSI1 } from './table.ts';

/** A document client that drops `undefined` attributes (optional fields stay absent). */
export function createDocumentClient(client: DynamoDBClient | DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  const base = client instanceof DynamoDBClient ? client : new DynamoDBClient(client);
  return DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
}

export interface DynamoStoresOptions extends KeySpaceOptions, DynamoHistoryStoreOptions {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** Every store port on the one table. The stores are plain objects: build them once per container. */
export interface DynamoStores extends Stores {
  readonly table: DynamoTable;
  readonly locks: DynamoLockStore;
  readonly history: DynamoHistoryStore;
  readonly deadLetters: DynamoDeadLetterStore;
  readonly jobState: DynamoJobStateStore;
  readonly runs: DynamoRunRegistry;
  readonly ledger: DynamoAttemptLedger;
}

/**
 * @example
 * const stores = createDynamoStores({ doc: createDocumentClient({ region: 'eu-west-1' }), tableName: 'shop-prod-state' });
 * await stores.history.list('daily_report', { limit: 10 });
 */
export function createDynamoStores(opts: DynamoStoresOptions): DynamoStores {
  const table = new DynamoTable(opts);
  const locks = new DynamoLockStore(table);
  const history = new DynamoHistoryStore(table, opts);
  return {
    table,
    locks,
    history,
    deadLetters: new DynamoDeadLetterStore(table),
    jobState: new DynamoJobStateStore(table),
    runs: new DynamoRunRegistry(table),
    ledger: new DynamoAttemptLedger(table, locks, history),
  };
}
