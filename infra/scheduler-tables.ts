/**
 * `SchedulerTables`: the one DynamoDB table that holds locks, history, dead letters, job state,
 * running runs and the attempt ledger. Its item layout belongs to the DynamoDB adapters
 * (functions/adapters/dynamodb); this construct fixes only the keys every layout builds on.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** Key attribute names of the table and its one index (the adapters' contract). */
export const TABLE_KEYS = Object.freeze({
  partitionKey: 'pk',
  sortKey: 'sk',
  ttl: 'ttl',
  gsi: 'gsi1',
  gsiPartitionKey: 'gsi1pk',
  gsiSortKey: 'gsi1sk',
});

export interface SchedulerTablesProps {
  /** Physical table name (`resourceNames(app, env).table`). */
  readonly tableName: string;
  /** Keep the table (and turn deletion protection on) when the stack goes. @default true */
  readonly retainData?: boolean;
  /** Escape hatch: raw `TableProps` merged over the construct's own (keys excepted). @default none */
  readonly tableOverrides?: Partial<Omit<dynamodb.TableProps, 'partitionKey' | 'sortKey'>>;
}

/**
 * @example
 * const tables = new SchedulerTables(stack, 'State', { tableName: names.table, retainData: false });
 * tables.table.grantReadWriteData(worker);
 */
export class SchedulerTables extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: SchedulerTablesProps) {
    super(scope, id);
    const retain = props.retainData ?? true;
    this.table = new dynamodb.Table(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: TABLE_KEYS.ttl,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: retain,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      ...props.tableOverrides,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE_KEYS.gsi,
      partitionKey: { name: TABLE_KEYS.gsiPartitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.gsiSortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
}
