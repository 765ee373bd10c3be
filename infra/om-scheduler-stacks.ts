/**
 * `createOmSchedulerStacks`: the whole deployment of one app in one environment — the main stack
 * (table, queues, workers, schedule plumbing, monitoring, schedules while they fit) and, for
 * large apps, extra schedule stacks.
 */
import { CfnOutput, Stack, Stage, Tags, Token, type CfnElement } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ConfigError, type ConfigIssue } from '../shared/errors.ts';
import { resourceNames, WORKER_ENV, type ResourceNames } from '../shared/naming.ts';
import type { ResolvedConfig } from '../shared/types.ts';
import { JobQueue, acknowledgeWildcardResource } from './job-queue.ts';
import { JobSchedules, DEFAULT_MAX_RESOURCES_PER_STACK } from './job-schedules.ts';
import { Monitoring } from './monitoring.ts';
import { SchedulerTables } from './scheduler-tables.ts';
import type { EnvironmentSettings } from './settings.ts';
import { SQS_WORKER_MODULE, writeWorkerEntry } from './worker-entry.ts';


export interface OmSchedulerStacksProps {
  /** The resolved config (`loadConfig(configPath)`). */
  readonly config: ResolvedConfig;
  /** The config module the workers import (absolute, or relative to the working directory). */
  readonly configPath: string;
  /** Environment name (ENV_NAME_RULE). */
  readonly env: string;
  readonly settings: EnvironmentSettings;
  /** Bundle the workers with esbuild; `false` deploys placeholders (fast infra unit tests). @default true */
  readonly bundle?: boolean;
  /** The worker module the generated entry wraps. @default functions/worker/sqs-worker.ts */
  readonly workerModule?: string;
  /** Directory for the generated worker entry. @default the app's output directory */
  readonly entryDir?: string;
  /** @default 450 */
  readonly maxResourcesPerStack?: number;
  /** Escape hatch: called with every construct before returning, for raw overrides. @default none */
  readonly customize?: (stacks: OmSchedulerStacks) => void;
}

export interface OmSchedulerStacks {
  readonly names: ResourceNames;
  readonly main: Stack;
  /** Extra stacks holding schedules (empty for apps that fit into the main stack). */
  readonly scheduleStacks: readonly Stack[];
  /** Every stack, main first. */
  readonly stacks: readonly Stack[];
  readonly tables: SchedulerTables;
  readonly queues: Readonly<Record<string, JobQueue>>;
  readonly schedules: JobSchedules;
  readonly monitoring: Monitoring;
}

/** The concurrency of each queue in this environment: the config's, replaced by `settings.queueConcurrency`. */
export function effectiveConcurrency(config: ResolvedConfig, settings: EnvironmentSettings, env: string): Record<string, number> {
  const issues: ConfigIssue[] = [];
  for (const q of Object.keys(settings.queueConcurrency)) {
    if (!(q in config.queues)) {
      issues.push({
        subject: { kind: 'config' },
        field: `om-scheduler.environments.${env}.queueConcurrency.${q}`,
        value: settings.queueConcurrency[q],
        expected: `name a queue of the config (one of: ${Object.keys(config.queues).join(', ')})`,
      });
    }
  }
  if (issues.length) throw new ConfigError(issues.length === 1 ? issues[0]! : issues);
  return { ...config.queues, ...settings.queueConcurrency };
}

/**
 * Builds the stacks of `config` in environment `env` inside `app`.
 *
 * @example
 * const app = new App();
 * const config = await loadConfig('scheduler.config.ts');
 * const settings = resolveEnvironmentSettings(app.node.tryGetContext('om-scheduler'), 'dev');
 * createOmSchedulerStacks(app, { config, configPath: 'scheduler.config.ts', env: 'dev', settings });
 */
