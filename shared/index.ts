/**
 * om-scheduler — definitions, the local runtime and the runtime client.
 * CDK constructs live in `om-scheduler/infra`, test helpers in `om-scheduler/testing`.
 */
export * from './duration.ts';
export * from './errors.ts';
export * from './outcomes.ts';
export type * from './types.ts';
export { telemetry, Telemetry, TELEMETRY_EVENTS } from './telemetry.ts';
export type { TelemetryEvents, TelemetryEventName, TelemetryHandler } from './telemetry.ts';
export type * from './ports.ts';
export { parseRunMessage, tickMessage, enqueueMessage, retryMessage, tickRunId } from './messages.ts';

// Definitions
export { defineJob } from './config/define-job.ts';
export { defineConfig, resolveJob, JOB_DEFAULTS } from './config/define-config.ts';
export type { ConfigInput, JobLike } from './config/define-config.ts';
export { scheduled, jobsOf } from './config/scheduled.ts';
export { Worker } from './config/worker.ts';
export { setDefaultClient, getDefaultClient } from './config/default-client.ts';
export { loadConfig } from './config/load-config.ts';

// Schedules
export { compileSchedules } from './schedule/compile.ts';
export { nextRuns } from './schedule/next-runs.ts';

// Local engine
export { createLocalRuntime } from './engine/local-runtime.ts';
export type { LocalRuntime, LocalRuntimeOptions } from './engine/local-runtime.ts';
export { realClock } from './adapters/clock.ts';

// AWS engine: the runtime client of a deployed environment (the AWS SDK loads on first use)
export { createClient } from '../functions/client/index.ts';
export type { AwsClientOptions } from '../functions/client/index.ts';
export { resourceNames, isValidEnvName, ENV_NAME_RULE } from './naming.ts';
