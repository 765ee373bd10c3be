import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { buildExample, MANY_JOBS_CONFIG, resourcesOf } from './synth-helpers.ts';

/**
 * The CloudFormation types om-scheduler uses that MiniStack 1.5.33 deploys (its provisioners'
 * `_RESOURCE_HANDLERS`, see /work/notes/ministack.md). A type outside this list fails the whole
 * stack on the emulator with "Unsupported resource type", so adding one needs a check there first
 * (e.g. CompositeAlarm, IAM::RolePolicy, SQS::QueueInlinePolicy, ApplicationAutoScaling are NOT
 * supported, nor are Lambda-backed custom resources such as logRetention).
 */
const EMULATOR_SUPPORTED_TYPES = [
  'AWS::CDK::Metadata',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::Dashboard',
  'AWS::DynamoDB::Table',
  'AWS::IAM::Policy',
  'AWS::IAM::Role',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::Function',
  'AWS::Logs::LogGroup',
  'AWS::SNS::Subscription',
  'AWS::SNS::Topic',
  'AWS::SNS::TopicPolicy',
  'AWS::SQS::Queue',
  'AWS::SQS::QueuePolicy',
  'AWS::Scheduler::Schedule',
  'AWS::Scheduler::ScheduleGroup',
];

describe('every synthesized resource type deploys on the MiniStack emulator', () => {
  test.each([
    ['the example app in dev', 'dev', undefined],
    ['the example app in staging', 'staging', undefined],
    ['the example app in prod (alarm topic)', 'prod', undefined],
    ['1,000 jobs in staging (schedule stacks)', 'staging', MANY_JOBS_CONFIG],
  ])('%s', async (_label, env, configFile) => {
    // Prepare
    const built = await buildExample(env, configFile ? { configFile } : {});
    // Act
    const types = new Set(built.stacks.stacks.flatMap((s) => resourcesOf(Template.fromStack(s)).map(([, r]) => r.Type)));
    // Assess
    expect([...types].filter((t) => !EMULATOR_SUPPORTED_TYPES.includes(t))).toEqual([]);
  });
});
