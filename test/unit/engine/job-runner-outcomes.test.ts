import { describe, expect, test } from 'vitest';
import { defineJob } from '../../../shared/config/define-job.ts';
import { cancel, discard, fail, retry } from '../../../shared/outcomes.ts';
import type { JobContext } from '../../../shared/types.ts';
import { T0_MS, at, harness } from './harness.ts';

const noJitter = { retryJitter: 0 } as const;

describe('retry instants', () => {
  test.each([
    ['fixed', [0, 1_000, 2_000, 3_000]],
    ['linear', [0, 1_000, 3_000, 6_000]],
    ['exponential', [0, 1_000, 3_000, 7_000]],
  ] as const)('%s backoff runs the attempts of an always-failing job at %j ms', async (retryBackoff, instants) => {
    // Prepare
    const h = await harness({
      jobs: [defineJob({ name: 'flaky', maxRetries: 3, retryDelay: 1_000, retryBackoff, ...noJitter, handler: () => { throw new Error('boom'); } })],
    });
    // Act
    await h.rt.enqueue('flaky');
    await h.clock.runUntilIdle();
    // Assess
    const history = await h.rt.history('flaky');
    expect(history.map((e) => e.startedAt.getTime() - T0_MS).reverse()).toEqual(instants);
    expect(history.map((e) => e.result)).toEqual(['error', 'retry', 'retry', 'retry']);
    expect(history.map((e) => e.attempt)).toEqual([4, 3, 2, 1]);
  });

  test('retryMaxDelay caps exponential growth: delays of 1 s, 1.5 s, 1.5 s', async () => {
    const h = await harness({
      jobs: [
        defineJob({ name: 'capped', maxRetries: 3, retryDelay: 1_000, retryMaxDelay: 1_500, ...noJitter, handler: () => fail('no') }),
      ],
    });
    await h.rt.enqueue('capped');
    await h.clock.runUntilIdle();
    const history = await h.rt.history('capped');
    expect(history.map((e) => e.startedAt.getTime() - T0_MS).reverse()).toEqual([0, 1_000, 2_500, 4_000]);
  });

  test('jitter draws from the injected random source: r = 0 gives delay × (1 − jitter)', async () => {
    const h = await harness(
      { jobs: [defineJob({ name: 'jittery', maxRetries: 1, retryDelay: 8_000, retryBackoff: 'fixed', retryMaxDelay: 60_000, retryJitter: 0.25, handler: () => fail('no') })] },
      { random: () => 0 },
    );
    await h.rt.enqueue('jittery');
    await h.clock.runUntilIdle();
    const [second, first] = await h.rt.history('jittery');
    expect(first!.nextAttemptAt).toEqual(at(6_000));
    expect(second!.startedAt).toEqual(at(6_000));
  });

  test('a retry history entry carries the error and when the next attempt is due', async () => {
    const h = await harness({ jobs: [defineJob({ name: 'flaky', maxRetries: 1, retryDelay: 2_000, ...noJitter, handler: () => fail('upstream said 500') })] });
    const { runId } = await h.rt.enqueue('flaky');
    await h.clock.advance(0);
    expect(await h.rt.history('flaky')).toEqual([
      {
        runId,
        jobName: 'flaky',
        attempt: 1,
        startedAt: at(0),
        finishedAt: at(0),
        durationMs: 0,
        result: 'retry',
        error: { type: 'JobFailedError', message: 'upstream said 500' },
        queue: 'default',
        nextAttemptAt: at(2_000),
      },
    ]);
  });
});

