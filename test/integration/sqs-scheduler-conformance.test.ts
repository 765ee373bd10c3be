/**
 * The queue and scheduler ports' conformance suites against the SQS and EventBridge Scheduler
 * adapters (functions/adapters/) on the emulator: fresh queues per test, real time (`advance`
 * sleeps, with a margin for SQS's whole-second delays), SQS standard queues (no strict FIFO),
 * and no recurring-tick tests (they wait minutes per test; turn `recurringTicks` on for a
 * nightly run).
 */
import { CreateScheduleGroupCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe } from 'vitest';
import { EventBridgeScheduler } from '../../functions/adapters/eventbridge-scheduler.ts';
import { QueueDirectory, type QueueAddress } from '../../functions/adapters/queue-directory.ts';
import { SqsQueue } from '../../functions/adapters/sqs-queue.ts';
import { uniqueName, type Capabilities } from '../conformance/harness.ts';
import { describeQueueConformance } from '../conformance/queue.conformance.ts';
import { describeSchedulerConformance } from '../conformance/scheduler.conformance.ts';
import { emulatorSkipReason, sdkConfig } from './helpers/emulator-context.ts';
import { createQueues, deleteQueues, sqsClient } from './helpers/scratch-resources.ts';

const skipReason = emulatorSkipReason();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const REAL_TIME: Capabilities = { virtualTime: false, recurringTicks: false, strictOrder: false };

describe.skipIf(skipReason !== undefined)('SQS and EventBridge Scheduler adapters on the emulator', () => {
  let sqs: SQSClient;
  let schedulerClient: SchedulerClient;
  const groupName = uniqueName('group');
  /** Every queue the tests created, by config-queue name (= physical name here). */
  const known = new Map<string, QueueAddress>();
  const directory = new QueueDirectory((name) => known.get(name));

  beforeAll(async () => {
    sqs = sqsClient();
    schedulerClient = new SchedulerClient(sdkConfig());
    await schedulerClient.send(new CreateScheduleGroupCommand({ Name: groupName }));
  });
  afterAll(() => {
    sqs.destroy();
    schedulerClient.destroy();
  });

  async function freshQueues(count: number): Promise<{ names: string[]; cleanup: () => Promise<void> }> {
    const created = await createQueues(sqs, count);
    for (const q of created) known.set(q.name, { url: q.url, arn: q.arn });
    return { names: created.map((q) => q.name), cleanup: () => deleteQueues(sqs, created.map((q) => q.url)) };
  }
  const time = { now: () => Date.now(), advance: (ms: number) => sleep(ms + 300), capabilities: REAL_TIME };

  describeQueueConformance('sqs', async () => {
    const { names, cleanup } = await freshQueues(2);
    return { queue: new SqsQueue({ client: sqs, directory }), queueName: names[0]!, otherQueueName: names[1]!, ...time, cleanup };
  });

  describeSchedulerConformance('eventbridge scheduler', async () => {
    const { names, cleanup } = await freshQueues(1);
    const scheduler = new EventBridgeScheduler({ client: schedulerClient, directory, groupName, roleArn: 'arn:aws:iam::000000000000:role/conformance' });
    return {
      scheduler,
      queue: new SqsQueue({ client: sqs, directory }),
      queueName: names[0]!,
      ...time,
      // The emulator sweeps its schedules every second (scripts/emulator/ministack-fast.py).
      deliveryGraceMs: 5_000,
      cleanup,
    };
  });
});
