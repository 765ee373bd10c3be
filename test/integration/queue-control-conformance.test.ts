/**
 * The QueueControlPort conformance suite against the event-source-mapping adapter
 * (functions/adapters/event-source-control.ts) on the emulator's Lambda: each test gets a fresh
 * queue, a tiny function and a mapping between them, set up the way the deployed worker is
 * (reserved concurrency + mapping maximum concurrency; CloudFormation on the emulator ignores
 * ReservedConcurrentExecutions, so the harness applies it through the API).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  DeleteEventSourceMappingCommand,
  DeleteFunctionCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe } from 'vitest';
import { EventSourceControl, type QueueConsumer } from '../../functions/adapters/event-source-control.ts';
import { zipDir } from '../../scripts/emulator/zip-dir.ts';
import { uniqueName } from '../conformance/harness.ts';
import { describeQueueControlConformance } from '../conformance/queue-control.conformance.ts';
import { emulatorSkipReason, sdkConfig } from './helpers/emulator-context.ts';
import { createQueues, deleteQueues, sqsClient } from './helpers/scratch-resources.ts';

const skipReason = emulatorSkipReason();
const CONCURRENCY = 5;

describe.skipIf(skipReason !== undefined)('event source mapping control on the emulator', () => {
  let sqs: SQSClient;
  let lambda: LambdaClient;
  let code: Uint8Array;
  const consumers = new Map<string, QueueConsumer>();

  beforeAll(() => {
    sqs = sqsClient();
    lambda = new LambdaClient(sdkConfig());
    const dir = mkdtempSync(join(tmpdir(), 'omsched-fn-'));
    writeFileSync(join(dir, 'index.js'), 'exports.handler = async () => ({ batchItemFailures: [] });\n');
    code = zipDir(dir);
    rmSync(dir, { recursive: true, force: true });
  });
  afterAll(() => {
    sqs.destroy();
    lambda.destroy();
  });

  describeQueueControlConformance('lambda event source mapping', async () => {
    const [queue] = await createQueues(sqs, 1);
    const functionName = uniqueName('fn');
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: functionName,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: 'arn:aws:iam::000000000000:role/conformance',
        Code: { ZipFile: code },
      }),
    );
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: functionName, ReservedConcurrentExecutions: CONCURRENCY }));
    const esm = await lambda.send(
      new CreateEventSourceMappingCommand({ FunctionName: functionName, EventSourceArn: queue!.arn, BatchSize: 10, ScalingConfig: { MaximumConcurrency: CONCURRENCY } }),
    );
    consumers.set(queue!.name, { functionName, queueArn: queue!.arn });
    return {
      control: new EventSourceControl({ client: lambda, consumers: (q) => consumers.get(q) }),
      queueName: queue!.name,
      configuredConcurrency: CONCURRENCY,
      cleanup: async () => {
        await lambda.send(new DeleteEventSourceMappingCommand({ UUID: esm.UUID })).catch(() => undefined);
        await lambda.send(new DeleteFunctionCommand({ FunctionName: functionName })).catch(() => undefined);
        await deleteQueues(sqs, [queue!.url]);
      },
    };
  });
});
