import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, test } from 'vitest';
import { scheduleTargetInput } from '../../shared/messages.ts';
import { WORKER_ENV } from '../../shared/naming.ts';
import { buildExample, resourcesOf, type Built } from './synth-helpers.ts';

// The example app (examples/app/scheduler.config.ts) in dev: queues default 10, critical 5,
// exports 2 (cdk.json lowers it to 1 in dev), webhooks 5.
let built: Built;
let main: Template;

beforeAll(async () => {
  built = await buildExample('dev');
  main = (await import('aws-cdk-lib/assertions')).Template.fromStack(built.stacks.main);
});

describe('the example app in dev', () => {
  test('fits into one stack named after the app and environment', () => {
    // Assess
    expect(built.stacks.stacks.map((s) => s.stackName)).toEqual(['demo-shop-dev']);
  });

  test('has one table with the contract’s keys, TTL, PITR and on-demand billing', () => {
    // Assess
    main.resourceCountIs('AWS::DynamoDB::Table', 1);
    main.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete', // dev: retainData false
      Properties: {
        TableName: 'demo-shop-dev-state',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: false,
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      },
    });
  });

  // [queue, concurrency in dev, reserved concurrency, event source maxConcurrency, function timeout s]
  test.each([
    ['default', 10, 10, 605],
    ['critical', 5, 5, 30],
    ['exports', 1, 2, 900],
    ['webhooks', 5, 5, 35],
  ])('queue "%s": reserved concurrency %i, maxConcurrency %i, timeout %i s, visibility 6× that', (queue, reserved, maxConcurrency, timeout) => {
    // Assess: the queue, encrypted, TLS only, redriven after 5 receives
    main.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `demo-shop-dev-${queue}`,
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 6 * timeout,
      RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: Match.anyValue() },
    });
    main.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `demo-shop-dev-${queue}-dlq`,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    main.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: `demo-shop-dev-${queue}-worker`,
      Runtime: 'nodejs22.x',
      Timeout: timeout,
      ReservedConcurrentExecutions: reserved,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: Match.anyValue() },
      Environment: {
        Variables: Match.objectLike({
          [WORKER_ENV.app]: 'demo-shop',
          [WORKER_ENV.env]: 'dev',
          [WORKER_ENV.table]: 'demo-shop-dev-state',
          [WORKER_ENV.queue]: queue,
          [WORKER_ENV.queues]: Match.anyValue(),
          [WORKER_ENV.scheduleGroup]: 'demo-shop-dev',
          [WORKER_ENV.schedulerRoleArn]: Match.anyValue(),
          [WORKER_ENV.scheduleDlqArn]: Match.anyValue(),
          [WORKER_ENV.logLevel]: 'DEBUG',
          [WORKER_ENV.metricsNamespace]: 'OmScheduler/demo-shop-dev',
          POWERTOOLS_SERVICE_NAME: `demo-shop-dev-${queue}-worker`,
        }),
      },
    });
    main.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp(`Queue${queue}Worker`) },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: maxConcurrency },
    });
    main.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `/aws/lambda/demo-shop-dev-${queue}-worker`, RetentionInDays: 7 });
  });

  test('every queue refuses requests without TLS', () => {
    // Assess: 4 job queues + 4 redrive queues + the schedule DLQ
    main.resourceCountIs('AWS::SQS::Queue', 9);
    const policies = main.findResources('AWS::SQS::QueuePolicy');
    expect(Object.keys(policies)).toHaveLength(9);
    for (const p of Object.values(policies)) {
      expect(p['Properties'].PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  test('each scheduled job gets one schedule per compiled expression, exactly as compiled', () => {
    // Prepare
    const expected = [
      ['cleanup_sessions', 'cron(0/5 * * * ? *)', 'UTC', 'default'],
      ['vacuum_database', 'cron(0 3 ? * 1 *)', 'Europe/Berlin', 'default'],
      ['rotate_logs', 'cron(0 * * * ? *)', 'UTC', 'default'],
      ['weekly_report', 'cron(0 8 ? * 2 *)', 'Europe/Berlin', 'default'],
      ['heartbeat', 'rate(1 minute)', 'UTC', 'critical'],
      ['sync_legacy_crm', 'cron(10 * * * ? *)', 'UTC', 'default'],
    ];
    // Assess
    main.resourceCountIs('AWS::Scheduler::Schedule', expected.length);
    for (const [job, expression, timezone, queue] of expected) {
      main.hasResourceProperties('AWS::Scheduler::Schedule', {
        Name: job,
        GroupName: 'demo-shop-dev',
        ScheduleExpression: expression,
        ScheduleExpressionTimezone: timezone,
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: {
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp(`Queue${queue}Queue`), 'Arn'] },
          RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('SchedulesRole'), 'Arn'] },
          Input: scheduleTargetInput(job!),
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('SchedulesDeadLetters'), 'Arn'] } },
        },
      });
    }
    main.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'demo-shop-dev' });
    main.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'demo-shop-dev-schedule-dlq', SqsManagedSseEnabled: true });
  });

  test('no IAM statement grants a wildcard action, and only the exempted ones a wildcard resource', () => {
    // Prepare
    const statements = resourcesOf(main)
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
      .flatMap(([, r]) => r.Properties!['PolicyDocument'].Statement as { Action: string | string[]; Resource: unknown }[]);
    // Assess
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    const wildcardResources = statements.filter((s) => s.Resource === '*').flatMap((s) => [s.Action].flat());
    expect([...new Set(wildcardResources)]).toEqual(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']);
  });

  test('the scheduler role may only send to the app’s queues and is assumable by this account’s schedules only', () => {
    // Assess
    main.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'demo-shop-dev-scheduler',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '000000000000' } },
          },
        ],
      },
    });
    const [, policy] = resourcesOf(main).find(([id, r]) => r.Type === 'AWS::IAM::Policy' && id.startsWith('SchedulesRole'))!;
    const statements = policy.Properties!['PolicyDocument'].Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toBe('sqs:SendMessage');
    expect(statements[0].Resource).toHaveLength(5); // 4 job queues + schedule DLQ
  });

  test('a worker may send to the app’s queues, manage schedules in its own group only and pass the scheduler role to the scheduler only', () => {
    // Prepare
    const [, policy] = resourcesOf(main).find(([id, r]) => r.Type === 'AWS::IAM::Policy' && id.startsWith('QueuedefaultRole'))!;
    const statements = policy.Properties!['PolicyDocument'].Statement as Record<string, unknown>[];
    // Assess
    expect(statements).toContainEqual({
      Action: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule', 'scheduler:UpdateSchedule'],
      Effect: 'Allow',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:us-east-1:000000000000:schedule/demo-shop-dev/*']] },
    });
    expect(statements).toContainEqual({
      Action: 'sqs:SendMessage',
      Effect: 'Allow',
      Resource: ['default', 'critical', 'exports', 'webhooks'].map((q) => ({ 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^Queue${q}Queue`)), 'Arn'] })),
    });
    expect(statements).toContainEqual({
      Action: 'iam:PassRole',
      Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^SchedulesRole/), 'Arn'] },
    });
  });

  test('the worker role carries no managed policy', () => {
    // Assess
    for (const [, role] of resourcesOf(main).filter(([, r]) => r.Type === 'AWS::IAM::Role')) {
      expect(role.Properties!['ManagedPolicyArns']).toBeUndefined();
    }
  });

  test('one dashboard and five alarms per queue plus one for the schedule DLQ, all named after app and env', () => {
    // Assess
    main.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    main.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'demo-shop-dev' });
    const alarms = resourcesOf(main).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms.map(([, a]) => a.Properties!['AlarmName']).sort()).toEqual(
      [
        ...['default', 'critical', 'exports', 'webhooks'].flatMap((q) =>
          ['DeadLetters', 'RedriveNotEmpty', 'OldestMessageAge', 'WorkerErrors', 'Throttles'].map((a) => `demo-shop-dev-Queue-${q}-${a}`),
        ),
        'demo-shop-dev-ScheduleDeadLetters',
      ].sort(),
    );
    main.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'demo-shop-dev-Queue-default-OldestMessageAge',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 3600,
    });
    main.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'demo-shop-dev-Queue-default-DeadLetters',
      Namespace: 'OmScheduler/demo-shop-dev',
      MetricName: 'DeadLetters',
      Dimensions: Match.arrayWith([{ Name: 'queue', Value: 'default' }, { Name: 'service', Value: 'demo-shop-dev-default-worker' }]),
    });
  });

  test('the dashboard graphs every job’s runs, failures, retries and duration and the schedule deliveries', () => {
    // Prepare
    const [, dashboard] = resourcesOf(main).find(([, r]) => r.Type === 'AWS::CloudWatch::Dashboard')!;
    const body = JSON.stringify(built.stacks.main.resolve(dashboard.Properties!['DashboardBody']));
    // Assess
    for (const metric of ['JobRuns', 'JobFailures', 'JobRetries', 'JobDuration']) {
      expect(body).toContain(`SEARCH('Namespace=\\\\\\"OmScheduler/demo-shop-dev\\\\\\" MetricName=\\\\\\"${metric}\\\\\\"'`);
    }
    for (const metric of ['InvocationAttemptCount', 'TargetErrorCount', 'InvocationsSentToDeadLetterCount']) {
      expect(body).toContain(`\\"AWS/Scheduler\\",\\"${metric}\\",\\"ScheduleGroup\\",\\"demo-shop-dev\\"`);
    }
  });
});

describe('other environments', () => {
  test('prod keeps its data, alarms an SNS topic that requires TLS, and names everything after prod', async () => {
    // Act
    const prod = await buildExample('prod');
    const t = (await import('aws-cdk-lib/assertions')).Template.fromStack(prod.stacks.main);
    // Assess
    expect(prod.stacks.main.stackName).toBe('demo-shop-prod');
    t.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ DeletionProtectionEnabled: true }) });
    t.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'demo-shop-prod-alarms' });
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    t.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'demo-shop-prod-Queue-exports-Throttles', AlarmActions: [{ Ref: Match.anyValue() }] });
    t.hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'demo-shop-prod-exports-worker', ReservedConcurrentExecutions: 2 });
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 2 } });
  });

  test('a queue override naming no queue of the config is rejected', async () => {
    // Prepare
    const app = (await import('./synth-helpers.ts')).newApp({
      'om-scheduler': { environments: { qa: { queueConcurrency: { bulk: 3 } } } },
    });
    // Act / Assess
    await expect(buildExample('qa', { app })).rejects.toThrow(
      'config: `om-scheduler.environments.qa.queueConcurrency.bulk` must name a queue of the config (one of: default, critical, exports, webhooks), got: 3',
    );
  });
});
