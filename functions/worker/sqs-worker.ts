/**
 * The worker Lambda: SQS batch in, partial batch response out. Everything about a run lives in
 * the core ({@link JobRunner}); this file builds the ports once per container and maps records.
 */
import { randomUUID } from 'node:crypto';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { realClock } from '../../shared/adapters/clock.ts';
import { insertDeadLetter } from '../../shared/engine/dead-letters.ts';
import { configMaterializer, createJobRegistry } from '../../shared/engine/job-registry.ts';
import { JobRunner, RECORDING_RESERVE_MS } from '../../shared/engine/job-runner.ts';
import type { Logger } from '../../shared/engine/logger.ts';
import { newRunId } from '../../shared/messages.ts';
import { resourceNames } from '../../shared/naming.ts';
import { Telemetry } from '../../shared/telemetry.ts';
import type { ResolvedConfig } from '../../shared/types.ts';
import type { ApiCallCounter } from '../adapters/api-call-counter.ts';
import { type AwsPorts, createAwsPorts } from '../adapters/aws-ports.ts';
import { DEFAULT_JOB_STATE_CACHE_MS, cachedJobStateStore } from './cached-job-state.ts';
import { decideRecord, waitTimeOf } from './record-to-message.ts';
import { forwardMetrics } from './telemetry-metrics.ts';
import { readWorkerEnv } from './worker-env.ts';

export interface SqsWorkerOptions {
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Prebuilt ports (tests, bench). @default built from `env` */
  readonly ports?: AwsPorts;
  /** Counts the AWS calls of the ports built from `env`. */
  readonly counter?: ApiCallCounter;
  /**
   * Records of one batch processed at once. The CDK app sets the event source's batch size to 1
   * so queue concurrency is exact; with larger batches they run concurrently (the function
   * timeout is sized for one job). @default 10
   */
  readonly recordConcurrency?: number;
  /** How often a running attempt checks for a cancel request; the first check after this long. @default 1000 */
  readonly cancelPollMs?: number;
  /** Lifetime of the cached job-state list. @default 5000 */
  readonly jobStateCacheMs?: number;
  readonly logger?: PowertoolsLogger;
  readonly metrics?: Metrics;
}

export type SqsWorkerHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

interface Container {
  readonly queue: string;
  readonly runner: JobRunner;
  readonly log: PowertoolsLogger;
  readonly metrics: Metrics;
  readonly deadLetterDeps: Parameters<typeof insertDeadLetter>[0];
}

/**
 * The worker's Lambda handler for `config` (the generated bundle entry exports it as `handler`).
 *
 * @example
 * import { createSqsWorker } from 'om-scheduler/functions';
 * import config from './scheduler.config.ts';
 * export const handler = createSqsWorker(config);
 */
export function createSqsWorker(config: ResolvedConfig, opts: SqsWorkerOptions = {}): SqsWorkerHandler {
  let container: Promise<Container> | undefined;
  return async (event, context) => {
    container ??= build(config, opts).catch((error: unknown) => {
      container = undefined; // a failed init is retried by the next invocation
      throw error;
    });
    const c = await container;
    if (context) c.log.addContext(context);
    const failures: SQSBatchItemFailure[] = [];
    // Leave time to record an attempt that hits the function's own timeout (= the longest job timeout).
    const deadlineMs = context ? Date.now() + context.getRemainingTimeInMillis() - FINISH_RESERVE_MS : undefined;
    await forEachBounded(event.Records, opts.recordConcurrency ?? 10, async (record) => {
      if ((await handleRecord(c, record, deadlineMs)) === 'redeliver') failures.push({ itemIdentifier: record.messageId });
    });
    if (c.metrics.hasStoredMetrics()) c.metrics.publishStoredMetrics(); // a batch of duplicates records none
    return { batchItemFailures: failures };
  };
}

/** Time kept back from the Lambda deadline to write the attempt's result. */
export const FINISH_RESERVE_MS = RECORDING_RESERVE_MS;

