import { describe, expect, test } from 'vitest';
import { ApiCallCounter, operationName } from '../../../functions/adapters/api-call-counter.ts';
import { concurrencySettings, effectiveConcurrency, isPausedState } from '../../../functions/adapters/event-source-control.ts';
import { queueAddress } from '../../../functions/adapters/queue-directory.ts';
import {
  atExpression,
  compiledFromSchedule,
  jobScheduleRequest,
  onceScheduleName,
  onceScheduleRequest,
  scheduleDescription,
  tickedJob,
} from '../../../functions/adapters/schedule-requests.ts';
import { byPriorityThenAge, sendRequest, toSeconds } from '../../../functions/adapters/sqs-queue.ts';
import { accountOfQueueUrl, deadLetterStats, rejectCode } from '../../../functions/client/client-helpers.ts';
import { aFullRunMessage } from '../../conformance/fixtures.ts';
import type { CompiledSchedule } from '../../../shared/types.ts';

const config = { groupName: 'shop-prod', roleArn: 'arn:aws:iam::123456789012:role/shop-prod-scheduler', deadLetterArn: 'arn:aws:sqs:eu-west-1:123456789012:shop-prod-schedule-dlq' };
const queueArn = 'arn:aws:sqs:eu-west-1:123456789012:shop-prod-default';
const halfMinute: CompiledSchedule = { expression: 'rate(1 minute)', timezone: 'UTC', source: 'every 30 seconds', fanOutDelaysSeconds: [0, 30] };

describe('EventBridge Scheduler requests', () => {
  test('a job schedule targets the queue with the tick input, flexible window off, retries and the DLQ', () => {
    const schedule: CompiledSchedule = { expression: 'cron(0 6 * * ? *)', timezone: 'Europe/Paris', source: '0 6 * * *' };
    expect(jobScheduleRequest(config, 'daily_report', 'daily_report', queueArn, schedule, true)).toEqual({
      Name: 'daily_report',
      GroupName: 'shop-prod',
      ScheduleExpression: 'cron(0 6 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Description: '{"source":"0 6 * * *","tz":"Europe/Paris"}',
      Target: {
        Arn: queueArn,
        RoleArn: config.roleArn,
        Input: '{"v":1,"tick":true,"job":"daily_report","scheduledAt":"<aws.scheduler.scheduled-time>"}',
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 3_600 },
        DeadLetterConfig: { Arn: config.deadLetterArn },
      },
    });
  });

  test('a paused job’s schedule is created DISABLED', () => {
    expect(jobScheduleRequest(config, 'x-2', 'x', queueArn, halfMinute, false).State).toBe('DISABLED');
  });

  test('the description keeps what the expression does not say, and reads back exactly', () => {
    expect(scheduleDescription(halfMinute)).toBe('{"source":"every 30 seconds","tz":"UTC","fanOut":[0,30]}');
    expect(compiledFromSchedule({ ScheduleExpression: 'rate(1 minute)', ScheduleExpressionTimezone: 'UTC', Description: scheduleDescription(halfMinute) })).toEqual(halfMinute);
  });

  test('a schedule made by hand (no description) reads back with its expression as source', () => {
    expect(compiledFromSchedule({ ScheduleExpression: 'cron(0 * * * ? *)' })).toEqual({ expression: 'cron(0 * * * ? *)', timezone: 'UTC', source: 'cron(0 * * * ? *)' });
  });

  test.each([
    { at: '2027-01-04T06:00:00.000Z', expected: 'at(2027-01-04T06:00:00)' },
    { at: '2027-01-04T06:00:00.200Z', expected: 'at(2027-01-04T06:00:01)' },
    { at: '2027-12-31T23:59:59.999Z', expected: 'at(2028-01-01T00:00:00)' },
  ])('a one-time delivery at $at is expressed as $expected (never early)', ({ at, expected }) => {
    expect(atExpression(Date.parse(at))).toBe(expected);
  });

  test('a one-time delivery deletes itself after firing and carries the run message as input', () => {
    // Prepare
    const message = aFullRunMessage('import_orders');
    const name = onceScheduleName('import_orders', '3fa2c09b-1e00-4c1a-9b2d-0123456789ab');
    // Act
    const request = onceScheduleRequest(config, name, queueArn, message, Date.parse('2027-01-04T07:00:00Z'));
    // Assess
    expect(name).toBe('once.import_orders.3fa2c09b1e004c1a9b2d0123456789ab');
    expect(request).toMatchObject({
      Name: name,
      ScheduleExpression: 'at(2027-01-04T07:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: queueArn, Input: JSON.stringify(message) },
    });
  });

  test('one-time schedule names fit the 64-character limit even for the longest job name', () => {
    expect(onceScheduleName('j'.repeat(60)).length).toBeLessThanOrEqual(64);
  });

  test.each([
    { input: '{"v":1,"tick":true,"job":"x-2","scheduledAt":"<aws.scheduler.scheduled-time>"}', expected: 'x-2' },
    { input: JSON.stringify(aFullRunMessage('x')), expected: undefined },
    { input: 'garbage', expected: undefined },
  ])('the job a schedule ticks is read from its input: $expected', ({ input, expected }) => {
    expect(tickedJob(input)).toBe(expected);
  });
});

