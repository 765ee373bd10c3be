/**
 * The harness checks itself, independently of the product's infra/: a throwaway CDK app (one
 * queue → one Lambda → one table) is synthesized with bundling, its Lambda zip is uploaded to
 * S3, the stack is created through CloudFormation, and a message sent to the queue is
 * processed by the deployed Lambda.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deployAssembly, synthApp } from '../../scripts/emulator/deploy.ts';
import { emulatorInfo, emulatorSkipReason, eventually, sdkConfig } from './helpers/emulator-context.ts';

const skipReason = emulatorSkipReason();

describe('the emulator harness', () => {
  let outputs: Record<string, string> = {};
  const sqs = skipReason ? undefined : new SQSClient(sdkConfig());
  const db = skipReason ? undefined : new DynamoDBClient(sdkConfig());

  beforeAll(async () => {
    if (skipReason) return;
    const outdir = await synthApp({ env: 'smoke', app: 'npx tsx test/integration/helpers/smoke-app/smoke-app.ts' });
    const [stack] = await deployAssembly(outdir, { endpoint: emulatorInfo().endpoint, region: emulatorInfo().region });
    outputs = { ...stack!.outputs };
  });
  afterAll(() => {
    sqs?.destroy();
    db?.destroy();
  });

  test('deploys a synthesized CDK app whose Lambda processes a message sent to its queue', async (ctx) => {
    ctx.skip(skipReason !== undefined, skipReason);
    // Prepare
    const id = randomUUID();

    // Act
    await sqs!.send(new SendMessageCommand({ QueueUrl: outputs.QueueUrl, MessageBody: JSON.stringify({ id, hello: 'world' }) }));

    // Assess
    const item = await eventually('the Lambda to store the message', 30_000, async () => {
      const res = await db!.send(new GetItemCommand({ TableName: outputs.TableName, Key: { pk: { S: id } } }));
      return res.Item;
    });
    expect(JSON.parse(item.body?.S ?? '')).toEqual({ id, hello: 'world' });
  });
});