describe('outcomes', () => {
  test('returning a value is success: history ok, value given to onSuccess', async () => {
    const seen: unknown[] = [];
    const h = await harness({
      jobs: [defineJob({ name: 'ok_job', handler: () => ({ rows: 3 }), onSuccess: (_job, result) => void seen.push(result) })],
    });
    await h.rt.enqueue('ok_job');
    await h.clock.runUntilIdle();
    expect(seen).toEqual([{ rows: 3 }]);
    expect((await h.rt.history('ok_job')).map((e) => e.result)).toEqual(['ok']);
  });

  test('retry(ms) runs the next attempt exactly ms later and records result retry', async () => {
    const h = await harness({
      jobs: [defineJob({ name: 'later', maxRetries: 2, handler: ({ attempt }: JobContext) => (attempt === 1 ? retry(30_000) : 'done') })],
    });
    await h.rt.enqueue('later');
    await h.clock.runUntilIdle();
    const history = await h.rt.history('later');
    expect(history.map((e) => [e.attempt, e.result, e.startedAt.getTime() - T0_MS])).toEqual([
      [2, 'ok', 30_000],
      [1, 'retry', 0],
    ]);
    expect(history[1]!.nextAttemptAt).toEqual(at(30_000));
  });

  test('retry(ms) beyond 15 minutes goes through a one-time schedule and still lands on the instant', async () => {
    const h = await harness({
      jobs: [defineJob({ name: 'much_later', handler: ({ attempt }: JobContext) => (attempt === 1 ? retry(20 * 60_000) : 'done') })],
    });
    await h.rt.enqueue('much_later');
    await h.clock.advance(0);
    expect((await h.rt.queueStats())['default']!.pending).toBe(0); // not on the queue: on the scheduler
    await h.clock.runUntilIdle();
    expect((await h.rt.history('much_later')).map((e) => e.startedAt.getTime() - T0_MS)).toEqual([20 * 60_000, 0]);
  });

  test('retry(ms) with no retries left is a failure: history error, dead-lettered', async () => {
    const h = await harness({ jobs: [defineJob({ name: 'stubborn', maxRetries: 0, handler: () => retry(1_000) })] });
    await h.rt.enqueue('stubborn');
    await h.clock.runUntilIdle();
    const [entry] = await h.rt.history('stubborn');
    expect(entry!.result).toBe('error');
    expect(entry!.error).toEqual({
      type: 'JobFailedError',
      message: 'job "stubborn" asked to retry after attempt 1, but its 0 retries are used up',
    });
    expect(await h.rt.deadLetter.list()).toHaveLength(1);
  });

  test('cancel(reason) ends the run as cancelled, calls onCancel, no retry and no dead letter', async () => {
    const reasons: string[] = [];
    const h = await harness({
      jobs: [defineJob({ name: 'cancels', handler: () => cancel('user deleted'), onCancel: (_job, reason) => void reasons.push(reason) })],
    });
    await h.rt.enqueue('cancels');
    await h.clock.runUntilIdle();
    expect(reasons).toEqual(['user deleted']);
    const history = await h.rt.history('cancels');
    expect(history.map((e) => [e.result, e.error])).toEqual([['cancelled', { type: 'JobCancelledError', message: 'job "cancels" cancelled: user deleted' }]]);
    expect(await h.rt.deadLetter.list()).toEqual([]);
  });

  test('discard(reason) ends the run as discarded: no retry, no dead letter', async () => {
    const h = await harness({ jobs: [defineJob({ name: 'drops', handler: () => discard('no user') })] });
    await h.rt.enqueue('drops');
    await h.clock.runUntilIdle();
    expect((await h.rt.history('drops')).map((e) => [e.result, e.error])).toEqual([['discarded', { type: 'Discarded', message: 'no user' }]]);
    expect(await h.rt.deadLetter.list()).toEqual([]);
  });

  test.each([
    ['fail(reason)', () => fail('bad data'), { type: 'JobFailedError', message: 'bad data' }],
    ['throw new Error', () => { throw new TypeError('x is undefined'); }, { type: 'TypeError', message: 'x is undefined' }],
    ['throw a string', () => { throw 'plain string'; }, { type: 'JobFailedError', message: 'plain string' }],
    ['a rejected promise', () => Promise.reject(new RangeError('too far')), { type: 'RangeError', message: 'too far' }],
  ])('%s is a failure: retried, then error and dead-lettered', async (_name, handler, error) => {
    const h = await harness({ jobs: [defineJob({ name: 'failing', maxRetries: 1, retryDelay: 1_000, ...noJitter, handler })] });
    await h.rt.enqueue('failing');
    await h.clock.runUntilIdle();
    expect((await h.rt.history('failing')).map((e) => [e.result, e.error])).toEqual([
      ['error', error],
      ['retry', error],
    ]);
    const [dead] = await h.rt.deadLetter.list();
    expect(dead!.error).toEqual(error);
    expect(dead!.attempts).toBe(2);
  });
});

describe('timeouts', () => {
  test('a handler that ignores its signal still ends as timeout at the exact instant', async () => {
    // Prepare
    let signalReason: unknown;
    const h = await harness({
      jobs: [
        defineJob({
          name: 'hangs',
          timeout: 5_000,
          maxRetries: 0,
          handler: ({ signal }: JobContext) => {
            signal.addEventListener('abort', () => (signalReason = signal.reason));
            return new Promise(() => {}); // never settles, never looks at the signal
          },
        }),
      ],
    });
    // Act
    await h.rt.enqueue('hangs');
    await h.clock.advance(4_999);
    const runningBefore = await h.rt.runningJobs();
    await h.clock.advance(1);
    // Assess
    expect(runningBefore.map((r) => r.jobName)).toEqual(['hangs']);
    expect(await h.rt.runningJobs()).toEqual([]);
    const [entry] = await h.rt.history('hangs');
    expect(entry).toMatchObject({
      result: 'timeout',
      startedAt: at(0),
      finishedAt: at(5_000),
      durationMs: 5_000,
      error: { type: 'JobTimeoutError', message: 'job "hangs" timed out after 5000 ms' },
    });
    expect((signalReason as Error).name).toBe('JobTimeoutError');
    expect((await h.rt.deadLetter.list())[0]!.errorClass).toBe('JobTimeoutError');
  });

  test('a timed-out attempt with retries left is recorded as timeout and retried', async () => {
    const h = await harness({
      jobs: [
        defineJob({
          name: 'slow_once',
          timeout: 1_000,
          maxRetries: 1,
          retryDelay: 500,
          ...noJitter,
          handler: ({ attempt }: JobContext) => (attempt === 1 ? new Promise(() => {}) : 'fast now'),
        }),
      ],
    });
    await h.rt.enqueue('slow_once');
    await h.clock.runUntilIdle();
    const history = await h.rt.history('slow_once');
    expect(history.map((e) => [e.attempt, e.result, e.startedAt.getTime() - T0_MS])).toEqual([
      [2, 'ok', 1_500],
      [1, 'timeout', 0],
    ]);
    expect(history[1]!.nextAttemptAt).toEqual(at(1_500));
  });
});

