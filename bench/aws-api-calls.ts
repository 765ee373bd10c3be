/**
 * apiCallsPerJob / apiCallsPerUniqueJob: the AWS API calls the WORKER makes per successful run,
 * counted by the SDK middleware ({@link ApiCallCounter}) against the real emulator (MiniStack).
 *
 * The worker runs in this process (`createSqsWorker(config, { ports, counter, env })`) on
 * synthetic SQS events shaped like the ones the event source mapping delivers. The receive and
 * delete of the event source are not made by the worker, so they are not counted: what is
 * counted is exactly what a deployed worker sends to DynamoDB, SQS and EventBridge Scheduler.
 *
 * The worker caches the job-state list (one Query) for DEFAULT_JOB_STATE_CACHE_MS. That Query is
 * paid per container and period, not per run, so it is measured apart: the main figures use a
 * container whose cache does not expire during the count (deterministic), the `CacheExpired`
 * figures one whose cache has expired at every run (runs more than 5 s apart).
 */
import { stateTableInput } from '../functions/adapters/dynamodb/table-schema.ts';
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { defineConfig, defineJob } from 'om-scheduler';
import { ApiCallCounter } from '../functions/adapters/api-call-counter.ts';
import { createAwsPorts } from '../functions/adapters/aws-ports.ts';
import { DEFAULT_JOB_STATE_CACHE_MS } from '../functions/worker/cached-job-state.ts';
import { createSqsWorker } from '../functions/worker/sqs-worker.ts';
import { EMULATOR_ACCOUNT, EMULATOR_CREDENTIALS, EmulatorUnavailableError, startEmulator } from '../scripts/emulator/ministack.ts';
import { enqueueMessage } from '../shared/messages.ts';
import { resourceNames, WORKER_ENV } from '../shared/naming.ts';

export type ApiCallsResult =
  | {
      readonly kind: 'measured';
      /** Calls per successful run of a plain job (total ÷ runs). */
      readonly apiCallsPerJob: number;
      /** Calls per successful run of a `unique: true` job. */
      readonly apiCallsPerUniqueJob: number;
      /** Per operation, per run, e.g. { 'DynamoDB.PutItem': 1, 'DynamoDB.TransactWriteItems': 1 }. */
      readonly breakdown: Readonly<Record<string, number>>;
      readonly uniqueBreakdown: Readonly<Record<string, number>>;
      /**
       * Per run when the worker's job-state cache has expired (runs more than `jobStateCacheMs`
       * apart in one container, or a cold container): + the one job-state Query.
       */
      readonly apiCallsPerJobCacheExpired: number;
      readonly apiCallsPerUniqueJobCacheExpired: number;
      readonly cacheExpiredBreakdown: Readonly<Record<string, number>>;
      /** The worker's default job-state cache lifetime. */
      readonly jobStateCacheMs: number;
      readonly cacheExpiredRuns: number;
      readonly runs: number;
      readonly warmupRuns: number;
      readonly batchSize: number;
      /** Wall time of the measured plain runs (emulator latency included; reported, not targeted). */
      readonly emulatorMsPerRun: number;
      /** 'started' (MiniStack from .venv) or 'adopted' (OMSCHED_TEST_ENDPOINT / AWS_ENDPOINT_URL). */
      readonly emulator: 'started' | 'adopted';
    }
  | { readonly kind: 'skipped'; readonly skipped: string };

interface Measured {
  readonly perRun: number;
  readonly breakdown: Record<string, number>;
  readonly ms: number;
}

const APP = 'benchaws';
const ENV = 'bench';
const QUEUE = 'default';

