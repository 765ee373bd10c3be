/**
 * `JobSchedules`: EventBridge Scheduler for an app — the schedule group, the role the scheduler
 * assumes, a dead-letter queue for deliveries that failed, and one schedule per compiled
 * expression of every job. Schedules that do not fit into the stack spill into extra stacks.
 */
import { App, ArnFormat, CfnResource, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ConfigError, jobIssue } from '../shared/errors.ts';
import { scheduleTargetInput } from '../shared/messages.ts';
import { SCHEDULE_RETRY_POLICY, scheduleDescription } from '../shared/schedule/deployed-schedule.ts';
import type { ResourceNames } from '../shared/naming.ts';
import type { JobInfo } from '../shared/types.ts';

/** CloudFormation allows 500 resources per stack; this leaves room for CDK's own and for growth. */
export const DEFAULT_MAX_RESOURCES_PER_STACK = 450;

/**
 * How EventBridge Scheduler retries a delivery to SQS before it goes to the schedule DLQ:
 * the maximum attempts, within one hour — a tick later than that is better surfaced (DLQ alarm)
 * than run by surprise, and the next tick of most jobs is due by then anyway.
 */
export const DEFAULT_SCHEDULE_RETRY_POLICY = SCHEDULE_RETRY_POLICY;

/** A job's schedules, grouped so that one job never spans two stacks. */
interface JobScheduleBatch {
  readonly job: JobInfo;
  readonly count: number;
}

/**
 * Splits jobs (in config order) into stacks of at most `capacity` schedules each, keeping each
 * job's schedules together. Appending jobs only ever touches the last stack.
 *
 * @example
 * chunkJobs([{ job: a, count: 1 }, { job: b, count: 2 }], 2); // [[a], [b]]
 */
