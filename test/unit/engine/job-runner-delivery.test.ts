import { describe, expect, test } from 'vitest';
import { virtualClock } from '../../../shared/adapters/clock.ts';
import { createMemoryStores } from '../../../shared/adapters/memory/stores.ts';
import { defineJob } from '../../../shared/config/define-job.ts';
import { tickMessage } from '../../../shared/messages.ts';
import type { Clock } from '../../../shared/ports.ts';
import type { JobContext } from '../../../shared/types.ts';
import { T0_MS, at, deferred, harness } from './harness.ts';

const sleep = (clock: Clock, ms: number) => new Promise<void>((resolve) => clock.setTimer(clock.now() + ms, resolve));
const MINUTE = 60_000;

describe('exactly once per tick', () => {
  test('the same tick delivered three times runs once; the duplicates are visible as job:skip', async () => {
    // Prepare
    let runs = 0;
    const h = await harness({ jobs: [defineJob({ name: 'tick_job', handler: () => void runs++ })] });
    const tick = tickMessage('tick_job', T0_MS, T0_MS);
    // Act
    for (let i = 0; i < 3; i++) await h.rt.runner.send(tick, { queue: 'default' });
    await h.clock.runUntilIdle();
    // Assess
    expect(runs).toBe(1);
    expect(await h.rt.history('tick_job')).toHaveLength(1);
    expect(h.of('job:skip').map((e) => e.metadata.reason)).toEqual(['duplicate', 'duplicate']);
  });

  test('a duplicate delivered after the run finished is still a no-op', async () => {
    let runs = 0;
    const h = await harness({ jobs: [defineJob({ name: 'tick_job', handler: () => void runs++ })] });
    const tick = tickMessage('tick_job', T0_MS, T0_MS);
    await h.rt.runner.send(tick, { queue: 'default' });
    await h.clock.advance([30, 'minutes']); // the local runtime keeps finished claims for an hour
    const report = await h.rt.runner.process(tick, { queue: 'default' });
    expect(report).toMatchObject({ status: 'duplicate', disposition: 'ack', jobName: 'tick_job' });
    expect(runs).toBe(1);
  });

  test('two schedules of one job firing the same instant (cron day-of-month + day-of-week) run once', async () => {
    // 2027-02-01 is a Monday and the 1st: both compiled schedules fire at midnight.
    const clock = virtualClock('2027-01-31T23:59:00Z');
    const h = await harness({ jobs: [defineJob({ name: 'monthly_or_monday', cron: '0 0 1 * MON', handler: () => {} })] }, { clock });
    await clock.advance([1, 'minute']);
    const history = await h.rt.history('monthly_or_monday');
    expect(history.map((e) => e.scheduledAt)).toEqual([new Date('2027-02-01T00:00:00Z')]);
    // On AWS both deployed schedules deliver a tick; both carry the same run id, so one runs.
    const tick = tickMessage('monthly_or_monday', Date.parse('2027-02-01T00:00:00Z'), clock.now());
    expect(await h.rt.runner.process(tick, { queue: 'default' })).toMatchObject({ status: 'duplicate' });
  });

  test('global jobs run once per tick across runtimes sharing the stores; global: false jobs run on each', async () => {
    // Prepare
    const clock = virtualClock(T0_MS);
    const stores = createMemoryStores();
    const ran: string[] = [];
    const jobs = [
      defineJob({ name: 'everywhere_once', every: [1, 'minute'], handler: () => void ran.push('global') }),
      defineJob({ name: 'each_node', every: [1, 'minute'], global: false, handler: () => void ran.push('local') }),
    ];
    await harness({ jobs }, { clock, stores, nodeId: 'node-a' });
    await harness({ jobs }, { clock, stores, nodeId: 'node-b' });
    // Act: the ticks at creation (rate schedules fire when created) and one minute later.
    await clock.advance(MINUTE);
    // Assess
    expect(ran.sort()).toEqual(['global', 'global', 'local', 'local', 'local', 'local']);
  });
});

describe('sub-minute every', () => {
  test('every 15 seconds: each minute tick fans out into runs at :00, :15, :30 and :45', async () => {
    const h = await harness({ jobs: [defineJob({ name: 'fast', every: [15, 'seconds'], handler: () => {} })] });
    await h.clock.advance(2 * MINUTE);
    const history = await h.rt.history('fast');
    expect(history.map((e) => (e.scheduledAt!.getTime() - T0_MS) / 1000).reverse()).toEqual([0, 15, 30, 45, 60, 75, 90, 105, 120]);
    expect(history.every((e) => e.startedAt.getTime() === e.scheduledAt!.getTime())).toBe(true);
  });
});

