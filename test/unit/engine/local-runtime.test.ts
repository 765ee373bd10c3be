import { describe, expect, test } from 'vitest';
import { realClock } from '../../../shared/adapters/clock.ts';
import { defineJob } from '../../../shared/config/define-job.ts';
import { getDefaultClient, setDefaultClient } from '../../../shared/config/default-client.ts';
import { Worker } from '../../../shared/config/worker.ts';
import { fail } from '../../../shared/outcomes.ts';
import type { JobContext } from '../../../shared/types.ts';
import { T0_MS, at, deferred, harness } from './harness.ts';

const MINUTE = 60_000;

describe('queues', () => {
  test('a queue runs at most `concurrency` jobs at once; scaleQueue raises it immediately', async () => {
    // Prepare
    const gate = deferred();
    const h = await harness({ queues: { default: 2 }, jobs: [defineJob({ name: 'hold', handler: () => gate.promise })] });
    for (let i = 0; i < 5; i++) await h.rt.enqueue('hold');
    await h.clock.advance(0);
    const before = (await h.rt.queueStats())['default'];
    // Act
    await h.rt.scaleQueue('default', 4);
    await h.clock.advance(0);
    const after = (await h.rt.queueStats())['default'];
    gate.resolve();
    await h.clock.runUntilIdle();
    // Assess
    expect(before).toEqual({ running: 2, pending: 3, paused: false, concurrency: 2 });
    expect(after).toEqual({ running: 4, pending: 1, paused: false, concurrency: 4 });
    expect(h.of('queue:scale')).toEqual([{ measurements: { from: 2, to: 4 }, metadata: { queue: 'default' } }]);
    expect((await h.rt.queueStats())['default']).toEqual({ running: 0, pending: 0, paused: false, concurrency: 4 });
  });

  test('a paused queue keeps its messages until resumed', async () => {
    let runs = 0;
    const h = await harness({ queues: { default: 5, critical: 5 }, jobs: [defineJob({ name: 'count', handler: () => void runs++ })] });
    await h.rt.pauseQueue('default');
    await h.rt.enqueue('count');
    await h.rt.enqueue('count', {}, { delay: [1, 'minute'] });
    await h.clock.advance(2 * MINUTE);
    const stats = await h.rt.queueStats();
    await h.rt.resumeQueue('default');
    await h.clock.runUntilIdle();
    expect(stats).toEqual({
      default: { running: 0, pending: 2, paused: true, concurrency: 5 },
      critical: { running: 0, pending: 0, paused: false, concurrency: 5 },
    });
    expect(runs).toBe(2);
  });

  test.each([0, 1001, 2.5, Number.NaN])('scaleQueue rejects concurrency %s naming queue, field, value and valid range', async (n) => {
    const h = await harness({ jobs: [] });
    await expect(h.rt.scaleQueue('default', n)).rejects.toThrow(
      `queue "default": \`concurrency\` must be an integer from 1 to 1000, got: ${n}`,
    );
  });

  test('queue operations on an unknown queue throw NotFoundError listing the queues', async () => {
    const h = await harness({ queues: { default: 1, imports: 2 }, jobs: [] });
    const message = 'queue "exports" not found: known queues: default, imports';
    await expect(h.rt.pauseQueue('exports')).rejects.toThrow(message);
    await expect(h.rt.resumeQueue('exports')).rejects.toThrow(message);
    await expect(h.rt.scaleQueue('exports', 3)).rejects.toThrow(message);
    await expect(h.rt.listJobs({ queue: 'exports' })).rejects.toThrow(message);
  });
});

