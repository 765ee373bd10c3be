/**
 * Deterministic AWS resource names for an app + environment. The CDK constructs create them
 * and the runtime client (`createClient`) finds them by the same rule — no lookups needed.
 * Lengths fit the AWS limits given the naming rules of `config/names.ts` (app ≤ 20, env ≤ 10,
 * queue ≤ 24, job ≤ 60 characters).
 *
 * @example
 * const names = resourceNames('demo-shop', 'prod');
 * names.table;              // 'demo-shop-prod-state'
 * names.queue('webhooks');  // 'demo-shop-prod-webhooks'
 * names.scheduleName('billing_run', 1); // 'billing_run-2'
 */
export const ENV_NAME_MAX_LENGTH = 10;
export const ENV_NAME_PATTERN = /^[a-z][a-z0-9]*$/;
export const ENV_NAME_RULE = `be 1 to ${ENV_NAME_MAX_LENGTH} characters: lowercase letters or digits, starting with a letter (e.g. "dev", "staging", "prod")`;

export function isValidEnvName(env: unknown): env is string {
  return typeof env === 'string' && env.length <= ENV_NAME_MAX_LENGTH && ENV_NAME_PATTERN.test(env);
}

export interface ResourceNames {
  readonly prefix: string;
  /** Main stack (queues, workers, table, monitoring). */
  readonly stack: string;
  /** Schedule stack number `n` (0-based) when schedules are split across stacks. */
  scheduleStack(n: number): string;
  /** The single DynamoDB table (see docs/ARCHITECTURE.md for its key design). */
  readonly table: string;
  queue(queue: string): string;
  /** Redrive queue of a job queue: messages that failed `maxReceiveCount` deliveries. */
  redriveQueue(queue: string): string;
  workerFunction(queue: string): string;
  /** Dead-letter queue of EventBridge Scheduler deliveries that failed. */
  readonly scheduleDlq: string;
  readonly scheduleGroup: string;
  /** Schedule `index` (0-based) of a job: the first keeps the job name, others get `-2`, `-3`, … */
  scheduleName(job: string, index: number): string;
  /** IAM role EventBridge Scheduler assumes to send to the queues. */
  readonly schedulerRole: string;
  readonly dashboard: string;
  readonly alarmTopic: string;
  /** CloudWatch metrics namespace (embedded metric format). */
  readonly metricsNamespace: string;
}

export function resourceNames(app: string, env: string): ResourceNames {
  const prefix = `${app}-${env}`;
  return {
    prefix,
    stack: prefix,
    scheduleStack: (n) => `${prefix}-schedules-${n + 1}`,
    table: `${prefix}-state`,
    queue: (q) => `${prefix}-${q}`,
    redriveQueue: (q) => `${prefix}-${q}-dlq`,
    workerFunction: (q) => `${prefix}-${q}-worker`,
    scheduleDlq: `${prefix}-schedule-dlq`,
    scheduleGroup: prefix,
    scheduleName: (job, index) => (index === 0 ? job : `${job}-${index + 1}`),
    schedulerRole: `${prefix}-scheduler`,
    dashboard: prefix,
    alarmTopic: `${prefix}-alarms`,
    metricsNamespace: `OmScheduler/${prefix}`,
  };
}

/**
 * Environment variables the worker Lambda reads (set by the CDK construct). One list, so the
 * construct and the handler cannot drift apart.
 */
export const WORKER_ENV = {
  app: 'OMSCHED_APP',
  env: 'OMSCHED_ENV',
  table: 'OMSCHED_TABLE',
  /** This worker's queue (config name). */
  queue: 'OMSCHED_QUEUE',
  /** JSON: { [configQueueName]: { url, arn } } of every queue of the app. */
  queues: 'OMSCHED_QUEUES',
  scheduleGroup: 'OMSCHED_SCHEDULE_GROUP',
  schedulerRoleArn: 'OMSCHED_SCHEDULER_ROLE_ARN',
  scheduleDlqArn: 'OMSCHED_SCHEDULE_DLQ_ARN',
  logLevel: 'OMSCHED_LOG_LEVEL',
  metricsNamespace: 'OMSCHED_METRICS_NAMESPACE',
  /** Days after which history items expire (DynamoDB TTL). */
  historyTtlDays: 'OMSCHED_HISTORY_TTL_DAYS',
} as const;