export function chunkJobs<T extends { readonly count: number }>(batches: readonly T[], capacity: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const batch of batches) {
    if (used + batch.count > capacity && current.length) {
      chunks.push(current);
      current = [];
      used = 0;
    }
    current.push(batch);
    used += batch.count;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/** CloudFormation resources a stack holds so far (plus CDK's metadata resource). */
export function countResources(stack: Stack): number {
  return stack.node.findAll().filter((c) => CfnResource.isCfnResource(c) && Stack.of(c) === stack).length + 1;
}

export interface JobSchedulesProps {
  /** `resourceNames(app, env)`. */
  readonly names: ResourceNames;
  /** Config queue name -> the job queue (in this construct's stack) its schedules send to. */
  readonly queues: Readonly<Record<string, sqs.IQueue>>;
  /**
   * Jobs to schedule now; or call {@link JobSchedules.addJobs} later, after the rest of the stack
   * exists, so the split sees every resource. Jobs without schedules are skipped. @default none
   */
  readonly jobs?: readonly JobInfo[];
  /** Largest stack (resources) before schedules go to extra stacks. @default 450 */
  readonly maxResourcesPerStack?: number;
  /** @default {@link DEFAULT_SCHEDULE_RETRY_POLICY} */
  readonly retryPolicy?: { readonly maximumRetryAttempts: number; readonly maximumEventAgeInSeconds: number };
  /** Keep the schedule DLQ when the stack goes. @default true */
  readonly retainData?: boolean;
}

/**
 * @example
 * const schedules = new JobSchedules(stack, 'Schedules', { names, queues: { default: q.queue } });
 * schedules.grantManageSchedules(worker);   // runtime at() schedules
 * schedules.addJobs(config.jobs);           // last: may create `<app>-<env>-schedules-N` stacks
 */
export class JobSchedules extends Construct {
  readonly group: scheduler.CfnScheduleGroup;
  readonly role: iam.Role;
  readonly deadLetterQueue: sqs.Queue;
  /** Every schedule, in job order, wherever it lives. */
  readonly schedules: scheduler.CfnSchedule[] = [];
  /** The extra stacks schedules spilled into (empty while they fit into this stack). */
  readonly extraStacks: Stack[] = [];
  private readonly props: JobSchedulesProps;
  private added = false;

  constructor(scope: Construct, id: string, props: JobSchedulesProps) {
    super(scope, id);
    this.props = props;
    const { names } = props;
    const stack = Stack.of(this);

    this.group = new scheduler.CfnScheduleGroup(this, 'Group', { name: names.scheduleGroup });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      queueName: names.scheduleDlq, // standard, not FIFO: EventBridge Scheduler requires it
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.retainData === false ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This is the dead-letter queue of EventBridge Scheduler deliveries; it needs no DLQ of its own.',
    });
    this.role = new iam.Role(this, 'Role', {
      roleName: names.schedulerRole,
      description: `EventBridge Scheduler sends the ticks of ${names.prefix} to its queues`,
      // Confused-deputy guard: only schedules of this account may assume it.
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [...Object.values(props.queues).map((q) => q.queueArn), this.deadLetterQueue.queueArn],
      }),
    );
    if (props.jobs) this.addJobs(props.jobs);
  }

  /** ARN pattern of every schedule in the group (runtime `at()` schedules included). */
  get scheduleArnPattern(): string {
    return Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.props.names.scheduleGroup}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /**
   * Lets `grantee` create, read, update and delete schedules in this group (the worker's retries
   * past 15 minutes and the client's runtime jobs) and pass the scheduler role to them.
   */
  grantManageSchedules(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule', 'scheduler:UpdateSchedule'],
        resources: [this.scheduleArnPattern],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
  }

  /**
   * Creates the schedules of `jobs`: in this stack when everything fits under
   * `maxResourcesPerStack`, otherwise all of them in extra stacks `names.scheduleStack(n)` of at
   * most that size each (which depend on this stack). Call once, after the rest of the stack.
   */
  addJobs(jobs: readonly JobInfo[]): void {
    if (this.added) throw new Error('JobSchedules.addJobs may be called once');
    this.added = true;
    const { names } = this.props;
    const max = this.props.maxResourcesPerStack ?? DEFAULT_MAX_RESOURCES_PER_STACK;
    const batches: JobScheduleBatch[] = jobs.filter((j) => j.schedules.length > 0).map((job) => ({ job, count: job.schedules.length }));
    for (const { job } of batches) {
      if (!this.props.queues[job.queue]) {
        throw new ConfigError(jobIssue(job.name, 'queue', job.queue, `name a deployed queue (one of: ${Object.keys(this.props.queues).join(', ')})`));
      }
    }
    const total = batches.reduce((n, b) => n + b.count, 0);
    const stack = Stack.of(this);

    if (countResources(stack) + total <= max) {
      for (const { job } of batches) this.addJobSchedules(this, job, this.props.queues[job.queue]!.queueArn, this.role.roleArn, this.deadLetterQueue.queueArn);
      return;
    }
    // Extra stacks find the queues, role and DLQ by their deterministic names rather than by
    // cross-stack exports, which would pin the main stack's outputs while any import exists.
    const parent = stack.node.scope ?? App.of(stack)!;
    const env = {
      ...(Token.isUnresolved(stack.account) ? {} : { account: stack.account }),
      ...(Token.isUnresolved(stack.region) ? {} : { region: stack.region }),
    };
    chunkJobs(batches, max - 1).forEach((chunk, n) => {
      const extra = new Stack(parent, names.scheduleStack(n), {
        stackName: names.scheduleStack(n),
        env,
        description: `om-scheduler: schedules of ${names.prefix} (part ${n + 1})`,
      });
      extra.addStackDependency(stack, 'the schedule group, role, DLQ and queues live in the main stack');
      this.extraStacks.push(extra);
      const roleArn = extra.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: names.schedulerRole, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
      const sqsArn = (name: string): string => extra.formatArn({ service: 'sqs', resource: name, arnFormat: ArnFormat.NO_RESOURCE_NAME });
      for (const { job } of chunk) this.addJobSchedules(extra, job, sqsArn(names.queue(job.queue)), roleArn, sqsArn(names.scheduleDlq));
    });
  }

  private addJobSchedules(scope: Construct, job: JobInfo, queueArn: string, roleArn: string, dlqArn: string): void {
    const { names } = this.props;
    const retryPolicy = this.props.retryPolicy ?? DEFAULT_SCHEDULE_RETRY_POLICY;
    job.schedules.forEach((s, i) => {
      const name = names.scheduleName(job.name, i);
      const schedule = new scheduler.CfnSchedule(scope, `Schedule-${name}`, {
        name,
        groupName: names.scheduleGroup,
        description: scheduleDescription(s),
        scheduleExpression: s.expression,
        scheduleExpressionTimezone: s.timezone,
        flexibleTimeWindow: { mode: 'OFF' },
        state: 'ENABLED',
        target: {
          arn: queueArn,
          roleArn,
          input: scheduleTargetInput(job.name),
          retryPolicy: { ...retryPolicy },
          deadLetterConfig: { arn: dlqArn },
        },
      });
      if (scope === this) schedule.node.addDependency(this.group);
      this.schedules.push(schedule);
    });
  }
}