describe('runtime jobs', () => {
  test('insert with a handler adds a scheduled job that runs on its schedule', async () => {
    let runs = 0;
    const h = await harness({ jobs: [] });
    const info = await h.rt.insert({ name: 'adhoc', every: [5, 'minutes'], tags: ['x'], handler: () => void runs++ });
    await h.clock.advance(10 * MINUTE);
    expect(info).toMatchObject({ name: 'adhoc', origin: 'runtime', queue: 'default', tags: ['x'] });
    expect('handler' in info).toBe(false);
    expect(runs).toBe(3); // at insert (a rate schedule fires when created), 5 and 10 minutes
    expect((await h.rt.listJobs()).map((j) => j.name)).toEqual(['adhoc']);
  });

  test("insert can name a config job's handler instead of carrying code", async () => {
    const seen: unknown[] = [];
    const h = await harness({ jobs: [defineJob({ name: 'send_report', handler: ({ job, args }: JobContext) => void seen.push([job.name, args]) })] });
    await h.rt.insert({ name: 'send_report_eu', handler: 'send_report', cron: '0 8 * * *', timezone: 'Europe/Paris' });
    await h.rt.runNow('send_report_eu', { region: 'eu' });
    await h.clock.runUntilIdle();
    expect(seen).toEqual([['send_report_eu', { region: 'eu' }]]);
    expect((await h.rt.status('send_report_eu')).nextRunAt).toEqual(new Date('2027-01-04T07:00:00Z'));
  });

  test('insert rejects an unknown handler name, a duplicate name and invalid options', async () => {
    const h = await harness({ jobs: [defineJob({ name: 'send_report', handler: () => {} })] });
    await expect(h.rt.insert({ name: 'x', handler: 'nope' })).rejects.toThrow(
      'job "x": `handler` must be a function, or the name of a config job whose handler runs: "send_report", got: "nope"',
    );
    await expect(h.rt.insert({ name: 'send_report', handler: () => {} })).rejects.toThrow(
      'job "send_report" already exists; change it with update("send_report", patch) or delete it first',
    );
    await expect(h.rt.insert({ name: 'y', priority: 12, handler: () => {} })).rejects.toThrow(
      'job "y": `priority` must be an integer from 0 to 9 (0 runs first), got: 12',
    );
  });

  test('update changes options (validated like defineJob) and keeps the handler', async () => {
    const h = await harness({ jobs: [defineJob({ name: 'sync', every: [5, 'minutes'], handler: () => {} })] });
    const info = await h.rt.update('sync', { every: [1, 'hour'], maxRetries: 7 });
    expect(info).toMatchObject({ name: 'sync', maxRetries: 7, origin: 'config', every: [1, 'hour'] });
    expect((await h.rt.getJob('sync')).maxRetries).toBe(7);
    expect((await h.rt.status('sync')).nextRunAt).toEqual(at(60 * MINUTE));
    await expect(h.rt.update('sync', { retryJitter: 2 })).rejects.toThrow(
      'job "sync": `retryJitter` must be a number from 0 to 1 (a fraction of the delay), got: 2',
    );
  });

  test('update switching an every job to a cron replaces the interval; cron and every undefined make it on-demand', async () => {
    const h = await harness({ jobs: [defineJob({ name: 'sync', every: [5, 'minutes'], handler: () => {} })] });
    const cron = await h.rt.update('sync', { cron: '30 6 * * *' });
    expect([cron.cron, cron.every]).toEqual([['30 6 * * *'], undefined]);
    expect((await h.rt.status('sync')).nextRunAt).toEqual(new Date('2027-01-04T06:30:00Z'));
    const onDemand = await h.rt.update('sync', { cron: undefined });
    expect(onDemand.schedules).toEqual([]);
    expect((await h.rt.status('sync')).nextRunAt).toBeNull();
  });

  test('update can replace the handler', async () => {
    const h = await harness({ jobs: [defineJob({ name: 'greet', handler: () => 'hello' })] });
    await h.rt.update('greet', { handler: () => 'bonjour' });
    const report = await h.rt.runner.runAttempt((await h.rt.jobs.get('greet'))!.job, {
      v: 1,
      job: 'greet',
      runId: 'r1',
      attempt: 1,
      enqueuedAt: at(0).toISOString(),
      source: 'enqueue',
    });
    expect(report.value).toBe('bonjour');
  });

  test('delete removes a job and its schedule; its name is then unknown', async () => {
    let runs = 0;
    const h = await harness({ jobs: [defineJob({ name: 'sync', every: [1, 'minute'], handler: () => void runs++ }), defineJob({ name: 'other', handler: () => {} })] });
    await h.rt.delete('sync');
    await h.clock.advance(5 * MINUTE);
    expect(runs).toBe(0);
    await expect(h.rt.getJob('sync')).rejects.toThrow('job "sync" not found: known jobs: other');
    expect((await h.rt.listJobs()).map((j) => j.name)).toEqual(['other']);
  });

  test('pauseJob stops the schedule and resumeJob restarts it from now', async () => {
    let runs = 0;
    const h = await harness({ jobs: [defineJob({ name: 'sync', every: [1, 'minute'], handler: () => void runs++ })] });
    await h.rt.pauseJob('sync');
    await h.clock.advance(3 * MINUTE);
    expect(runs).toBe(0);
    expect(await h.rt.status('sync')).toMatchObject({ state: 'paused', nextRunAt: null });
    await h.rt.resumeJob('sync');
    await h.clock.advance(2 * MINUTE);
    expect(runs).toBe(2);
    expect((await h.rt.status('sync')).state).toBe('active');
  });

  test('listJobs filters by queue and by tags (all given tags must match)', async () => {
    const h = await harness({
      queues: { default: 1, imports: 1 },
      jobs: [
        defineJob({ name: 'a', tags: ['x', 'y'], handler: () => {} }),
        defineJob({ name: 'b', tags: ['x'], queue: 'imports', handler: () => {} }),
        defineJob({ name: 'c', handler: () => {} }),
      ],
    });
    expect((await h.rt.listJobs({ tags: ['x'] })).map((j) => j.name)).toEqual(['a', 'b']);
    expect((await h.rt.listJobs({ tags: ['x', 'y'] })).map((j) => j.name)).toEqual(['a']);
    expect((await h.rt.listJobs({ queue: 'imports' })).map((j) => j.name)).toEqual(['b']);
  });

  test('every job operation on an unknown name throws NotFoundError with the valid names', async () => {
    const h = await harness({ jobs: [defineJob({ name: 'a', handler: () => {} }), defineJob({ name: 'b', handler: () => {} })] });
    const message = 'job "zzz" not found: known jobs: a, b';
    for (const call of [
      () => h.rt.getJob('zzz'),
      () => h.rt.update('zzz', {}),
      () => h.rt.delete('zzz'),
      () => h.rt.pauseJob('zzz'),
      () => h.rt.resumeJob('zzz'),
      () => h.rt.runNow('zzz'),
      () => h.rt.enqueue('zzz'),
      () => h.rt.cancelJob('zzz'),
      () => h.rt.history('zzz'),
      () => h.rt.status('zzz'),
    ]) {
      await expect(call()).rejects.toThrow(message);
    }
  });

  test('enqueue validates delay and priority', async () => {
    const h = await harness({ jobs: [defineJob({ name: 'a', handler: () => {} })] });
    await expect(h.rt.enqueue('a', {}, { priority: 10 })).rejects.toThrow('job "a": `priority` must be an integer from 0 to 9 (0 runs first), got: 10');
    await expect(h.rt.enqueue('a', {}, { delay: -5 })).rejects.toThrow(
      "job \"a\": `delay` must be a duration of 0 or more: ms, or [n, unit] such as [5, 'minutes'], got: -5",
    );
  });

  test('enqueue with a delay runs the job no earlier than the delay and reports runAt', async () => {
    const h = await harness({ jobs: [defineJob({ name: 'a', handler: () => {} })] });
    const result = await h.rt.enqueue('a', { x: 1 }, { delay: [30, 'seconds'] });
    await h.clock.runUntilIdle();
    expect(result).toEqual({ runId: expect.any(String), jobName: 'a', queue: 'default', runAt: at(30_000) });
    expect((await h.rt.history('a'))[0]!.startedAt).toEqual(at(30_000));
  });
});

