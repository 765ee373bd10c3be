/**
 * `Monitoring`: one CloudWatch dashboard per environment and the alarms that matter — dead
 * letters, a redrive queue that is not empty, old messages, worker errors, throttles and failed
 * schedule deliveries — optionally sent to an SNS topic.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { JOB_METRICS, METRIC_DIMENSIONS } from '../shared/metric-names.ts';
import type { ResourceNames } from '../shared/naming.ts';
import type { AlarmThresholds } from './settings.ts';
import type { JobQueue } from './job-queue.ts';

const PERIOD = Duration.minutes(5);

/** EventBridge Scheduler metrics (namespace AWS/Scheduler, dimension ScheduleGroup) on the dashboard. */
export const SCHEDULER_METRICS = [
  'InvocationAttemptCount',
  'TargetErrorCount',
  'TargetErrorThrottledCount',
  'InvocationDroppedCount',
  'InvocationsSentToDeadLetterCount',
] as const;

export interface MonitoringProps {
  /** `resourceNames(app, env)`: dashboard, topic and metrics namespace names. */
  readonly names: ResourceNames;
  /** Config queue name -> its JobQueue. */
  readonly queues: Readonly<Record<string, JobQueue>>;
  /** The schedule DLQ (deliveries EventBridge Scheduler gave up on). @default none */
  readonly scheduleDeadLetterQueue?: sqs.IQueue;
  /** @default { oldestMessageAgeSeconds: 900, workerErrors: 1, throttles: 1 } */
  readonly thresholds?: Partial<AlarmThresholds>;
  /** Create topic `names.alarmTopic` and subscribe this address. @default none */
  readonly alarmEmail?: string;
  /** Send alarms to this existing topic. @default none (no alarm actions unless `alarmEmail`) */
  readonly alarmTopicArn?: string;
}

/**
 * @example
 * const monitoring = new Monitoring(stack, 'Monitoring', { names, queues, alarmEmail: 'ops@example.com' });
 * monitoring.alarms.length; // 5 per queue + 1 for the schedule DLQ
 */
export class Monitoring extends Construct {
  readonly dashboard: cw.Dashboard;
  readonly alarms: cw.Alarm[] = [];
  readonly topic?: sns.ITopic;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { names } = props;
    const t = { oldestMessageAgeSeconds: 900, workerErrors: 1, throttles: 1, ...props.thresholds };

    if (props.alarmTopicArn) {
      this.topic = sns.Topic.fromTopicArn(this, 'Topic', props.alarmTopicArn);
    } else if (props.alarmEmail) {
      const topic = new sns.Topic(this, 'Topic', { topicName: names.alarmTopic, enforceSSL: true });
      topic.addSubscription(new subs.EmailSubscription(props.alarmEmail));
      Validations.of(topic).acknowledge({
        id: 'AwsSolutions-SNS2',
        reason:
          'CloudWatch alarms cannot publish to a topic encrypted with the AWS managed SNS key, and alarm ' +
          'notifications carry no sensitive data; a customer managed key is left to the user.',
      });
      this.topic = topic;
    }

