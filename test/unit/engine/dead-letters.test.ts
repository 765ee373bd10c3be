import { describe, expect, test } from 'vitest';
import { defineJob } from '../../../shared/config/define-job.ts';
import { fail } from '../../../shared/outcomes.ts';
import type { DeadLetterEntry, JobContext } from '../../../shared/types.ts';
import { at, harness } from './harness.ts';

const failing = (name: string, extra: Record<string, unknown> = {}) =>
  defineJob({ name, maxRetries: 0, handler: () => { throw new Error(`${name} broke`); }, ...extra });

describe('dead-letter entries', () => {
  test('a final failure stores every field of the entry and calls onDeadLetter with it', async () => {
    // Prepare
    const delivered: DeadLetterEntry[] = [];
    const h = await harness({
      deadLetter: { onDeadLetter: (e) => void delivered.push(e) },
      jobs: [
        defineJob({
          name: 'export',
          queue: 'default',
          maxRetries: 1,
          retryDelay: 1_000,
          retryJitter: 0,
          handler: () => { throw new Error('disk full'); },
        }),
      ],
    });
    // Act
    const { runId } = await h.rt.enqueue('export', { userId: 'u1' });
    await h.clock.runUntilIdle();
    // Assess
    const [entry] = await h.rt.deadLetter.list();
    expect(entry).toEqual({
      id: expect.any(String),
      jobName: 'export',
      queue: 'default',
      args: { userId: 'u1' },
      error: { type: 'Error', message: 'disk full' },
      errorClass: 'Error',
      attempts: 2,
      firstFailedAt: at(0),
      lastFailedAt: at(1_000),
      stacktrace: expect.stringContaining('Error: disk full'),
      runId,
    });
    expect(delivered).toEqual([entry]);
    expect(await h.rt.deadLetter.get(entry!.id)).toEqual(entry);
  });

  test('a scheduled run carries its tick into the entry', async () => {
    const h = await harness({ jobs: [failing('nightly', { every: [1, 'hour'] })] });
    await h.clock.advance([1, 'hour']);
    const [entry] = await h.rt.deadLetter.list();
    expect(entry!.scheduledAt).toEqual(at(3_600_000));
    expect(entry!.args).toEqual({});
  });

  test('jobs with deadLetter: false, and configs with the store disabled, store nothing', async () => {
    const h1 = await harness({ jobs: [failing('quiet', { deadLetter: false })] });
    const h2 = await harness({ deadLetter: false, jobs: [failing('loud')] });
    await h1.rt.enqueue('quiet');
    await h2.rt.enqueue('loud');
    await h1.clock.runUntilIdle();
    await h2.clock.runUntilIdle();
    expect(await h1.rt.deadLetter.list()).toEqual([]);
    expect(await h2.rt.deadLetter.list()).toEqual([]);
    expect((await h2.rt.history('loud')).map((e) => e.result)).toEqual(['error']);
  });

  test('onDeadLetter throwing does not lose the entry', async () => {
    const h = await harness({
      deadLetter: { onDeadLetter: () => { throw new Error('pager down'); } },
      jobs: [failing('a')],
    });
    await h.rt.enqueue('a');
    await h.clock.runUntilIdle();
    expect(await h.rt.deadLetter.list()).toHaveLength(1);
  });
});

describe('dead-letter retention', () => {
  test('maxEntries trims the oldest entries on insert and emits deadLetter:prune', async () => {
    const h = await harness({ deadLetter: { maxEntries: 2 }, jobs: [failing('a')] });
    for (const n of [1, 2, 3]) {
      await h.rt.enqueue('a', { n });
      await h.clock.advance(1_000);
    }
    expect((await h.rt.deadLetter.list()).map((e) => e.args)).toEqual([{ n: 3 }, { n: 2 }]);
    expect(h.of('deadLetter:prune')).toEqual([{ measurements: { count: 1 }, metadata: { reason: 'maxEntries' } }]);
    expect(h.of('deadLetter:insert').map((e) => e.measurements.total)).toEqual([1, 2, 2]);
  });

  test('maxAge prunes entries older than it on each insert', async () => {
    const h = await harness({ deadLetter: { maxAge: [1, 'hour'] }, jobs: [failing('a')] });
    await h.rt.enqueue('a', { n: 1 });
    await h.clock.advance([2, 'hours']);
    await h.rt.enqueue('a', { n: 2 });
    await h.clock.runUntilIdle();
    expect((await h.rt.deadLetter.list()).map((e) => e.args)).toEqual([{ n: 2 }]);
    expect(h.of('deadLetter:prune')).toEqual([{ measurements: { count: 1 }, metadata: { reason: 'maxAge' } }]);
  });

  test('prune({ before }) removes entries that failed last before it; without it, older than maxAge', async () => {
    const h = await harness({ deadLetter: { maxAge: [1, 'day'] }, jobs: [failing('a')] });
    await h.rt.enqueue('a', { n: 1 });
    await h.clock.advance([10, 'hours']);
    await h.rt.enqueue('a', { n: 2 });
    await h.clock.advance([20, 'hours']);
    expect(await h.rt.deadLetter.prune()).toBe(1); // n: 1 is 30 h old
    expect(await h.rt.deadLetter.prune({ before: new Date(h.clock.now()) })).toBe(1);
    expect(await h.rt.deadLetter.list()).toEqual([]);
  });
});