describe('paused jobs', () => {
  test('a tick of a paused job is skipped: no run, no history, job:skip with reason paused', async () => {
    let runs = 0;
    const h = await harness({ jobs: [defineJob({ name: 'sync', every: [1, 'minute'], handler: () => void runs++ })] });
    await h.rt.pauseJob('sync');
    // A tick already in flight when the job was paused (on AWS the schedule may still deliver one).
    const report = await h.rt.runner.process(tickMessage('sync', T0_MS, T0_MS), { queue: 'default' });
    await h.clock.advance(3 * MINUTE);
    expect(report).toMatchObject({ status: 'paused', disposition: 'ack' });
    expect(runs).toBe(0);
    expect(await h.rt.history('sync')).toEqual([]);
    expect(h.of('job:skip').map((e) => e.metadata.reason)).toEqual(['paused']);
  });

  test('runNow and enqueue of a paused job still run: pausing stops the schedule, not explicit requests', async () => {
    let runs = 0;
    const h = await harness({ jobs: [defineJob({ name: 'sync', every: [1, 'minute'], handler: () => void runs++ })] });
    await h.rt.pauseJob('sync');
    await h.rt.runNow('sync');
    await h.rt.enqueue('sync');
    await h.clock.runUntilIdle();
    expect(runs).toBe(2);
  });
});

describe('unique', () => {
  test('a tick that would overlap a running run is skipped and recorded as discarded', async () => {
    // Prepare: each run takes 90 s, ticks come every minute.
    const h = await harness({
      jobs: [
        defineJob({
          name: 'sync_inventory',
          every: [1, 'minute'],
          unique: true,
          timeout: [5, 'minutes'],
          handler: () => sleep(h.clock, 90_000),
        }),
      ],
    });
    // Act: ticks at 0:00 (the schedule's creation), 1:00 and 2:00.
    await h.clock.advance(2 * MINUTE + 30_000);
    // Assess
    const history = await h.rt.history('sync_inventory');
    expect(history.map((e) => [e.scheduledAt!.getTime() - T0_MS, e.result])).toEqual([
      [1 * MINUTE, 'discarded'],
      [0, 'ok'],
    ]);
    expect(history[1]!.finishedAt).toEqual(at(90_000));
    // The 2:00 tick found the lock free (the first run ended at 1:30) and is running now.
    expect((await h.rt.runningJobs()).map((r) => r.scheduledAt)).toEqual([at(2 * MINUTE)]);
    expect(history[0]!.error).toEqual({
      type: 'UniqueConflict',
      message: 'job "sync_inventory" is unique and run sync_inventory@2027-01-04T00:00:00.000Z holds its lock; this run was skipped',
    });
  });

  test('with uniquePeriod, at most one run starts within the period even when runs are instant', async () => {
    const h = await harness({
      jobs: [defineJob({ name: 'hourly_ish', every: [1, 'minute'], unique: true, uniquePeriod: [5, 'minutes'], handler: () => {} })],
    });
    await h.clock.advance(6 * MINUTE);
    const history = await h.rt.history('hourly_ish');
    expect(history.map((e) => [(e.scheduledAt!.getTime() - T0_MS) / MINUTE, e.result]).reverse()).toEqual([
      [0, 'ok'],
      [1, 'discarded'],
      [2, 'discarded'],
      [3, 'discarded'],
      [4, 'discarded'],
      [5, 'ok'],
      [6, 'discarded'],
    ]);
  });

  test('a run waiting for its retry still holds the unique lock: another run is discarded meanwhile', async () => {
    const h = await harness({
      jobs: [
        defineJob({
          name: 'one_at_a_time',
          unique: true,
          maxRetries: 1,
          retryDelay: 10_000,
          retryJitter: 0,
          handler: ({ attempt, args }: JobContext<{ n: number }>) => (args.n === 1 && attempt === 1 ? Promise.reject(new Error('once')) : 'ok'),
        }),
      ],
    });
    await h.rt.enqueue('one_at_a_time', { n: 1 });
    await h.clock.advance(5_000);
    await h.rt.enqueue('one_at_a_time', { n: 2 });
    await h.clock.runUntilIdle();
    expect((await h.rt.history('one_at_a_time')).map((e) => [e.startedAt.getTime() - T0_MS, e.attempt, e.result, e.error?.type])).toEqual([
      [10_000, 2, 'ok', undefined],
      [5_000, 1, 'discarded', 'UniqueConflict'],
      [0, 1, 'retry', 'Error'],
    ]);
  });

  test('later attempts of the run holding the unique lock are not overlaps', async () => {
    const h = await harness({
      jobs: [
        defineJob({
          name: 'unique_retry',
          unique: true,
          uniquePeriod: [10, 'minutes'],
          maxRetries: 1,
          retryDelay: 1_000,
          retryJitter: 0,
          handler: ({ attempt }: JobContext) => (attempt === 1 ? Promise.reject(new Error('once')) : 'ok'),
        }),
      ],
    });
    await h.rt.enqueue('unique_retry');
    await h.clock.runUntilIdle();
    expect((await h.rt.history('unique_retry')).map((e) => e.result)).toEqual(['ok', 'retry']);
  });
});

