/**
 * The runtime client against the deployed app: unique runs, runtime jobs, runNow, cancel, and
 * queue control (pause, resume, scale, stats).
 */
import { GetScheduleCommand } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { uniqueName } from '../conformance/harness.ts';
import { appSkipReason, eventually } from './helpers/emulator-context.ts';
import { connectDeployedApp, type DeployedApp } from './helpers/deployed-app.ts';

const skipReason = appSkipReason();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(skipReason !== undefined)('the runtime client on the deployed app', () => {
  let app: DeployedApp;
  beforeAll(async () => {
    app = await connectDeployedApp();
  });
  afterAll(() => app?.close());

  test('a unique job enqueued twice at once never has two runs overlapping', async () => {
    // Act
    const [a, b] = await Promise.all([app.client.enqueue('it_exclusive', {}), app.client.enqueue('it_exclusive', {})]);
    const runs = await eventually('both runs to finish', 40_000, async () => {
      const mine = (await app.client.history('it_exclusive')).filter((h) => h.runId === a.runId || h.runId === b.runId);
      return mine.length >= 2 ? mine : undefined;
    });

    // Assess: either the second was discarded (UniqueConflict), or it ran after the first.
    const ok = runs.filter((h) => h.result === 'ok').sort((x, y) => x.startedAt.getTime() - y.startedAt.getTime());
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < ok.length; i++) expect(ok[i]!.startedAt.getTime()).toBeGreaterThanOrEqual(ok[i - 1]!.finishedAt.getTime());
    expect(runs.filter((h) => h.result !== 'ok').map((h) => [h.result, h.error?.type])).toEqual(ok.length === 2 ? [] : [['discarded', 'UniqueConflict']]);
  });

  test('runNow runs a job at once and records it in its history', async () => {
    // Act
    const { runId } = await app.client.runNow('it_once');

    // Assess
    const entry = await eventually('the run', 20_000, async () => (await app.client.history('it_once')).find((h) => h.runId === runId));
    expect(entry).toMatchObject({ jobName: 'it_once', attempt: 1, result: 'ok' });
  });

  test('cancelling a running job aborts its handler cooperatively', async () => {
    // Prepare: a 20-second run.
    const { runId } = await app.client.enqueue('it_slow', { ms: 20_000 });
    await eventually('the run to start', 20_000, async () => ((await app.client.runningJobs()).some((r) => r.runId === runId) ? true : undefined));

    // Act
    const cancelled = await app.client.cancelJob('it_slow', { reason: 'integration test' });

    // Assess
    const entry = await eventually('the cancelled run', 20_000, async () => (await app.client.history('it_slow')).find((h) => h.runId === runId));
    expect(cancelled).toBe(1);
    expect(entry.result).toBe('cancelled');
    expect(entry.durationMs).toBeLessThan(15_000);
  });

  test('a job inserted at runtime gets a schedule and runs; update changes it; delete removes both', async () => {
    // Prepare
    const name = uniqueName('it_rt');

    // Act + Assess: insert
    const inserted = await app.client.insert({ name, handler: 'it_once', cron: '0 3 * * *', maxRetries: 2 });
    const schedule = await app.scheduler.send(new GetScheduleCommand({ GroupName: app.names.scheduleGroup, Name: app.names.scheduleName(name, 0) }));
    expect([inserted.name, schedule.ScheduleExpression, schedule.Target?.Arn]).toEqual([name, 'cron(0 3 * * ? *)', app.queues.default!.arn]);
    const { runId } = await app.client.enqueue(name, {});
    await eventually('the runtime job to run', 20_000, async () => (await app.client.history(name)).find((h) => h.runId === runId && h.result === 'ok'));

    // update
    const updated = await app.client.update(name, { maxRetries: 4, cron: '30 4 * * *' });
    const rescheduled = await app.scheduler.send(new GetScheduleCommand({ GroupName: app.names.scheduleGroup, Name: app.names.scheduleName(name, 0) }));
    expect([updated.maxRetries, rescheduled.ScheduleExpression]).toEqual([4, 'cron(30 4 * * ? *)']);

    // delete
    await app.client.delete(name);
    await expect(app.client.getJob(name)).rejects.toThrow(`job "${name}" not found`);
    await expect(app.scheduler.send(new GetScheduleCommand({ GroupName: app.names.scheduleGroup, Name: app.names.scheduleName(name, 0) }))).rejects.toThrow();
  });

  test('a paused queue keeps its messages until resumed; scaling changes its concurrency; stats report it', async () => {
    // Act: pause, enqueue, wait a little.
    await app.client.pauseQueue('control');
    const { runId } = await app.client.enqueue('it_controlled', {});
    await sleep(3_000);
    const whilePaused = await app.client.history('it_controlled');
    const pausedStats = (await app.client.queueStats()).control;
    await app.client.scaleQueue('control', 4);
    await app.client.resumeQueue('control');

    // Assess
    expect(whilePaused.some((h) => h.runId === runId)).toBe(false);
    expect(pausedStats).toMatchObject({ paused: true, concurrency: 2 });
    expect(pausedStats!.pending).toBeGreaterThanOrEqual(1);
    await eventually('the run after resume', 20_000, async () => (await app.client.history('it_controlled')).find((h) => h.runId === runId));
    expect((await app.client.queueStats()).control).toMatchObject({ paused: false, concurrency: 4 });
    await app.client.scaleQueue('control', 2);
  });
});
