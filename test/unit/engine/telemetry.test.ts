import { describe, expect, test } from 'vitest';
import { defineJob } from '../../../shared/config/define-job.ts';
import { fail } from '../../../shared/outcomes.ts';
import { telemetry } from '../../../shared/telemetry.ts';
import { harness } from './harness.ts';

const meta = (runId: string, attempt = 1) => ({
  job: 'report',
  queue: 'default',
  attempt,
  runId,
  tags: ['finance'],
  meta: { owner: 'ops' },
});

describe('telemetry of a run', () => {
  test('a successful run emits queue:push, queue:pop, job:start, job:stop with their measurements and metadata', async () => {
    // Prepare
    const h = await harness({ jobs: [defineJob({ name: 'report', tags: ['finance'], meta: { owner: 'ops' }, priority: 3, handler: () => {} })] });
    // Act
    const { runId } = await h.rt.enqueue('report', {}, { delay: 2_000 });
    await h.clock.runUntilIdle();
    // Assess
    expect(h.events).toEqual([
      { event: 'queue:push', payload: { measurements: { delay: 2_000 }, metadata: { queue: 'default', job: 'report', runId, priority: 3 } } },
      { event: 'queue:pop', payload: { measurements: { waitTime: 0 }, metadata: { queue: 'default', job: 'report', runId } } },
      { event: 'job:start', payload: { measurements: { systemTime: h.clock.now() }, metadata: meta(runId) } },
      { event: 'job:stop', payload: { measurements: { duration: 0 }, metadata: { ...meta(runId), result: 'ok' } } },
    ]);
  });

  test('a failing attempt emits job:exception and job:retry; the final one job:exception and deadLetter:insert', async () => {
    const h = await harness({
      jobs: [
        defineJob({ name: 'report', tags: ['finance'], meta: { owner: 'ops' }, maxRetries: 1, retryDelay: 500, retryJitter: 0, handler: () => fail('nope') }),
      ],
    });
    const { runId } = await h.rt.enqueue('report');
    await h.clock.runUntilIdle();
    expect(h.events.map((e) => e.event)).toEqual([
      'queue:push',
      'queue:pop',
      'job:start',
      'job:exception',
      'queue:push',
      'job:retry',
      'job:stop',
      'queue:pop',
      'job:start',
      'job:exception',
      'deadLetter:insert',
      'job:stop',
    ]);
    const [exception] = h.of('job:exception');
    expect(exception!.measurements).toEqual({ duration: 0 });
    expect(exception!.metadata).toMatchObject({ ...meta(runId), kind: 'error', errorClass: 'JobFailedError' });
    expect(exception!.metadata.error.message).toBe('nope');
    expect(h.of('job:retry')).toEqual([{ measurements: { delay: 500 }, metadata: { ...meta(runId), nextAttempt: 2, error: 'nope' } }]);
    expect(h.of('queue:pop').map((e) => e.measurements.waitTime)).toEqual([0, 0]);
    expect(h.of('job:stop').map((e) => e.metadata.result)).toEqual(['retry', 'error']);
    expect(h.of('deadLetter:insert')).toEqual([
      {
        measurements: { total: 1 },
        metadata: { id: expect.any(String), job: 'report', queue: 'default', errorClass: 'JobFailedError', attempts: 2 },
      },
    ]);
  });

  test('queue:pop measures how long a visible message waited for a worker', async () => {
    const h = await harness({ queues: { default: 1 }, jobs: [defineJob({ name: 'report', handler: () => {} })] });
    await h.rt.pauseQueue('default');
    await h.rt.enqueue('report');
    await h.clock.advance(7_000);
    await h.rt.resumeQueue('default');
    await h.clock.runUntilIdle();
    expect(h.of('queue:pop').map((e) => e.measurements.waitTime)).toEqual([7_000]);
  });

  test("the runtime's events reach the global telemetry bus", async () => {
    const seen: string[] = [];
    const off = telemetry.on('job:stop', ({ metadata }) => void seen.push(`${metadata.job}:${metadata.result}`));
    try {
      const h = await harness({ jobs: [defineJob({ name: 'report', handler: () => {} })] });
      await h.rt.enqueue('report');
      await h.clock.runUntilIdle();
    } finally {
      off();
    }
    expect(seen).toEqual(['report:ok']);
  });
});