describe('undeliverable messages', () => {
  test('a malformed message is dead-lettered as InvalidMessageError, never retried', async () => {
    const h = await harness({ jobs: [defineJob({ name: 'a', handler: () => {} })] });
    const report = await h.rt.runner.process('{"v":1,"job":', { queue: 'default' });
    expect(report).toMatchObject({ status: 'invalid', disposition: 'ack' });
    const [entry] = await h.rt.deadLetter.list();
    expect(entry).toMatchObject({
      jobName: '(unknown)',
      queue: 'default',
      errorClass: 'InvalidMessageError',
      error: { type: 'InvalidMessageError', message: 'message body is not JSON: {"v":1,"job":' },
      attempts: 0,
    });
  });

  test('a message with a wrong field names the field', async () => {
    const h = await harness({ jobs: [defineJob({ name: 'a', handler: () => {} })] });
    await h.rt.runner.process({ ...tickMessage('a', T0_MS, T0_MS), attempt: 0 }, { queue: 'default' });
    const [entry] = await h.rt.deadLetter.list();
    expect(entry!.error.message).toMatch(/^message field `attempt` is invalid: /);
    expect(entry!.jobName).toBe('a');
  });

  test('a message naming an unknown job is dead-lettered as UnknownJob with the known names', async () => {
    const h = await harness({ jobs: [defineJob({ name: 'a', handler: () => {} }), defineJob({ name: 'b', handler: () => {} })] });
    const report = await h.rt.runner.process(tickMessage('gone', T0_MS, T0_MS), { queue: 'default' });
    expect(report).toMatchObject({ status: 'unknownJob', disposition: 'ack' });
    const [entry] = await h.rt.deadLetter.list();
    expect(entry).toMatchObject({
      jobName: 'gone',
      errorClass: 'UnknownJob',
      error: { type: 'UnknownJob', message: 'job "gone" not found: known jobs: a, b' },
      attempts: 1,
    });
  });
});

describe('priority', () => {
  test('under a backlog with concurrency 1, lower priority values run first, then oldest first', async () => {
    // Prepare
    const order: string[] = [];
    const record = ({ args }: JobContext<{ id: string }>) => void order.push(args.id);
    const h = await harness({
      queues: { default: 1 },
      jobs: [defineJob({ name: 'normal', priority: 5, handler: record }), defineJob({ name: 'urgent', priority: 1, handler: record })],
    });
    await h.rt.pauseQueue('default');
    // Act
    await h.rt.enqueue('normal', { id: 'n1' });
    await h.rt.enqueue('urgent', { id: 'u1' });
    await h.rt.enqueue('normal', { id: 'n2-override' }, { priority: 0 });
    await h.rt.enqueue('normal', { id: 'n3' });
    await h.rt.enqueue('urgent', { id: 'u2' });
    await h.rt.resumeQueue('default');
    await h.clock.runUntilIdle();
    // Assess
    expect(order).toEqual(['n2-override', 'u1', 'u2', 'n1', 'n3']);
  });
});

describe('cancellation', () => {
  test('cancelJob aborts running runs of the job with JobCancelledError and returns how many', async () => {
    const reasons: string[] = [];
    const h = await harness({
      jobs: [
        defineJob({
          name: 'long',
          timeout: [10, 'minutes'],
          onCancel: (_job, reason) => void reasons.push(reason),
          handler: () => new Promise(() => {}),
        }),
      ],
    });
    await h.rt.enqueue('long');
    await h.rt.enqueue('long');
    await h.clock.advance(1_000);
    const count = await h.rt.cancelJob('long', { reason: 'operator' });
    await h.clock.advance(0);
    expect(count).toBe(2);
    expect(reasons).toEqual(['operator', 'operator']);
    expect((await h.rt.history('long')).map((e) => [e.result, e.finishedAt])).toEqual([
      ['cancelled', at(1_000)],
      ['cancelled', at(1_000)],
    ]);
    expect(await h.rt.runningJobs()).toEqual([]);
    expect(await h.rt.deadLetter.list()).toEqual([]);
  });

  test('cancelJob with nothing running returns 0', async () => {
    const h = await harness({ jobs: [defineJob({ name: 'idle', handler: () => {} })] });
    expect(await h.rt.cancelJob('idle')).toBe(0);
  });

  test('a handler that honours its signal sees the cancel reason', async () => {
    const gate = deferred<unknown>();
    const h = await harness({
      jobs: [
        defineJob({
          name: 'polite',
          handler: ({ signal }: JobContext) =>
            new Promise((_resolve, reject) => signal.addEventListener('abort', () => (gate.resolve(signal.reason), reject(signal.reason)))),
        }),
      ],
    });
    await h.rt.enqueue('polite');
    await h.clock.advance(0);
    await h.rt.cancelJob('polite', { reason: 'shutting down' });
    const reason = (await gate.promise) as Error;
    expect(reason.message).toBe('job "polite" cancelled: shutting down');
  });
});