describe('SQS requests', () => {
  test('a send carries the message as JSON, the delay in whole seconds (rounded up) and the priority attribute', () => {
    const message = aFullRunMessage('sync');
    expect(sendRequest('https://q', message, { delayMs: 1_500, priority: 2 })).toEqual({
      QueueUrl: 'https://q',
      MessageBody: JSON.stringify(message),
      DelaySeconds: 2,
      MessageAttributes: { priority: { DataType: 'Number', StringValue: '2' } },
    });
  });

  test('a delay beyond 15 minutes is refused: it belongs to the scheduler', () => {
    expect(() => sendRequest('https://q', aFullRunMessage('sync'), { delayMs: 900_001 })).toThrow(
      'SQS cannot delay a message by 900001 ms (at most 900 s); longer delays go through the scheduler (scheduleOnce)',
    );
  });

  test.each([
    { ms: undefined, max: 900, expected: 0 },
    { ms: 1, max: 900, expected: 1 },
    { ms: 60_000, max: 900, expected: 60 },
    { ms: 50_000_000, max: 43_200, expected: 43_200 },
  ])('$ms ms is $expected s for SQS', ({ ms, max, expected }) => {
    expect(toSeconds(ms, max)).toBe(expected);
  });

  test('a received batch is ordered lowest priority first, then oldest', () => {
    const batch = [
      { id: 'a', priority: 5, sentAtMs: 1 },
      { id: 'b', priority: 0, sentAtMs: 3 },
      { id: 'c', priority: 0, sentAtMs: 2 },
    ];
    expect(batch.sort(byPriorityThenAge).map((m) => m.id)).toEqual(['c', 'b', 'a']);
  });
});

describe('queue concurrency on Lambda', () => {
  test.each([
    { concurrency: 1, expected: { reservedConcurrency: 1, maximumConcurrency: 2 } },
    { concurrency: 2, expected: { reservedConcurrency: 2, maximumConcurrency: 2 } },
    { concurrency: 50, expected: { reservedConcurrency: 50, maximumConcurrency: 50 } },
    { concurrency: 1000, expected: { reservedConcurrency: 1000, maximumConcurrency: 1000 } },
  ])('concurrency $concurrency is reserved $expected.reservedConcurrency behind a mapping maximum of $expected.maximumConcurrency', ({ concurrency, expected }) => {
    expect(concurrencySettings(concurrency)).toEqual(expected);
  });

  test.each([
    { reserved: 1, maximum: 2, expected: 1 },
    { reserved: undefined, maximum: 7, expected: 7 },
    { reserved: 12, maximum: undefined, expected: 12 },
    { reserved: undefined, maximum: undefined, expected: undefined },
  ])('reserved $reserved and maximum $maximum run at $expected', ({ reserved, maximum, expected }) => {
    expect(effectiveConcurrency(reserved, maximum)).toBe(expected);
  });

  test.each([
    ['Disabled', true],
    ['Disabling', true],
    ['Enabled', false],
    ['Updating', false],
  ] as const)('an event source mapping in state %s is paused: %s', (state, paused) => {
    expect(isPausedState(state)).toBe(paused);
  });
});

describe('client helpers', () => {
  test('the account id and queue ARN follow from a queue URL', () => {
    expect(accountOfQueueUrl('https://sqs.eu-west-1.amazonaws.com/123456789012/shop-prod-default')).toBe('123456789012');
    expect(accountOfQueueUrl('http://127.0.0.1:4566/000000000000/shop-dev-default')).toBe('000000000000');
    expect(queueAddress('eu-west-1', '123456789012', 'shop-prod-default')).toEqual({
      url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/shop-prod-default',
      arn: 'arn:aws:sqs:eu-west-1:123456789012:shop-prod-default',
    });
  });

  test('a runtime insert with inline code is refused, naming the deployed handlers', () => {
    expect(() => rejectCode('nightly', { handler: async function work() {} }, '"import_orders", "send_email"')).toThrow(
      'job "nightly": `handler` must be left out on AWS, where only deployed code runs; name a deployed handler with `handler: \'<config job>\'` (deployed: "import_orders", "send_email"), got: [function work]',
    );
  });

  test('dead-letter stats of no entries are empty', () => {
    expect(deadLetterStats([])).toEqual({ total: 0, byJob: {}, byQueue: {}, byErrorClass: {}, oldest: null, newest: null });
  });
});

describe('the API call counter', () => {
  test('names operations by service and command', () => {
    expect(operationName('DynamoDBClient', 'TransactWriteItemsCommand')).toBe('DynamoDB.TransactWriteItems');
  });

  test('counts every send of an attached client, per operation', async () => {
    // Prepare: a client whose stack runs the middleware the counter adds
    const middlewares: Array<(next: (a: unknown) => Promise<unknown>, ctx: { clientName: string; commandName: string }) => (a: unknown) => Promise<unknown>> = [];
    const client = { middlewareStack: { add: (mw: never) => void middlewares.push(mw) } };
    const send = (commandName: string) => middlewares[0]!(async () => ({}), { clientName: 'SQSClient', commandName })({});
    const counter = new ApiCallCounter();
    counter.attach(client);
    // Act
    await send('SendMessageCommand');
    await send('SendMessageCommand');
    await send('DeleteMessageCommand');
    // Assess
    expect(counter.snapshot()).toEqual({ 'SQS.DeleteMessage': 1, 'SQS.SendMessage': 2 });
    expect(counter.total()).toBe(3);
  });
});