/** Starts the emulator, measures both job kinds, stops it. Never throws for a missing emulator: returns `skipped`. */
export async function measureApiCalls(runs = 200, warmupRuns = 20, batchSize = 1): Promise<ApiCallsResult> {
  // Node 20: the SDK's "needs Node 22 from 2027" warning is noise here (stderr, once per client).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let emulator;
  try {
    emulator = await startEmulator({ logLevel: 'WARNING' });
  } catch (error) {
    const reason = error instanceof EmulatorUnavailableError ? error.message : `the emulator did not start: ${(error as Error).message}`;
    return { kind: 'skipped', skipped: reason };
  }
  // EMF metric lines go straight to stdout; `--json` must print nothing but its one object.
  const metricsDisabled = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  try {
    const sdk = { region: emulator.region, endpoint: emulator.endpoint, credentials: EMULATOR_CREDENTIALS };
    const suffix = randomUUID().slice(0, 8);
    const names = resourceNames(APP, ENV);
    const table = `${names.table}-${suffix}`;
    const db = new DynamoDBClient(sdk);
    const sqs = new SQSClient(sdk);
    await createStateTable(db, table);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${names.queue(QUEUE)}-${suffix}` }));
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const queues = { [QUEUE]: { url: QueueUrl!, arn: attrs.Attributes?.['QueueArn'] ?? '' } };
    const schedulerRoleArn = `arn:aws:iam::${EMULATOR_ACCOUNT}:role/${names.schedulerRole}`;
    const env = {
      [WORKER_ENV.app]: APP,
      [WORKER_ENV.env]: ENV,
      [WORKER_ENV.table]: table,
      [WORKER_ENV.queue]: QUEUE,
      [WORKER_ENV.queues]: JSON.stringify(queues),
      [WORKER_ENV.scheduleGroup]: names.scheduleGroup,
      [WORKER_ENV.schedulerRoleArn]: schedulerRoleArn,
      [WORKER_ENV.logLevel]: 'ERROR',
      [WORKER_ENV.metricsNamespace]: names.metricsNamespace,
    };

    let handled = 0;
    const noop = async (): Promise<void> => {
      handled++;
    };
    const config = defineConfig({
      app: APP,
      queues: { [QUEUE]: 10 },
      jobs: [defineJob({ name: 'noop', handler: noop }), defineJob({ name: 'noop_unique', unique: true, handler: noop })],
    });
    const counter = new ApiCallCounter();
    const ports = createAwsPorts({ names, tableName: table, queues, schedulerRoleArn, ...sdk, counter });
    // One worker container per cache setting (the job-state cache lives in the container).
    const newWorker = (jobStateCacheMs: number) =>
      createSqsWorker(config, {
        ports,
        counter,
        env,
        jobStateCacheMs,
        logger: new PowertoolsLogger({ serviceName: names.workerFunction(QUEUE), logLevel: 'SILENT' }),
        metrics: new Metrics({ namespace: names.metricsNamespace, serviceName: names.workerFunction(QUEUE), logger: SILENT }),
      });
    type Worker = ReturnType<typeof newWorker>;

    const runJob = async (worker: Worker, job: string, n: number): Promise<number> => {
      const started = performance.now();
      for (let done = 0; done < n; done += batchSize) {
        const event = sqsEvent(job, Math.min(batchSize, n - done), queues[QUEUE].arn);
        const res = await worker(event);
        if (res.batchItemFailures.length) throw new Error(`${res.batchItemFailures.length} of ${event.Records.length} runs of "${job}" failed`);
      }
      return performance.now() - started;
    };

    const measure = async (worker: Worker, job: string, n: number): Promise<Measured> => {
      await runJob(worker, job, warmupRuns); // container built, job-state cache filled
      counter.reset();
      handled = 0;
      const ms = await runJob(worker, job, n);
      // Per SUCCESSFUL run: a skipped run (unique conflict, duplicate) never reaches the handler.
      if (handled !== n) throw new Error(`only ${handled} of ${n} runs of "${job}" reached the handler`);
      const breakdown = Object.fromEntries(Object.entries(counter.snapshot()).map(([op, c]) => [op, round3(c / n)]));
      return { perRun: round3(counter.total() / n), breakdown, ms };
    };

    // Warm container: the job-state cache never expires during the count, so the figure is the
    // per-run cost alone and does not depend on how fast the emulator answers.
    const warm = newWorker(3_600_000);
    const plain = await measure(warm, 'noop', runs);
    const unique = await measure(warm, 'noop_unique', runs);
    // Expired cache on every run: what a run costs when runs of a container are more than
    // DEFAULT_JOB_STATE_CACHE_MS apart (the one job-state Query is paid again).
    const expired = newWorker(0);
    const plainExpired = await measure(expired, 'noop', warmupRuns);
    const uniqueExpired = await measure(expired, 'noop_unique', warmupRuns);
    return {
      kind: 'measured',
      apiCallsPerJob: plain.perRun,
      apiCallsPerUniqueJob: unique.perRun,
      breakdown: plain.breakdown,
      uniqueBreakdown: unique.breakdown,
      apiCallsPerJobCacheExpired: plainExpired.perRun,
      apiCallsPerUniqueJobCacheExpired: uniqueExpired.perRun,
      cacheExpiredBreakdown: plainExpired.breakdown,
      jobStateCacheMs: DEFAULT_JOB_STATE_CACHE_MS,
      runs,
      cacheExpiredRuns: warmupRuns,
      warmupRuns,
      batchSize,
      emulatorMsPerRun: Math.round((plain.ms / runs) * 100) / 100,
      emulator: emulator.owned ? 'started' : 'adopted',
    };
  } finally {
    if (metricsDisabled === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
    else process.env.POWERTOOLS_METRICS_DISABLED = metricsDisabled;
    await emulator.stop();
  }
}

const quiet = (): void => {};
/** Metrics' warnings ("No application metrics to publish") would otherwise go to the console. */
const SILENT = { debug: quiet, info: quiet, warn: quiet, error: quiet, log: quiet, trace: quiet };

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** The table as the contract defines it: pk/sk, TTL attribute `ttl`, GSI `gsi1` (ALL). */
async function createStateTable(db: DynamoDBClient, tableName: string): Promise<void> {
  await db.send(new CreateTableCommand(stateTableInput(tableName)));
  await db.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } }));
}

/** `count` records of fresh on-demand runs of `job`, shaped as the SQS event source delivers them. */
function sqsEvent(job: string, count: number, queueArn: string): SQSEvent {
  const now = Date.now();
  const records: SQSRecord[] = Array.from({ length: count }, () => {
    const body = JSON.stringify(enqueueMessage(job, undefined, now));
    return {
      messageId: randomUUID(),
      receiptHandle: randomUUID(),
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(now),
        SenderId: EMULATOR_ACCOUNT,
        ApproximateFirstReceiveTimestamp: String(now),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: 'us-east-1',
    };
  });
  return { Records: records };
}