describe('dead-letter operations', () => {
  test('retry re-enqueues the job with its args and attempts starting again, and removes the entry', async () => {
    // Prepare
    let healthy = false;
    const seen: Array<[unknown, number]> = [];
    const h = await harness({
      jobs: [
        defineJob({
          name: 'export',
          maxRetries: 0,
          handler: ({ args, attempt }: JobContext) => {
            seen.push([args, attempt]);
            if (!healthy) return fail('upstream down');
          },
        }),
      ],
    });
    await h.rt.enqueue('export', { userId: 'u1' });
    await h.clock.runUntilIdle();
    const [entry] = await h.rt.deadLetter.list();
    // Act
    healthy = true;
    const result = await h.rt.deadLetter.retry(entry!.id);
    await h.clock.runUntilIdle();
    // Assess
    expect(result).toMatchObject({ jobName: 'export', queue: 'default', runAt: at(0) });
    expect(seen).toEqual([
      [{ userId: 'u1' }, 1],
      [{ userId: 'u1' }, 1],
    ]);
    expect((await h.rt.history('export')).map((e) => e.result)).toEqual(['ok', 'error']);
    expect(await h.rt.deadLetter.list()).toEqual([]);
    expect(h.of('deadLetter:retry')).toEqual([{ measurements: { count: 1 }, metadata: { id: entry!.id, job: 'export', queue: 'default' } }]);
  });

  test('retryAll retries the entries matching the filter', async () => {
    const h = await harness({ queues: { default: 5, other: 5 }, jobs: [failing('a'), failing('b', { queue: 'other' })] });
    await h.rt.enqueue('a');
    await h.rt.enqueue('b');
    await h.clock.runUntilIdle();
    const results = await h.rt.deadLetter.retryAll({ queue: 'other' });
    expect(results.map((r) => r.jobName)).toEqual(['b']);
    expect((await h.rt.deadLetter.list()).map((e) => e.jobName)).toEqual(['a']);
  });

  test('stats counts entries by job, queue and error class', async () => {
    const h = await harness({ jobs: [failing('a'), failing('b')] });
    await h.rt.enqueue('a');
    await h.clock.advance(1_000);
    await h.rt.enqueue('a');
    await h.rt.enqueue('b');
    await h.clock.runUntilIdle();
    expect(await h.rt.deadLetter.stats()).toEqual({
      total: 3,
      byJob: { a: 2, b: 1 },
      byQueue: { default: 3 },
      byErrorClass: { Error: 3 },
      oldest: at(0),
      newest: at(1_000),
    });
  });

  test('get, retry and delete of an unknown id throw NotFoundError', async () => {
    const h = await harness({ jobs: [failing('a')] });
    await expect(h.rt.deadLetter.get('nope')).rejects.toThrow('dead-letter entry "nope" not found');
    await expect(h.rt.deadLetter.retry('nope')).rejects.toThrow('dead-letter entry "nope" not found');
    await expect(h.rt.deadLetter.delete('nope')).rejects.toThrow('dead-letter entry "nope" not found');
  });

  test('delete removes one entry', async () => {
    const h = await harness({ jobs: [failing('a')] });
    await h.rt.enqueue('a');
    await h.clock.runUntilIdle();
    const [entry] = await h.rt.deadLetter.list();
    await h.rt.deadLetter.delete(entry!.id);
    expect(await h.rt.deadLetter.list()).toEqual([]);
  });
});

describe('onError', () => {
  test("'stop' pauses the job after its final failure, so its schedule stops", async () => {
    let runs = 0;
    const h = await harness({ jobs: [failing('fragile', { every: [1, 'minute'], onError: 'stop', handler: () => (runs++, fail('x')) })] });
    await h.clock.advance([5, 'minutes']);
    expect(runs).toBe(1);
    expect((await h.rt.status('fragile')).state).toBe('paused');
  });

  test("'continue' keeps the schedule going", async () => {
    let runs = 0;
    const h = await harness({ jobs: [failing('sturdy', { every: [1, 'minute'], handler: () => (runs++, fail('x')) })] });
    await h.clock.advance([5, 'minutes']);
    expect(runs).toBe(6); // a rate schedule fires when created (as on AWS), then every minute
    expect((await h.rt.status('sturdy')).state).toBe('active');
  });

  test("'raise' surfaces the final error to the runtime's onError listeners", async () => {
    const raised: Array<[string, string | undefined]> = [];
    const h = await harness({ jobs: [failing('loud', { onError: 'raise' })] });
    h.rt.onError((error, report) => raised.push([error.message, report.jobName]));
    await h.rt.enqueue('loud');
    await h.clock.runUntilIdle();
    expect(raised).toEqual([['loud broke', 'loud']]);
  });
});

