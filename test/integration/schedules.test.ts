/**
 * Real schedules on the emulator: EventBridge Scheduler → SQS → the worker Lambda → DynamoDB.
 * Crons are UTC (the emulator ignores time zones) and its scheduled-time placeholder is not
 * substituted, so the worker derives the tick from the message's SentTimestamp.
 */
import { GetScheduleCommand } from '@aws-sdk/client-scheduler';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { appSkipReason, eventually } from './helpers/emulator-context.ts';
import { connectDeployedApp, type DeployedApp } from './helpers/deployed-app.ts';

const skipReason = appSkipReason();

describe.skipIf(skipReason !== undefined)('schedules of the deployed app', () => {
  let app: DeployedApp;
  beforeAll(async () => {
    app = await connectDeployedApp();
  });
  afterAll(() => app?.close());

  test('a job on `* * * * *` fires from its real schedule and records a successful run in its history', async () => {
    // Prepare: the schedule was created by the deploy; a cron fires at the next minute boundary.
    const since = Date.now();

    // Act: wait for the next tick (≤ 60 s, plus the sweep and the worker).
    const entry = await eventually('a run of it_every_minute', 75_000, async () => {
      const [latest] = await app.client.history('it_every_minute', { limit: 1 });
      return latest && latest.finishedAt.getTime() >= since ? latest : undefined;
    }, 1_000);

    // Assess
    expect(entry).toMatchObject({ jobName: 'it_every_minute', attempt: 1, result: 'ok' });
    expect(entry.scheduledAt?.getUTCSeconds()).toBe(0);
    expect((await app.client.status('it_every_minute')).runCount).toBeGreaterThanOrEqual(1);
  });

  test('pausing a job disables its schedule, and resuming enables it again', async () => {
    // Prepare
    const get = () => app.scheduler.send(new GetScheduleCommand({ GroupName: app.names.scheduleGroup, Name: app.names.scheduleName('it_every_minute', 0) }));

    // Act
    await app.client.pauseJob('it_every_minute');
    const paused = await get();
    const pausedStatus = await app.client.status('it_every_minute');
    await app.client.resumeJob('it_every_minute');
    const resumed = await get();

    // Assess
    expect([paused.State, pausedStatus.state]).toEqual(['DISABLED', 'paused']);
    expect([resumed.State, (await app.client.status('it_every_minute')).state]).toEqual(['ENABLED', 'active']);
  });

  test('the same tick delivered three times runs once', async () => {
    // Prepare: one tick envelope, as the scheduler sends it, with a tick time of its own.
    const scheduledAt = new Date(Date.UTC(2020, 0, 1, 0, Math.floor(Math.random() * 10_000) % 1_440)).toISOString();
    const body = JSON.stringify({ v: 1, tick: true, job: 'it_once', scheduledAt });
    const before = (await app.client.history('it_once')).filter((h) => h.scheduledAt?.toISOString() === scheduledAt).length;

    // Act
    for (let i = 0; i < 3; i++) await app.sqs.send(new SendMessageCommand({ QueueUrl: app.queues.default!.url, MessageBody: body }));
    await eventually('the tick to run', 30_000, async () =>
      (await app.client.history('it_once')).some((h) => h.scheduledAt?.toISOString() === scheduledAt) ? true : undefined,
    );
    await new Promise((r) => setTimeout(r, 3_000)); // let the duplicates arrive too

    // Assess
    const runs = (await app.client.history('it_once')).filter((h) => h.scheduledAt?.toISOString() === scheduledAt);
    expect(before).toBe(0);
    expect(runs.map((h) => h.result)).toEqual(['ok']);
  });
});
