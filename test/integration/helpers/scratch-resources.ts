/**
 * Short-lived AWS resources a conformance test creates for itself on the emulator (a table
 * with the product's key schema, fresh queues), so adapter suites never touch the deployed app.
 */
import { stateTableInput } from '../../../functions/adapters/dynamodb/table-schema.ts';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { uniqueName } from '../../conformance/harness.ts';
import { sdkConfig } from './emulator-context.ts';

/** Creates a table shaped like the deployed one (pk/sk, TTL attribute `ttl`, GSI `gsi1`), returns its name. */
export async function createStateTable(db: DynamoDBClient, prefix = 'conformance'): Promise<string> {
  const tableName = uniqueName(prefix);
  await db.send(new CreateTableCommand(stateTableInput(tableName)));
  return tableName;
}

export async function deleteTable(db: DynamoDBClient, tableName: string): Promise<void> {
  await db.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
}

/** Creates `count` fresh standard queues; returns their names, URLs and ARNs. */
export async function createQueues(sqs: SQSClient, count: number, prefix = 'q'): Promise<{ name: string; url: string; arn: string }[]> {
  const out: { name: string; url: string; arn: string }[] = [];
  for (let i = 0; i < count; i++) {
    const name = uniqueName(prefix);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    out.push({ name, url: QueueUrl!, arn: attrs.Attributes?.QueueArn ?? '' });
  }
  return out;
}

export async function deleteQueues(sqs: SQSClient, urls: readonly string[]): Promise<void> {
  for (const url of urls) await sqs.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined);
}

export function dynamoClient(): DynamoDBClient {
  return new DynamoDBClient(sdkConfig());
}

export function sqsClient(): SQSClient {
  return new SQSClient(sdkConfig());
}