export function createOmSchedulerStacks(app: Construct, props: OmSchedulerStacksProps): OmSchedulerStacks {
  const { config, settings, env } = props;
  const names = resourceNames(config.app, env);
  const concurrency = effectiveConcurrency(config, settings, env);
  const retainData = settings.retainData;

  const main = new Stack(app, names.stack, {
    stackName: names.stack,
    env: { ...(settings.account ? { account: settings.account } : {}), region: settings.region },
    description: `om-scheduler: ${config.app} (${env}) — queues, workers, table, schedules, monitoring`,
  });
  Tags.of(main).add('om-scheduler:app', config.app);
  Tags.of(main).add('om-scheduler:env', env);

  const tables = new SchedulerTables(main, 'State', { tableName: names.table, retainData });

  const entry =
    props.bundle === false
      ? ''
      : writeWorkerEntry({
          configPath: props.configPath,
          outDir: props.entryDir ?? (Stage.isStage(app) ? app.outdir : Stage.of(app)?.outdir) ?? '.',
          name: names.prefix,
          workerModule: props.workerModule ?? SQS_WORKER_MODULE,
        });
  const queues: Record<string, JobQueue> = {};
  for (const [queueName, n] of Object.entries(concurrency)) {
    const jobs = config.jobs.filter((j) => j.queue === queueName);
    const q = new JobQueue(main, `Queue-${queueName}`, {
      queueName: names.queue(queueName),
      redriveQueueName: names.redriveQueue(queueName),
      functionName: names.workerFunction(queueName),
      concurrency: n,
      jobTimeoutsMs: jobs.map((j) => j.timeoutMs),
      entry,
      bundle: props.bundle ?? true,
      reserveConcurrency: settings.reserveConcurrency,
      logRetention: settings.logRetentionDays as logs.RetentionDays,
      retainData,
      environment: {
        [WORKER_ENV.app]: config.app,
        [WORKER_ENV.env]: env,
        [WORKER_ENV.table]: names.table,
        [WORKER_ENV.queue]: queueName,
        [WORKER_ENV.scheduleGroup]: names.scheduleGroup,
        [WORKER_ENV.logLevel]: settings.logLevel,
        [WORKER_ENV.metricsNamespace]: names.metricsNamespace,
        [WORKER_ENV.historyTtlDays]: String(settings.historyTtlDays),
        POWERTOOLS_SERVICE_NAME: names.workerFunction(queueName),
        POWERTOOLS_METRICS_NAMESPACE: names.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: settings.logLevel,
      },
    });
    tables.table.grantReadWriteData(q.role);
    queues[queueName] = q;
  }

  const schedules = new JobSchedules(main, 'Schedules', {
    names,
    queues: Object.fromEntries(Object.entries(queues).map(([k, q]) => [k, q.queue])),
    maxResourcesPerStack: props.maxResourcesPerStack ?? DEFAULT_MAX_RESOURCES_PER_STACK,
    retainData,
  });
  const tableId = main.getLogicalId(tables.table.node.defaultChild as CfnElement);
  // cdk-nag names a token by its intrinsic: <AWS::Partition>, <AWS::Region>, <Logical.Arn>.
  const nagValue = (v: string, pseudo: string): string => (Token.isUnresolved(v) ? `<${pseudo}>` : v);
  const scheduleArnForNag = `arn:<AWS::Partition>:scheduler:${nagValue(main.region, 'AWS::Region')}:${nagValue(main.account, 'AWS::AccountId')}:schedule/${names.scheduleGroup}/*`;
  const queueMap = main.toJsonString(
    Object.fromEntries(Object.entries(queues).map(([k, q]) => [k, { url: q.queue.queueUrl, arn: q.queue.queueArn }])),
  );
  const allQueueArns = Object.values(queues).map((q) => q.queue.queueArn);
  for (const q of Object.values(queues)) {
    q.addEnvironment(WORKER_ENV.queues, queueMap);
    // A job may enqueue another job (`Worker.enqueue` inside a handler) on any of the app's queues.
    q.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: allQueueArns }));
    q.addEnvironment(WORKER_ENV.schedulerRoleArn, schedules.role.roleArn);
    q.addEnvironment(WORKER_ENV.scheduleDlqArn, schedules.deadLetterQueue.queueArn);
    schedules.grantManageSchedules(q.role);
    acknowledgeWildcardResource(q.role, `<${tableId}.Arn>/index/*`, 'Queries need the table\'s own indexes (table/<name>/index/*).');
    acknowledgeWildcardResource(
      q.role,
      scheduleArnForNag,
      'Retries past 15 minutes create one-time schedules with generated names, only in the app\'s own group.',
    );
  }

  const monitoring = new Monitoring(main, 'Monitoring', {
    names,
    queues,
    scheduleDeadLetterQueue: schedules.deadLetterQueue,
    thresholds: settings.alarms,
    ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
    ...(settings.alarmTopicArn ? { alarmTopicArn: settings.alarmTopicArn } : {}),
  });

  new CfnOutput(main, 'TableName', { value: tables.table.tableName });
  new CfnOutput(main, 'ScheduleGroupName', { value: names.scheduleGroup });
  new CfnOutput(main, 'SchedulerRoleArn', { value: schedules.role.roleArn });
  new CfnOutput(main, 'QueueMap', { value: queueMap, description: 'Config queue name -> { url, arn }' });

  // Last: the split into schedule stacks counts everything above.
  schedules.addJobs(config.jobs);
  for (const s of schedules.extraStacks) {
    Tags.of(s).add('om-scheduler:app', config.app);
    Tags.of(s).add('om-scheduler:env', env);
  }

  const result: OmSchedulerStacks = {
    names,
    main,
    scheduleStacks: schedules.extraStacks,
    stacks: [main, ...schedules.extraStacks],
    tables,
    queues,
    schedules,
    monitoring,
  };
  props.customize?.(result);
  return result;
}
