/**
 * The key schema of the one state table, as a `CreateTable` request — for harnesses and
 * benchmarks that create a table of their own. The CDK app declares the same keys in
 * `infra/scheduler-tables.ts` (pk/sk, TTL attribute `ttl`, GSI `gsi1`).
 *
 * @example
 * await dynamodb.send(new CreateTableCommand(stateTableInput('bench-state')));
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export function stateTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk'].map((n) => ({ AttributeName: n, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'gsi1',
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}
