/**
 * `JobQueue`: one config queue on AWS — the SQS queue, its redrive queue and the worker Lambda
 * that consumes it with the queue's concurrency.
 */
import { RECORDING_RESERVE_MS } from '../shared/engine/job-runner.ts';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Lambda's limits on one invocation (seconds). */
const MIN_FUNCTION_TIMEOUT_S = 30;
const MAX_FUNCTION_TIMEOUT_S = 900;
/** SQS event source `maxConcurrency` bounds. */
const MIN_EVENT_SOURCE_CONCURRENCY = 2;
const MAX_EVENT_SOURCE_CONCURRENCY = 1000;

/**
 * Acknowledges one cdk-nag IAM5 finding (a wildcard resource) on `scope`, with the evidence:
 * cdk-nag 3 matches the exact finding id `AwsSolutions-IAM5[Resource::<resource>]`.
 */
export function acknowledgeWildcardResource(scope: Construct, resource: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
}

/** Deliveries before a message moves to the redrive queue. */
export const MAX_RECEIVE_COUNT = 5;

/** Seconds added to the longest job timeout: the worker's recording reserve plus a margin. */
export const RECORDING_HEADROOM_S = Math.ceil(RECORDING_RESERVE_MS / 1000) + 2;

/**
 * The worker's timeout: the longest job timeout on the queue, rounded up to whole seconds, plus
 * {@link RECORDING_HEADROOM_S} so that a job may use its whole timeout and the attempt is still
 * recorded before Lambda stops the function; at least 30 s and at most 900 s (Lambda's limit — a
 * job allowed close to 15 minutes is cut that much short, and ends as `timeout`).
 *
 * @example
 * workerTimeoutSeconds([60_000, 300_000]); // 305
 * workerTimeoutSeconds([]);                // 30
 */
export function workerTimeoutSeconds(jobTimeoutsMs: readonly number[]): number {
  const longest = Math.ceil(Math.max(0, ...jobTimeoutsMs) / 1000);
  return Math.min(MAX_FUNCTION_TIMEOUT_S, Math.max(MIN_FUNCTION_TIMEOUT_S, longest + RECORDING_HEADROOM_S));
}

/**
 * How a queue's concurrency maps onto Lambda. Reserved concurrency is the hard cap (exactly the
 * configured concurrency). The event source's `maxConcurrency` is the same number, so the poller
 * never starts more batches than Lambda admits and nothing is throttled back onto the queue —
 * except at concurrency 1, where SQS requires `maxConcurrency` ≥ 2: the poller may start a second
 * batch, Lambda throttles it and the messages return after the visibility timeout (a throttle is a
 * receive, so it counts toward `maxReceiveCount`; the throttle alarm shows it).
 *
 * @example
 * queueConcurrencySettings(1);  // { reservedConcurrency: 1, maxConcurrency: 2 }
 * queueConcurrencySettings(10); // { reservedConcurrency: 10, maxConcurrency: 10 }
 */
export function queueConcurrencySettings(concurrency: number): { reservedConcurrency: number; maxConcurrency: number } {
  return {
    reservedConcurrency: concurrency,
    maxConcurrency: Math.min(MAX_EVENT_SOURCE_CONCURRENCY, Math.max(MIN_EVENT_SOURCE_CONCURRENCY, concurrency)),
  };
}

export interface JobQueueProps {
  /** Physical name of the queue (`names.queue(q)`). */
  readonly queueName: string;
  /** Physical name of the redrive queue (`names.redriveQueue(q)`). */
  readonly redriveQueueName: string;
  /** Physical name of the worker function (`names.workerFunction(q)`). */
  readonly functionName: string;
  /** Concurrency (1..1000): the worker's reserved concurrency and the event source's cap. */
  readonly concurrency: number;
  /** Timeouts (ms) of the jobs on this queue; the worker's timeout covers the longest. @default [] (30 s) */
  readonly jobTimeoutsMs?: readonly number[];
  /** The worker's entry module (exports `handler`). */
  readonly entry: string;
  /**
   * Bundle the entry with esbuild. `false` deploys a placeholder inline handler instead — for
   * fast unit tests of the infrastructure only (also used when the CDK CLI skips bundling for
   * this stack, as `cdk bootstrap` and `cdk list` do). @default true
   */
  readonly bundle?: boolean;
  /** Set reserved concurrency (see {@link queueConcurrencySettings}). @default true */
  readonly reserveConcurrency?: boolean;
  /** Environment variables of the worker. @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** Keep queues and logs when the stack goes. @default true */
  readonly retainData?: boolean;
  /**
   * Messages per worker invocation. 1 keeps the queue's concurrency exact (n workers = n jobs
   * at once) and lets one job use the whole function timeout. @default 1
   */
  readonly batchSize?: number;
  /** @default 512 */
  readonly memorySize?: number;
  /** Escape hatch: raw `NodejsFunctionProps` merged over the construct's own. @default none */
  readonly workerOverrides?: Partial<nodejs.NodejsFunctionProps>;
  /** Escape hatch: raw `QueueProps` merged over the job queue's own. @default none */
  readonly queueOverrides?: Partial<sqs.QueueProps>;
}