describe('hooks', () => {
  const tracing = (calls: string[]) => ({
    onStart: () => void calls.push('onStart'),
    onSuccess: () => void calls.push('onSuccess'),
    onCancel: () => void calls.push('onCancel'),
    onFailure: () => void calls.push('onFailure'),
  });

  test('success: onStart, handler, onSuccess', async () => {
    const calls: string[] = [];
    const h = await harness({ jobs: [defineJob({ name: 'hooked', ...tracing(calls), handler: () => void calls.push('handler') })] });
    await h.rt.enqueue('hooked');
    await h.clock.runUntilIdle();
    expect(calls).toEqual(['onStart', 'handler', 'onSuccess']);
  });

  test('cancel: onStart, handler, onCancel', async () => {
    const calls: string[] = [];
    const h = await harness({ jobs: [defineJob({ name: 'hooked', ...tracing(calls), handler: () => (calls.push('handler'), cancel('stop')) })] });
    await h.rt.enqueue('hooked');
    await h.clock.runUntilIdle();
    expect(calls).toEqual(['onStart', 'handler', 'onCancel']);
  });

  test('final failure: onStart per attempt, onFailure once after the last attempt, before the dead-letter insert', async () => {
    const calls: string[] = [];
    const h = await harness({
      deadLetter: { onDeadLetter: () => void calls.push('onDeadLetter') },
      jobs: [defineJob({ name: 'hooked', maxRetries: 1, retryDelay: 10, ...noJitter, ...tracing(calls), handler: () => (calls.push('handler'), fail('x')) })],
    });
    await h.rt.enqueue('hooked');
    await h.clock.runUntilIdle();
    expect(calls).toEqual(['onStart', 'handler', 'onStart', 'handler', 'onFailure', 'onDeadLetter']);
  });

  test('a hanging onStart is covered by the timeout: the attempt ends as timeout', async () => {
    const h = await harness({
      jobs: [defineJob({ name: 'stuck_start', timeout: 2_000, maxRetries: 0, onStart: () => new Promise(() => {}), handler: () => 'never reached' })],
    });
    await h.rt.enqueue('stuck_start');
    await h.clock.runUntilIdle();
    expect((await h.rt.history('stuck_start')).map((e) => [e.result, e.durationMs])).toEqual([['timeout', 2_000]]);
  });

  test('a hanging onSuccess is left behind after the timeout; the run stays ok', async () => {
    const h = await harness({
      jobs: [defineJob({ name: 'stuck_success', timeout: 2_000, onSuccess: () => new Promise(() => {}), handler: () => 'fine' })],
    });
    await h.rt.enqueue('stuck_success');
    await h.clock.runUntilIdle();
    expect((await h.rt.history('stuck_success')).map((e) => e.result)).toEqual(['ok']);
    expect(await h.rt.runningJobs()).toEqual([]);
  });

  test('a throwing hook never changes the run result', async () => {
    const h = await harness({
      jobs: [
        defineJob({
          name: 'bad_hooks',
          onStart: () => { throw new Error('start hook broke'); },
          onSuccess: () => { throw new Error('success hook broke'); },
          handler: () => 'fine',
        }),
      ],
    });
    await h.rt.enqueue('bad_hooks');
    await h.clock.runUntilIdle();
    expect((await h.rt.history('bad_hooks')).map((e) => e.result)).toEqual(['ok']);
  });
});

describe('handler context', () => {
  test('the handler receives job info, args, attempt, runId and an abort signal', async () => {
    let ctx: JobContext | undefined;
    const h = await harness({ jobs: [defineJob({ name: 'ctx_job', tags: ['t1'], handler: (c: JobContext) => void (ctx = c) })] });
    const { runId } = await h.rt.enqueue('ctx_job', { userId: 'u1' });
    await h.clock.runUntilIdle();
    expect(ctx).toMatchObject({ args: { userId: 'u1' }, attempt: 1, runId });
    expect(ctx!.job).toMatchObject({ name: 'ctx_job', queue: 'default', tags: ['t1'] });
    expect('handler' in ctx!.job).toBe(false);
    expect(ctx!.signal.aborted).toBe(false);
  });
});