async function handleRecord(c: Container, record: SQSRecord, deadlineMs: number | undefined): Promise<'ack' | 'redeliver'> {
  const now = Date.now();
  const decision = decideRecord(record, now);
  switch (decision.kind) {
    case 'undeliverable': {
      c.log.warn('dead-lettering an undeliverable message', { messageId: record.messageId, error: decision.error.message });
      if (!c.deadLetterDeps.deadLetter.enabled) return 'ack';
      try {
        await insertDeadLetter(c.deadLetterDeps, {
          id: newRunId(),
          jobName: decision.jobName,
          queue: c.queue,
          args: decision.args,
          error: { type: decision.error.name, message: decision.error.message },
          errorClass: 'InvalidMessageError',
          attempts: 0,
          firstFailedAt: new Date(now),
          lastFailedAt: new Date(now),
          stacktrace: null,
        });
        return 'ack';
      } catch (error) {
        c.log.error('could not dead-letter an undeliverable message', { messageId: record.messageId, error: error as Error });
        return 'redeliver';
      }
    }
    case 'raw':
    case 'message': {
      const body = decision.kind === 'raw' ? decision.body : decision.message;
      const wait = waitTimeOf(record, now);
      const report = await c.runner.process(body, {
        queue: c.queue,
        ...(wait !== undefined ? { waitTimeMs: wait } : {}),
        ...(deadlineMs !== undefined ? { deadlineMs } : {}),
      });
      c.log.info('message processed', {
        messageId: record.messageId,
        job: report.jobName,
        runId: report.runId,
        attempt: report.attempt,
        status: report.status,
        result: report.result,
        disposition: report.disposition,
        ...(report.error ? { error: report.error.message } : {}),
      });
      return report.disposition;
    }
    default: {
      const never: never = decision;
      return never;
    }
  }
}

async function build(config: ResolvedConfig, opts: SqsWorkerOptions): Promise<Container> {
  const settings = readWorkerEnv(opts.env ?? process.env);
  const names = resourceNames(settings.app, settings.env);
  const log = opts.logger ?? new PowertoolsLogger({ serviceName: names.workerFunction(settings.queue), logLevel: settings.logLevel as never });
  const metrics = opts.metrics ?? new Metrics({ namespace: settings.metricsNamespace, serviceName: names.workerFunction(settings.queue) });
  const ports =
    opts.ports ??
    createAwsPorts({
      names,
      tableName: settings.table,
      queues: settings.queues,
      scheduleGroup: settings.scheduleGroup,
      schedulerRoleArn: settings.schedulerRoleArn,
      ...(settings.scheduleDlqArn ? { scheduleDlqArn: settings.scheduleDlqArn } : {}),
      ...(settings.historyRetentionMs !== undefined ? { historyRetentionMs: settings.historyRetentionMs } : {}),
      ...(opts.counter ? { counter: opts.counter } : {}),
    });
  const telemetry = new Telemetry();
  forwardMetrics(telemetry, metrics);
  const logger = engineLogger(log);
  const clock = realClock();
  const jobs = createJobRegistry({
    jobs: config.jobs,
    jobState: cachedJobStateStore(
      ports.stores.jobState,
      opts.jobStateCacheMs ?? DEFAULT_JOB_STATE_CACHE_MS,
      Date.now,
      new Set(config.jobs.map((j) => j.name)),
    ),
    materialize: configMaterializer(config),
  });
  const runner = new JobRunner({
    clock,
    random: Math.random,
    stores: ports.stores,
    queue: ports.queue,
    scheduler: ports.scheduler,
    telemetry,
    jobs,
    deadLetter: config.deadLetter,
    nodeId: `lambda-${randomUUID().slice(0, 8)}`,
    logger,
    cancelPollMs: opts.cancelPollMs ?? 1_000,
    onRaise: (error, report) => log.error(`job "${report.jobName}" failed for good (onError: 'raise')`, { runId: report.runId, error }),
  });
  return { queue: settings.queue, runner, log, metrics, deadLetterDeps: { clock, stores: ports.stores, telemetry, deadLetter: config.deadLetter, logger } };
}

/** The core's Logger on Powertools (structured JSON, level from the environment). */
function engineLogger(log: PowertoolsLogger): Logger {
  const extra = (meta?: Readonly<Record<string, unknown>>) => (meta ? [meta as Record<string, unknown>] : []);
  return {
    debug: (m, meta) => log.debug(m, ...extra(meta)),
    info: (m, meta) => log.info(m, ...extra(meta)),
    warn: (m, meta) => log.warn(m, ...extra(meta)),
    error: (m, meta) => log.error(m, ...extra(meta)),
  };
}

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function forEachBounded<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(lanes);
}