/**
 * @example
 * const q = new JobQueue(stack, 'Queue-default', {
 *   queueName: names.queue('default'), redriveQueueName: names.redriveQueue('default'),
 *   functionName: names.workerFunction('default'), concurrency: 10, entry: '/tmp/worker.ts',
 * });
 * q.queue.grantSendMessages(client);
 */
export class JobQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly redriveQueue: sqs.Queue;
  readonly worker: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly eventSource: SqsEventSource;
  readonly timeout: Duration;
  readonly concurrency: number;

  constructor(scope: Construct, id: string, props: JobQueueProps) {
    super(scope, id);
    const retain = props.retainData ?? true;
    const removalPolicy = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const timeoutS = workerTimeoutSeconds(props.jobTimeoutsMs ?? []);
    this.timeout = Duration.seconds(timeoutS);
    this.concurrency = props.concurrency;

    this.redriveQueue = new sqs.Queue(this, 'Redrive', {
      queueName: props.redriveQueueName,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    Validations.of(this.redriveQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This is the redrive (dead-letter) queue of the job queue; it needs no DLQ of its own.',
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: props.queueName,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS: the visibility timeout must be ≥ the function timeout; 6× leaves room for retries of a batch.
      visibilityTimeout: Duration.seconds(6 * timeoutS),
      deadLetterQueue: { queue: this.redriveQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
      removalPolicy,
      ...props.queueOverrides,
    });

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // The name Lambda writes to, so no second group appears; a LogGroup (not the deprecated
      // `logRetention`) because that custom resource does not run on the emulator.
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy,
    });
    // An explicit role without the AWSLambdaBasicExecutionRole managed policy: it may write to its
    // own log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Worker ${props.functionName}`,
    });
    this.logGroup.grantWrite(this.role);

    const { reservedConcurrency, maxConcurrency } = queueConcurrencySettings(props.concurrency);
    const common = {
      functionName: props.functionName,
      runtime: lambda.Runtime.NODEJS_22_X,
      timeout: this.timeout,
      memorySize: props.memorySize ?? 512,
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: { ...props.environment },
      ...(props.reserveConcurrency === false ? {} : { reservedConcurrentExecutions: reservedConcurrency }),
    };
    // `cdk bootstrap`/`cdk list` and `--exclusively` deploys of other stacks skip bundling; a
    // NodejsFunction would then hash the whole project root as its asset, so use the placeholder.
    const bundle = props.bundle !== false && Stack.of(this).bundlingRequired;
    this.worker =
      !bundle
        ? new lambda.Function(this, 'Worker', {
            ...common,
            handler: 'index.handler',
            code: lambda.Code.fromInline(
              "exports.handler = async () => { throw new Error('placeholder: synthesized with bundle: false'); };",
            ),
          })
        : new nodejs.NodejsFunction(this, 'Worker', {
            ...common,
            entry: props.entry,
            handler: 'handler',
            bundling: {
              forceDockerBundling: false,
              minify: true,
              sourceMap: true,
              target: 'node20', // the emulator runs handlers on the host's Node 20
              // Bundle the AWS SDK: the emulator provides none, and pinning it is AWS's advice too.
              externalModules: [],
              // Prefer the packages' ES module builds: esbuild tree-shakes them (the AWS SDK's CJS
              // builds do not), which takes ~250 KB off the bundle.
              mainFields: ['module', 'main'],
            },
            ...props.workerOverrides,
          });
    this.eventSource = new SqsEventSource(this.queue, {
      batchSize: props.batchSize ?? 1,
      reportBatchItemFailures: true,
      maxConcurrency,
    });
    this.worker.addEventSource(this.eventSource);
    // Retries and sub-minute fan-out re-send to the same queue.
    this.queue.grantSendMessages(this.role);

    Validations.of(this.worker).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is the deliberate runtime: the kit supports Node 20+ and tests the bundle on it.',
    });
    acknowledgeWildcardResource(
      this.role,
      '*',
      'X-Ray PutTraceSegments/PutTelemetryRecords (tracing ACTIVE) support no resource-level permissions.',
    );
  }

  /** Adds an environment variable to the worker (e.g. values known after every queue exists). */
  addEnvironment(key: string, value: string): void {
    this.worker.addEnvironment(key, value);
  }
}
