/**
 * Reads the worker's settings from its environment (`WORKER_ENV`, set by the CDK construct).
 */
import { WORKER_ENV } from '../../shared/naming.ts';
import { type QueueAddress, parseQueueDirectory } from '../adapters/queue-directory.ts';

export interface WorkerSettings {
  readonly app: string;
  readonly env: string;
  readonly table: string;
  /** This worker's queue (config name). */
  readonly queue: string;
  readonly queues: Readonly<Record<string, QueueAddress>>;
  readonly scheduleGroup: string;
  readonly schedulerRoleArn: string;
  readonly scheduleDlqArn?: string;
  readonly logLevel: string;
  readonly metricsNamespace: string;
  /** History item lifetime; absent = the store's default. */
  readonly historyRetentionMs?: number;
}

/**
 * @example
 * const settings = readWorkerEnv(process.env); // throws naming every missing variable
 */
export function readWorkerEnv(env: Readonly<Record<string, string | undefined>>): WorkerSettings {
  const required = ['app', 'env', 'table', 'queue', 'queues', 'scheduleGroup', 'schedulerRoleArn'] as const;
  const missing = required.filter((k) => !env[WORKER_ENV[k]]).map((k) => WORKER_ENV[k]);
  if (missing.length) throw new Error(`worker environment is missing ${missing.join(', ')} (set by the om-scheduler CDK construct)`);
  const get = (k: keyof typeof WORKER_ENV): string => env[WORKER_ENV[k]] ?? '';
  const dlq = env[WORKER_ENV.scheduleDlqArn];
  const ttlDays = Number(env[WORKER_ENV.historyTtlDays]);
  return {
    app: get('app'),
    env: get('env'),
    table: get('table'),
    queue: get('queue'),
    queues: parseQueueDirectory(get('queues')),
    scheduleGroup: get('scheduleGroup'),
    schedulerRoleArn: get('schedulerRoleArn'),
    ...(dlq ? { scheduleDlqArn: dlq } : {}),
    logLevel: (env[WORKER_ENV.logLevel] ?? 'INFO').toUpperCase(),
    metricsNamespace: env[WORKER_ENV.metricsNamespace] ?? `OmScheduler/${get('app')}-${get('env')}`,
    ...(Number.isFinite(ttlDays) && ttlDays > 0 ? { historyRetentionMs: ttlDays * 86_400_000 } : {}),
  };
}
