/**
 * What the local engine's scheduler does beyond SchedulerPort (covered by
 * memory-conformance.test.ts): rate anchoring, raw (not fanned-out) sub-minute ticks,
 * delivery errors, and shutdown.
 */
import { describe, expect, test } from 'vitest';
import { virtualClock } from '../../../shared/adapters/clock.ts';
import { MemoryQueue } from '../../../shared/adapters/memory/queue.ts';
import { MemoryScheduler } from '../../../shared/adapters/memory/scheduler.ts';
import { enqueueMessage, tickMessage } from '../../../shared/messages.ts';
import type { RunMessage } from '../../../shared/ports.ts';

const START = Date.parse('2026-01-05T10:00:30.250Z');

function setup(onDeliveryError?: (error: unknown, message: RunMessage) => void) {
  const clock = virtualClock(START);
  const queue = new MemoryQueue({ clock, queues: { default: 1 } });
  const scheduler = new MemoryScheduler({ clock, queue, ...(onDeliveryError ? { onDeliveryError } : {}) });
  const delivered = async (): Promise<RunMessage[]> => (await queue.receive('default', 100, 60_000)).map((r) => r.message);
  return { clock, queue, scheduler, delivered };
}

describe('MemoryScheduler', () => {
  test('a rate schedule fires when it is put and then every period, as EventBridge does', async () => {
    // Prepare
    const { clock, scheduler, delivered } = setup();
    await scheduler.putSchedules({ queue: 'default', job: 'sync_inventory' }, [{ expression: 'rate(5 minutes)', timezone: 'UTC', source: 'every 5 minutes' }], true);
    // Act
    await clock.advance([10, 'minutes']);
    // Assess
    expect(await delivered()).toEqual([
      tickMessage('sync_inventory', START, START),
      tickMessage('sync_inventory', START + 300_000, START + 300_000),
      tickMessage('sync_inventory', START + 600_000, START + 600_000),
    ]);
  });

  test('a sub-minute schedule delivers one raw tick per minute: fanning out is the core’s job', async () => {
    const { clock, scheduler, delivered } = setup();
    const everyThirtySeconds = { expression: 'rate(1 minute)', timezone: 'UTC', source: 'every 30 seconds', fanOutDelaysSeconds: [0, 30] };
    await scheduler.putSchedules({ queue: 'default', job: 'poll_feed' }, [everyThirtySeconds], true);
    await clock.advance([2, 'minutes']);
    const ticks = await delivered();
    expect(ticks).toEqual([
      tickMessage('poll_feed', START, START),
      tickMessage('poll_feed', START + 60_000, START + 60_000),
      tickMessage('poll_feed', START + 120_000, START + 120_000),
    ]);
    expect(ticks.every((m) => m.fannedOut === undefined)).toBe(true);
  });

  test('a tick for a queue that does not exist goes to onDeliveryError (EventBridge would use the schedule’s DLQ)', async () => {
    // Prepare
    const failures: string[] = [];
    const { clock, scheduler } = setup((error, message) => failures.push(`${message.runId}: ${(error as Error).message}`));
    await scheduler.putSchedules({ queue: 'reports', job: 'daily_report' }, [{ expression: 'cron(0 11 * * ? *)', timezone: 'UTC', source: '0 11 * * *' }], true);
    // Act
    await clock.advance([1, 'hour']);
    // Assess
    expect(failures).toEqual(['daily_report@2026-01-05T11:00:00.000Z: queue "reports" not found: known queues: default']);
  });

  test('schedule timers are background timers: runUntilIdle does not wait for the next tick', async () => {
    const { clock, scheduler, delivered } = setup();
    await scheduler.putSchedules({ queue: 'default', job: 'daily_report' }, [{ expression: 'cron(0 6 * * ? *)', timezone: 'UTC', source: '0 6 * * *' }], true);
    await clock.runUntilIdle();
    expect(clock.now()).toBe(START);
    expect(await delivered()).toEqual([]);
  });

  test('a one-time delivery is a foreground timer: runUntilIdle delivers it', async () => {
    const { clock, scheduler, delivered } = setup();
    const message = enqueueMessage('send_invoice', { invoiceId: 42 }, START, { runId: 'retry-1' });
    await scheduler.scheduleOnce('default', message, START + 20 * 60_000);
    await clock.runUntilIdle();
    expect(clock.now()).toBe(START + 20 * 60_000);
    expect(await delivered()).toEqual([message]);
  });

  test('stopAll silences every timer but keeps the schedules registered', async () => {
    // Prepare
    const { clock, scheduler, delivered } = setup();
    const schedules = [{ expression: 'cron(* * * * ? *)', timezone: 'UTC', source: '* * * * *' }];
    await scheduler.putSchedules({ queue: 'default', job: 'heartbeat' }, schedules, true);
    await scheduler.scheduleOnce('default', enqueueMessage('send_invoice', undefined, START), START + 1_000);
    // Act
    scheduler.stopAll();
    await clock.advance([5, 'minutes']);
    // Assess
    expect(await delivered()).toEqual([]);
    expect(await scheduler.getSchedules('heartbeat')).toEqual({ schedules, enabled: true });
    expect(clock.pendingTimers()).toBe(0);
  });

  test('setEnabled on a job without schedules does nothing', async () => {
    const { scheduler } = setup();
    await scheduler.setEnabled('unknown_job', true);
    expect(await scheduler.listJobs()).toEqual([]);
  });
});
