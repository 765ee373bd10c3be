/**
 * `createClient(config, { env })`: the {@link RuntimeClient} of a deployed environment. It
 * behaves like the local runtime (`shared/engine/local-runtime.ts`) over the AWS adapters, and
 * loads the AWS SDK only on its first call, so importing it costs local users nothing.
 *
 * Decisions:
 * - Code is what was deployed. `insert` takes `handler: '<config job>'` (that job's deployed
 *   handler runs with the new options); functions are refused with the deployed names listed.
 * - Pause: the job-state record's `paused` flag is the truth; the schedules are also DISABLED to
 *   save deliveries. A later `cdk deploy` that touches a schedule sets it ENABLED again, but the
 *   worker skips ticks of paused jobs, so the job stays paused — until `resumeJob`.
 * - `queueStats().running` counts the run registry (runs in progress), not
 *   ApproximateNumberOfMessagesNotVisible, which also counts retries waiting out a nack delay.
 *   `pending` = visible + delayed messages.
 * - `status().nextRunAt` comes from the job's compiled schedules; `rate()` is counted from now
 *   (EventBridge anchors it at schedule creation, which the port does not expose).
 */
import { configMaterializer, createJobRegistry } from '../../shared/engine/job-registry.ts';
import { MAX_QUEUE_DELAY_MS } from '../../shared/engine/job-runner.ts';
import {
  RuntimeClientBase,
  type InsertCode,
  type PatchCode,
  type RuntimeClientPorts,
} from '../../shared/engine/runtime-client-base.ts';
import { ConfigError, NotFoundError, jobIssue } from '../../shared/errors.ts';
import { isValidEnvName, ENV_NAME_RULE, resourceNames, type ResourceNames } from '../../shared/naming.ts';
import type { RunMessage } from '../../shared/ports.ts';
import { telemetry } from '../../shared/telemetry.ts';
import type { ResolvedConfig, ResolvedJob, RuntimeClient } from '../../shared/types.ts';
import type { ApiCallCounter } from '../adapters/api-call-counter.ts';
import type { AwsCredentials, AwsPorts } from '../adapters/aws-ports.ts';
import type { EventSourceControl } from '../adapters/event-source-control.ts';
import { accountOfQueueUrl, hookNames, rejectCode } from './client-helpers.ts';

/** The data-plane ports plus the queue control plane and the job registry. */
type ClientPorts = AwsPorts & RuntimeClientPorts & { readonly control: EventSourceControl };

export interface AwsClientOptions {
  /** The deployed environment (`dev`, `prod`, …). */
  readonly env: string;
  /** @default the SDK's (AWS_REGION) */
  readonly region?: string;
  /** e.g. `http://127.0.0.1:4566` for the emulator. @default the SDK's */
  readonly endpoint?: string;
  /** @default the SDK's credential chain */
  readonly credentials?: AwsCredentials;
  /** Counts the client's AWS calls. */
  readonly counter?: ApiCallCounter;
}

/**
 * @example
 * import { createClient } from 'om-scheduler';
 * import config from './scheduler.config.ts';
 *
 * const client = createClient(config, { env: 'prod', region: 'eu-west-1' });
 * await client.pauseJob('daily_report');
 * console.log(await client.status('daily_report'));
 */
export function createClient(config: ResolvedConfig, opts: AwsClientOptions): RuntimeClient {
  if (!isValidEnvName(opts.env)) {
    throw new ConfigError({ subject: { kind: 'config' }, field: 'env', value: opts.env, expected: ENV_NAME_RULE });
  }
  return new AwsRuntimeClient(config, opts);
}

/** The engine hooks of {@link RuntimeClientBase} over the AWS adapters. */
class AwsRuntimeClient extends RuntimeClientBase<ClientPorts> {
  private readonly names: ResourceNames;
  private portsPromise: Promise<ClientPorts> | undefined;

  constructor(
    config: ResolvedConfig,
    private readonly opts: AwsClientOptions,
  ) {
    super(config, telemetry);
    this.names = resourceNames(config.app, opts.env);
  }

  protected now(): number {
    return Date.now();
  }