describe('status and history', () => {
  test('status reports counters, the last result and error, and the next run', async () => {
    const h = await harness({
      jobs: [defineJob({ name: 'hourly', cron: '0 * * * *', maxRetries: 0, handler: ({ scheduledAt }: JobContext) => (scheduledAt!.getUTCHours() === 2 ? fail('2 am') : 'ok') })],
    });
    await h.clock.advance([2, 'hours']);
    expect(await h.rt.status('hourly')).toEqual({
      name: 'hourly',
      state: 'active',
      lastRunAt: at(2 * 60 * MINUTE),
      nextRunAt: at(3 * 60 * MINUTE),
      runCount: 2, // 01:00 and 02:00 (a cron does not fire for the instant the runtime starts on)
      errorCount: 1,
      lastResult: 'error',
      lastError: { type: 'JobFailedError', message: '2 am' },
      queue: 'default',
    });
  });

  test('an on-demand job has no next run', async () => {
    const h = await harness({ jobs: [defineJob({ name: 'adhoc', handler: () => {} })] });
    expect(await h.rt.status('adhoc')).toEqual({
      name: 'adhoc',
      state: 'active',
      lastRunAt: null,
      nextRunAt: null,
      runCount: 0,
      errorCount: 0,
      lastResult: null,
      lastError: null,
      queue: 'default',
    });
  });

  test('history is newest first, with limit and since', async () => {
    const h = await harness({ jobs: [defineJob({ name: 'tick', every: [1, 'minute'], handler: () => {} })] });
    await h.clock.advance(5 * MINUTE);
    const all = await h.rt.history('tick');
    expect(all.map((e) => e.scheduledAt!.getTime() - T0_MS)).toEqual([5, 4, 3, 2, 1, 0].map((m) => m * MINUTE));
    expect((await h.rt.history('tick', { limit: 2 })).map((e) => e.runId)).toEqual(all.slice(0, 2).map((e) => e.runId));
    expect(await h.rt.history('tick', { since: at(4 * MINUTE) })).toHaveLength(2);
    expect(all[0]).toEqual({
      runId: 'tick@2027-01-04T00:05:00.000Z',
      jobName: 'tick',
      attempt: 1,
      scheduledAt: at(5 * MINUTE),
      startedAt: at(5 * MINUTE),
      finishedAt: at(5 * MINUTE),
      durationMs: 0,
      result: 'ok',
      queue: 'default',
    });
  });

  test('runningJobs lists runs in progress', async () => {
    const gate = deferred();
    const h = await harness({ jobs: [defineJob({ name: 'slow', handler: () => gate.promise })] });
    const { runId } = await h.rt.enqueue('slow');
    await h.clock.advance(1_000);
    expect(await h.rt.runningJobs()).toEqual([{ runId, jobName: 'slow', queue: 'default', attempt: 1, startedAt: at(0) }]);
    gate.resolve();
    await h.clock.runUntilIdle();
    expect(await h.rt.runningJobs()).toEqual([]);
  });
});

