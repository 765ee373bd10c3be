/**
 * `om-scheduler/functions`: the AWS side — the worker Lambda handler, the runtime client of a
 * deployed environment, and the AWS adapters of the core's ports.
 */
export { createSqsWorker, forEachBounded } from './worker/sqs-worker.ts';
export type { SqsWorkerHandler, SqsWorkerOptions } from './worker/sqs-worker.ts';
export { decideRecord, waitTimeOf, MAX_BODY_BYTES, MAX_STORED_BODY_BYTES } from './worker/record-to-message.ts';
export type { RecordDecision } from './worker/record-to-message.ts';
export { cachedJobStateStore, DEFAULT_JOB_STATE_CACHE_MS } from './worker/cached-job-state.ts';
export { metricsOf, forwardMetrics } from './worker/telemetry-metrics.ts';
export { readWorkerEnv } from './worker/worker-env.ts';
export type { WorkerSettings } from './worker/worker-env.ts';

export { createClient } from './client/index.ts';
export type { AwsClientOptions } from './client/index.ts';

export { createAwsPorts } from './adapters/aws-ports.ts';
export type { AwsPorts, AwsPortsOptions, AwsClientConfig, AwsCredentials } from './adapters/aws-ports.ts';
export { ApiCallCounter, operationName } from './adapters/api-call-counter.ts';
export { SqsQueue, sendRequest, toSeconds } from './adapters/sqs-queue.ts';
export { EventSourceControl, concurrencySettings, effectiveConcurrency } from './adapters/event-source-control.ts';
export type { QueueConsumer, QueueConsumerLookup } from './adapters/event-source-control.ts';
export { EventBridgeScheduler } from './adapters/eventbridge-scheduler.ts';
export { scheduleDescription, jobScheduleRequest, onceScheduleRequest, atExpression, onceScheduleName } from './adapters/schedule-requests.ts';
export { QueueDirectory, parseQueueDirectory, queueAddress } from './adapters/queue-directory.ts';
export { stateTableInput } from './adapters/dynamodb/table-schema.ts';
export { createQueueControl } from './adapters/aws-control.ts';
export type { QueueAddress, QueueDirectoryInput } from './adapters/queue-directory.ts';
export * from './adapters/dynamodb/index.ts';
