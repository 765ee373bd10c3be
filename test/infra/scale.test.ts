import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_MAX_RESOURCES_PER_STACK } from '../../infra/job-schedules.ts';
import { buildExample, MANY_JOBS_CONFIG, resourcesOf, type Built } from './synth-helpers.ts';

// test/fixtures/configs/many-jobs.ts: 1,000 scheduled jobs on one queue.
let built: Built;
let synthMs: number;
let counts: Record<string, number>;

beforeAll(async () => {
  const started = performance.now();
  built = await buildExample('staging', { configFile: MANY_JOBS_CONFIG });
  built.app.synth();
  synthMs = performance.now() - started;
  counts = Object.fromEntries(built.stacks.stacks.map((s) => [s.stackName, resourcesOf(Template.fromStack(s)).length]));
  // Measured, not asserted: CI machines differ.
  console.info(`1,000 jobs: synth ${Math.round(synthMs)} ms, resources per stack ${JSON.stringify(counts)}`);
}, 120_000);

describe('an app with 1,000 scheduled jobs', () => {
  test('spills its schedules into extra stacks named after the app and environment', () => {
    // Assess
    expect(built.stacks.stacks.map((s) => s.stackName)).toEqual([
      'many-staging',
      'many-staging-schedules-1',
      'many-staging-schedules-2',
      'many-staging-schedules-3',
    ]);
  });

  test('keeps every stack under CloudFormation’s 500-resource limit, and under the 450 budget', () => {
    // Act
    const max = Math.max(...Object.values(counts));
    // Assess (+1: the AWS::CDK::Metadata resource the CLI adds)
    expect(max + 1).toBeLessThanOrEqual(DEFAULT_MAX_RESOURCES_PER_STACK);
    expect(max + 1).toBeLessThan(500);
  });

  test('uses at most 1.5 resources per job on average', () => {
    // Act
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    // Assess
    expect(total / 1000).toBeLessThanOrEqual(1.5);
  });

  test('creates one schedule per compiled expression, each exactly once', () => {
    // Prepare
    const expected = built.stacks.schedules.schedules.length;
    const names = built.stacks.stacks.flatMap((s) =>
      resourcesOf(Template.fromStack(s))
        .filter(([, r]) => r.Type === 'AWS::Scheduler::Schedule')
        .map(([, r]) => r.Properties!['Name'] as string),
    );
    // Assess
    expect(names).toHaveLength(expected);
    expect(new Set(names).size).toBe(expected);
    expect(expected).toBeGreaterThanOrEqual(1000);
  });

  test('the extra stacks reach the main stack’s queue, role and DLQ by name and deploy after it', () => {
    // Prepare
    const extra = built.stacks.scheduleStacks[0]!;
    const t = Template.fromStack(extra);
    // Assess
    expect(extra.dependencies.map((s) => s.stackName)).toEqual(['many-staging']);
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'job_0',
      GroupName: 'many-staging',
      Target: {
        Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs:us-east-1:000000000001:many-staging-default']] },
        RoleArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::000000000001:role/many-staging-scheduler']] },
        DeadLetterConfig: { Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs:us-east-1:000000000001:many-staging-schedule-dlq']] } },
      },
    });
    expect(JSON.stringify(t.toJSON())).not.toContain('Fn::ImportValue');
  });
});

describe('the split threshold', () => {
  test.each([
    [100, ['demo-shop-staging']],
    [70, ['demo-shop-staging', 'demo-shop-staging-schedules-1']],
  ])('with a budget of %i resources the example app deploys as %o', async (maxResourcesPerStack, stackNames) => {
    // Act
    const small = await buildExample('staging', { maxResourcesPerStack });
    // Assess: schedules stay in the main stack while everything fits, else all move out
    expect(small.stacks.stacks.map((s) => s.stackName)).toEqual(stackNames);
    expect(small.stacks.schedules.schedules).toHaveLength(6);
  });
});