describe('lifecycle', () => {
  test('createLocalRuntime binds itself so Worker.enqueue reaches it', async () => {
    const seen: unknown[] = [];
    class ExportWorker extends Worker<{ userId: string }> {
      perform({ args }: JobContext<{ userId: string }>) {
        seen.push(args);
      }
    }
    const h = await harness({ jobs: [ExportWorker] });
    expect(getDefaultClient()).toBe(h.rt);
    await ExportWorker.enqueue({ userId: 'u1' });
    await h.clock.runUntilIdle();
    expect(seen).toEqual([{ userId: 'u1' }]);
    setDefaultClient(undefined);
  });

  test('stop lets a running job finish and fires no more ticks', async () => {
    const gate = deferred();
    let runs = 0;
    const h = await harness({ jobs: [defineJob({ name: 'tick', every: [1, 'minute'], handler: () => (runs++, gate.promise) })] });
    await h.clock.advance(0); // the tick at the schedule's creation
    const stopping = h.rt.stop();
    gate.resolve();
    await stopping;
    await h.clock.advance(5 * MINUTE);
    expect(runs).toBe(1);
    expect((await h.rt.history('tick')).map((e) => e.result)).toEqual(['ok']);
  });

  test('on the real clock, an enqueued job runs within milliseconds', async () => {
    const done = deferred<string>();
    const h = await harness({ jobs: [defineJob({ name: 'real', handler: ({ args }: JobContext<{ v: string }>) => done.resolve(args.v) })] }, { clock: realClock() as never });
    await h.rt.enqueue('real', { v: 'hi' });
    expect(await done.promise).toBe('hi');
    await h.rt.stop();
  });
});
