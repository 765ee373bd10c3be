/**
 * The store ports' conformance suites (test/conformance/) against the DynamoDB adapters
 * (functions/adapters/dynamodb/) on the emulator's DynamoDB: one scratch table shaped like the
 * deployed one, and a key namespace per test, so every test sees an empty store of its own.
 * Real time: `advance` sleeps, and no virtual-time capability is claimed.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe } from 'vitest';
import { createDocumentClient, createDynamoStores, type DynamoStores } from '../../functions/adapters/dynamodb/index.ts';
import { describeAttemptLedgerConformance } from '../conformance/attempt-ledger.conformance.ts';
import { describeDeadLetterStoreConformance } from '../conformance/dead-letter-store.conformance.ts';
import { uniqueName } from '../conformance/harness.ts';
import { describeHistoryStoreConformance } from '../conformance/history-store.conformance.ts';
import { describeJobStateStoreConformance } from '../conformance/job-state-store.conformance.ts';
import { describeLockStoreConformance } from '../conformance/lock-store.conformance.ts';
import { describeRunRegistryConformance } from '../conformance/run-registry.conformance.ts';
import { emulatorSkipReason } from './helpers/emulator-context.ts';
import { createStateTable, deleteTable, dynamoClient } from './helpers/scratch-resources.ts';

const skipReason = emulatorSkipReason();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(skipReason !== undefined)('DynamoDB adapters on the emulator', () => {
  let db: DynamoDBClient;
  let tableName = '';
  beforeAll(async () => {
    db = dynamoClient();
    tableName = await createStateTable(db);
  });
  afterAll(async () => {
    await deleteTable(db, tableName);
    db.destroy();
  });

  /** Fresh stores in a namespace of their own: an empty store for each test. */
  function stores(): DynamoStores {
    return createDynamoStores({ doc: createDocumentClient(db), tableName, namespace: `${uniqueName('t')}#` });
  }
  const time = { now: () => Date.now(), advance: (ms: number) => sleep(ms + 300) };

  describeLockStoreConformance('dynamodb', async () => ({ locks: stores().locks, ...time }));
  describeHistoryStoreConformance('dynamodb', async () => ({ history: stores().history, ...time }));
  describeDeadLetterStoreConformance('dynamodb', async () => ({ deadLetters: stores().deadLetters, ...time }));
  describeJobStateStoreConformance('dynamodb', async () => ({ jobState: stores().jobState, ...time }));
  describeRunRegistryConformance('dynamodb', async () => ({ runs: stores().runs, ...time }));
  describeAttemptLedgerConformance('dynamodb', async () => ({ ...stores(), ...time }));
});
