/** The smoke app's worker: stores every SQS message body under its `id`. */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

const db = new DynamoDBClient({});

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  for (const record of event.Records) {
    const body = JSON.parse(record.body) as { id: string };
    await db.send(new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: { pk: { S: body.id }, body: { S: record.body } } }));
  }
  return { batchItemFailures: [] };
}