  /** Only deployed code runs on AWS: functions are refused, naming the deployed handlers. */
  protected screenCode(name: string, fields: Record<string, unknown>): void {
    rejectCode(name, fields, this.configJobNames());
  }

  protected insertCode(name: string, fields: Record<string, unknown>): InsertCode {
    const { handler, ...options } = fields;
    const ref = this.configCode(handler);
    if (!ref) {
      throw new ConfigError(jobIssue(name, 'handler', handler, `name a deployed config job whose handler runs: ${this.configJobNames()}`));
    }
    return { options, code: ref, handlerRef: ref.name };
  }

  /** Code fields are already screened (no functions): the deployed code keeps running. */
  protected patchCode(_name: string, job: ResolvedJob, _handler: unknown, changes: Record<string, unknown>): PatchCode {
    for (const hook of hookNames(changes)) delete changes[hook];
    return { code: { handler: job.handler, hooks: job.hooks }, inline: false };
  }

  protected async send(ports: ClientPorts, message: RunMessage, opts: { queue: string; delayMs: number; priority: number }): Promise<void> {
    const { queue, delayMs, priority } = opts;
    telemetry.emit('queue:push', { measurements: { delay: delayMs }, metadata: { queue, job: message.job, runId: message.runId, priority } });
    if (delayMs > MAX_QUEUE_DELAY_MS) await ports.scheduler.scheduleOnce(queue, message, Date.now() + delayMs);
    else await ports.queue.send(queue, message, { ...(delayMs > 0 ? { delayMs } : {}), priority });
  }

  /** Loads the SDK and builds the adapters on first use (dynamic import: nothing at module load). */
  protected ports(): Promise<ClientPorts> {
    this.portsPromise ??= this.buildPorts().catch((error: unknown) => {
      this.portsPromise = undefined;
      throw error;
    });
    return this.portsPromise;
  }

  private async buildPorts(): Promise<ClientPorts> {
    const [{ createAwsPorts }, { createQueueControl }, { SQSClient, GetQueueUrlCommand }] = await Promise.all([
      import('../adapters/aws-ports.ts'),
      import('../adapters/aws-control.ts'),
      import('@aws-sdk/client-sqs'),
    ]);
    const { region, endpoint, credentials } = this.opts;
    const clientConfig = { ...(region ? { region } : {}), ...(endpoint ? { endpoint } : {}), ...(credentials ? { credentials } : {}) };
    const sqs = new SQSClient(clientConfig);
    const resolvedRegion = await sqs.config.region();
    // Queue URLs carry the account id: every ARN the client needs follows from names + account.
    const urls = await Promise.all(
      Object.keys(this.config.queues).map(async (q) => {
        try {
          const res = await sqs.send(new GetQueueUrlCommand({ QueueName: this.names.queue(q) }));
          return [q, res.QueueUrl!] as const;
        } catch (error) {
          throw new NotFoundError('queue', this.names.queue(q), `is environment "${this.opts.env}" of app "${this.config.app}" deployed in ${resolvedRegion}? (${(error as Error).name})`);
        }
      }),
    );
    sqs.destroy();
    const account = accountOfQueueUrl(urls[0]![1]);
    const arn = (service: string, resource: string) => `arn:aws:${service}:${resolvedRegion}:${account}:${resource}`;
    const queues = Object.fromEntries(urls.map(([q, url]) => [q, { url, arn: arn('sqs', this.names.queue(q)) }]));
    const ports = createAwsPorts({
      ...clientConfig,
      names: this.names,
      queues,
      schedulerRoleArn: `arn:aws:iam::${account}:role/${this.names.schedulerRole}`,
      scheduleDlqArn: arn('sqs', this.names.scheduleDlq),
      ...(this.opts.counter ? { counter: this.opts.counter } : {}),
    });
    const { control } = createQueueControl({ ...clientConfig, names: this.names, ...(this.opts.counter ? { counter: this.opts.counter } : {}) }, ports.directory);
    const jobs = createJobRegistry({ jobs: this.config.jobs, jobState: ports.stores.jobState, materialize: configMaterializer(this.config) });
    return { ...ports, control, jobs };
  }
}
