/**
 * `rt.stop()` leaves nothing armed — so a process on the real clock can exit — yet loses
 * nothing: delayed retries, delayed enqueues and long one-time deliveries wait for `start()`.
 */
import { describe, expect, test } from 'vitest';
import { defineJob } from '../../../shared/config/define-job.ts';
import { fail } from '../../../shared/outcomes.ts';
import { harness } from './harness.ts';

describe('stopping and starting the local runtime', () => {
  test('stop leaves no timer armed; a retry that was waiting runs after start', async () => {
    // Prepare: a job that fails once, then succeeds; its retry waits 10 minutes.
    let calls = 0;
    const h = await harness({
      jobs: [defineJob({ name: 'sync', retryDelay: [10, 'minutes'], retryJitter: 0, handler: () => (++calls === 1 ? fail('first try') : 'ok') })],
    });
    await h.rt.enqueue('sync', {});
    await h.clock.advance(1_000);
    expect(calls).toBe(1);
    // Act
    await h.rt.stop();
    const armedWhileStopped = h.clock.pendingTimers();
    await h.rt.pauseJob('sync'); // must not re-arm anything on a stopped runtime
    await h.rt.resumeJob('sync');
    const armedAfterPauseResume = h.clock.pendingTimers();
    await h.rt.start();
    await h.clock.advance([10, 'minutes']);
    // Assess
    expect([armedWhileStopped, armedAfterPauseResume]).toEqual([0, 0]);
    expect(calls).toBe(2);
    expect((await h.rt.history('sync')).map((e) => e.result)).toEqual(['ok', 'retry']);
    await h.rt.stop();
  });

  test('a delay longer than SQS allows (a one-time delivery) survives a stop and start', async () => {
    const ran: number[] = [];
    const h = await harness({ jobs: [defineJob({ name: 'report', handler: () => void ran.push(h.clock.now()) })] });
    const { runAt } = await h.rt.enqueue('report', {}, { delay: [1, 'hour'] });
    await h.rt.stop();
    expect(h.clock.pendingTimers()).toBe(0);
    await h.rt.start();
    await h.clock.advance([1, 'hour']);
    expect(ran).toEqual([runAt.getTime()]);
    await h.rt.stop();
  });
});