    const alarm = (id: string, metric: cw.IMetric, threshold: number, description: string): cw.Alarm => {
      const a = new cw.Alarm(this, id, {
        alarmName: `${names.prefix}-${id}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
      if (this.topic) a.addAlarmAction(new cwActions.SnsAction(this.topic));
      this.alarms.push(a);
      return a;
    };

    const widgets: cw.IWidget[][] = [
      [new cw.TextWidget({ markdown: `# ${names.prefix}\nQueues, workers, jobs and schedules of **${names.prefix}**.`, width: 24, height: 2 })],
    ];
    for (const [name, q] of Object.entries(props.queues)) {
      const deadLetters = new cw.Metric({
        namespace: names.metricsNamespace,
        metricName: JOB_METRICS.deadLetters,
        // Powertools adds a `service` dimension: the worker names itself after its function.
        dimensionsMap: { service: names.workerFunction(name), [METRIC_DIMENSIONS.queue]: name },
        statistic: 'Sum',
        period: PERIOD,
      });
      const visible = q.queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' });
      const inFlight = q.queue.metricApproximateNumberOfMessagesNotVisible({ period: PERIOD, statistic: 'Maximum' });
      const oldest = q.queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' });
      const redrive = q.redriveQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' });
      const errors = q.worker.metricErrors({ period: PERIOD, statistic: 'Sum' });
      const throttles = q.worker.metricThrottles({ period: PERIOD, statistic: 'Sum' });
      const id = `Queue-${name}`;
      alarm(`${id}-DeadLetters`, deadLetters, 1, `Jobs on queue "${name}" were dead-lettered.`);
      alarm(`${id}-RedriveNotEmpty`, redrive, 1, `The redrive queue of "${name}" holds messages the worker could not process.`);
      alarm(`${id}-OldestMessageAge`, oldest, t.oldestMessageAgeSeconds, `Queue "${name}" has waited ${t.oldestMessageAgeSeconds} s or more.`);
      alarm(`${id}-WorkerErrors`, errors, t.workerErrors, `The worker of "${name}" failed invocations.`);
      alarm(`${id}-Throttles`, throttles, t.throttles, `The worker of "${name}" was throttled (reserved concurrency).`);

      widgets.push([
        new cw.GraphWidget({ title: `${name}: queue depth`, left: [visible, inFlight], right: [redrive], width: 6 }),
        new cw.GraphWidget({ title: `${name}: age of oldest message (s)`, left: [oldest], width: 6 }),
        new cw.GraphWidget({ title: `${name}: worker errors and throttles`, left: [errors, throttles], right: [deadLetters], width: 6 }),
        new cw.GraphWidget({
          title: `${name}: worker duration (ms)`,
          left: [q.worker.metricDuration({ period: PERIOD, statistic: 'p50' }), q.worker.metricDuration({ period: PERIOD, statistic: 'p99' }), q.worker.metricDuration({ period: PERIOD, statistic: 'Maximum' })],
          width: 6,
        }),
      ]);
    }

    // Per-job graphs use SEARCH so one widget covers every job (1,000 jobs would not fit as lines).
    const perJob = (metricName: string, stat: string, label: string): cw.GraphWidget =>
      new cw.GraphWidget({
        title: `${label} by job`,
        left: [
          new cw.MathExpression({
            expression: `SEARCH('Namespace="${names.metricsNamespace}" MetricName="${metricName}"', '${stat}', ${PERIOD.toSeconds()})`,
            usingMetrics: {},
            label,
            period: PERIOD,
          }),
        ],
        width: 6,
      });
    widgets.push([
      perJob(JOB_METRICS.runs, 'Sum', 'Runs'),
      perJob(JOB_METRICS.failures, 'Sum', 'Failures'),
      perJob(JOB_METRICS.retries, 'Sum', 'Retries'),
      perJob(JOB_METRICS.durationMs, 'Average', 'Duration (ms)'),
    ]);

    const schedulerMetric = (metricName: string): cw.Metric =>
      new cw.Metric({ namespace: 'AWS/Scheduler', metricName, dimensionsMap: { ScheduleGroup: names.scheduleGroup }, statistic: 'Sum', period: PERIOD });
    const scheduleRow: cw.IWidget[] = [
      new cw.GraphWidget({ title: 'Schedules: deliveries', left: [schedulerMetric('InvocationAttemptCount')], width: 8 }),
      new cw.GraphWidget({
        title: 'Schedules: delivery failures',
        left: SCHEDULER_METRICS.filter((m) => m !== 'InvocationAttemptCount').map(schedulerMetric),
        width: 8,
      }),
    ];
    if (props.scheduleDeadLetterQueue) {
      const dlqDepth = props.scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' });
      alarm('ScheduleDeadLetters', dlqDepth, 1, 'EventBridge Scheduler could not deliver schedule ticks to their queues.');
      scheduleRow.push(new cw.GraphWidget({ title: 'Schedules: dead-lettered ticks', left: [dlqDepth], width: 8 }));
    }
    widgets.push(scheduleRow);
    widgets.push([new cw.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24 })]);

    this.dashboard = new cw.Dashboard(this, 'Dashboard', { dashboardName: names.dashboard, widgets });
  }
}
