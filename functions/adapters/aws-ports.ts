/**
 * Builds every AWS adapter of the core's ports from one set of options — what the worker,
 * the client and the conformance harnesses use.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ResourceNames } from '../../shared/naming.ts';
import type { ApiCallCounter } from './api-call-counter.ts';
import { createDocumentClient, createDynamoStores, type DynamoStores } from './dynamodb/index.ts';
import { EventBridgeScheduler } from './eventbridge-scheduler.ts';
import type { QueueConsumerLookup } from './event-source-control.ts';
import { QueueDirectory, type QueueDirectoryInput } from './queue-directory.ts';
import type { ScheduleTargetConfig } from './schedule-requests.ts';
import { SqsQueue } from './sqs-queue.ts';

/** Static credentials (the emulator takes any, e.g. `test` / `test`). */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Where the SDK clients connect. */
export interface AwsClientConfig {
  /** @default the SDK's (AWS_REGION) */
  readonly region?: string;
  /** e.g. `http://127.0.0.1:4566` for the emulator. @default the SDK's (AWS_ENDPOINT_URL or AWS) */
  readonly endpoint?: string;
  /** @default the SDK's credential chain */
  readonly credentials?: AwsCredentials;
}

export interface AwsPortsOptions extends AwsClientConfig {
  /** `resourceNames(app, env)`: defaults for the table, schedule group and worker function names. */
  readonly names?: ResourceNames;
  /** @default names.table */
  readonly tableName?: string;
  /** Queue addresses by config queue name (a map, or a lookup for queues created on the fly). */
  readonly queues: QueueDirectoryInput;
  /** @default names.scheduleGroup */
  readonly scheduleGroup?: string;
  /** Role EventBridge Scheduler assumes to send to the queues. */
  readonly schedulerRoleArn: string;
  /** Standard SQS queue for failed scheduler deliveries. @default none */
  readonly scheduleDlqArn?: string;
  readonly scheduleRetry?: ScheduleTargetConfig['retry'];
  /** Worker function + queue ARN per queue. @default names.workerFunction(queue) + the queue's ARN */
  readonly consumers?: QueueConsumerLookup;
  /** Prefix of every DynamoDB partition key (tests: an isolated store per test). @default '' */
  readonly namespace?: string;
  /** History TTL. @default 30 days */
  readonly historyRetentionMs?: number;
  /** Counts every AWS call of every client built here. */
  readonly counter?: ApiCallCounter;
}

export interface AwsPorts {
  readonly stores: DynamoStores;
  readonly queue: SqsQueue;
  readonly scheduler: EventBridgeScheduler;
  readonly directory: QueueDirectory;
  readonly clients: { readonly dynamodb: DynamoDBClient; readonly sqs: SQSClient; readonly scheduler: SchedulerClient };
}

/**
 * @example
 * const ports = createAwsPorts({
 *   names: resourceNames('shop', 'dev'),
 *   endpoint: 'http://127.0.0.1:4566', region: 'us-east-1',
 *   credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
 *   queues: { default: { url, arn } },
 *   schedulerRoleArn: 'arn:aws:iam::000000000000:role/shop-dev-scheduler',
 * });
 * await ports.stores.locks.acquire('k', 'me', Date.now(), Date.now() + 60_000);
 */
export function createAwsPorts(opts: AwsPortsOptions): AwsPorts {
  // The queue control plane (Lambda API) is separate: createQueueControl (aws-control.ts) keeps
  // @aws-sdk/client-lambda out of the worker bundle, which never needs it.
  const clientConfig = {
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
  };
  const dynamodb = new DynamoDBClient(clientConfig);
  const sqs = new SQSClient(clientConfig);
  const scheduler = new SchedulerClient(clientConfig);
  if (opts.counter) for (const c of [dynamodb, sqs, scheduler]) opts.counter.attach(c);

  const tableName = opts.tableName ?? opts.names?.table;
  const groupName = opts.scheduleGroup ?? opts.names?.scheduleGroup;
  if (!tableName || !groupName) throw new TypeError('createAwsPorts needs `names`, or both `tableName` and `scheduleGroup`');
  const directory = new QueueDirectory(opts.queues);
  return {
    stores: createDynamoStores({
      doc: createDocumentClient(dynamodb),
      tableName,
      ...(opts.namespace !== undefined ? { namespace: opts.namespace } : {}),
      ...(opts.historyRetentionMs !== undefined ? { retentionMs: opts.historyRetentionMs } : {}),
    }),
    queue: new SqsQueue({ client: sqs, directory }),
    scheduler: new EventBridgeScheduler({
      client: scheduler,
      directory,
      groupName,
      roleArn: opts.schedulerRoleArn,
      ...(opts.scheduleDlqArn ? { deadLetterArn: opts.scheduleDlqArn } : {}),
      ...(opts.scheduleRetry ? { retry: opts.scheduleRetry } : {}),
    }),
    directory,
    clients: { dynamodb, sqs, scheduler },
  };
}
