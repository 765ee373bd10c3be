/**
 * `om-scheduler/infra`: the CDK constructs and the stack factory. Kept apart from the main entry
 * so that Lambda bundles never pull in aws-cdk-lib.
 *
 * @example
 * import { App } from 'aws-cdk-lib';
 * import { loadConfig } from 'om-scheduler';
 * import { createOmSchedulerStacks, resolveEnvironmentSettings } from 'om-scheduler/infra';
 *
 * const app = new App();
 * const settings = resolveEnvironmentSettings(app.node.tryGetContext('om-scheduler'), 'dev');
 * const config = await loadConfig(settings.configFile);
 * createOmSchedulerStacks(app, { config, configPath: settings.configFile, env: 'dev', settings });
 */
export { JobQueue, MAX_RECEIVE_COUNT, acknowledgeWildcardResource, queueConcurrencySettings, workerTimeoutSeconds } from './job-queue.ts';
export type { JobQueueProps } from './job-queue.ts';
export { JobSchedules, DEFAULT_MAX_RESOURCES_PER_STACK, DEFAULT_SCHEDULE_RETRY_POLICY, chunkJobs, countResources } from './job-schedules.ts';
export type { JobSchedulesProps } from './job-schedules.ts';
export { SchedulerTables, TABLE_KEYS } from './scheduler-tables.ts';
export type { SchedulerTablesProps } from './scheduler-tables.ts';
export { Monitoring, SCHEDULER_METRICS } from './monitoring.ts';
export type { MonitoringProps } from './monitoring.ts';
export { createOmSchedulerStacks, effectiveConcurrency } from './om-scheduler-stacks.ts';
export type { OmSchedulerStacks, OmSchedulerStacksProps } from './om-scheduler-stacks.ts';
export {
  resolveEnvironmentSettings,
  environmentNames,
  DEFAULT_SETTINGS,
  DEFAULT_CONFIG_FILE,
  LOG_LEVELS,
  LOG_RETENTION_DAYS,
  SETTINGS_CONTEXT_KEY,
} from './settings.ts';
export type { AlarmThresholds, EnvironmentSettings, LogLevel } from './settings.ts';
export { writeWorkerEntry, workerEntrySource, findProjectRoot, SQS_WORKER_MODULE } from './worker-entry.ts';
export type { WorkerEntryProps } from './worker-entry.ts';
export { buildApp } from './build-app.ts';
export type { BuildAppOptions } from './build-app.ts';
