/**
 * SchedulerPort conformance: recurring schedules (stored, listed, enabled/disabled, deleted,
 * and — when time can pass quickly enough — firing tick messages at the right instants), and
 * one-time deliveries (`scheduleOnce` / `cancelOnce`).
 *
 * Expressions are EventBridge Scheduler's (`cron(min hour dom month dow year)` with `?`,
 * day-of-week 1-7 = SUN-SAT; `rate(n unit)`), exactly as `compileSchedules` deploys them.
 */
import { describe, expect, test } from 'vitest';
import { tickMessage, tickRunId } from '../../shared/messages.ts';
import type { QueuePort, RunMessage, SchedulerPort } from '../../shared/ports.ts';
import type { CompiledSchedule } from '../../shared/types.ts';
import { aFullRunMessage, aRunMessage } from './fixtures.ts';
import { type HarnessBase, type TimeControl, hasCapability, requireCapability, uniqueName, useHarness } from './harness.ts';

export interface SchedulerHarness extends HarnessBase, TimeControl {
  readonly scheduler: SchedulerPort;
  /** Where deliveries are observed. */
  readonly queue: QueuePort;
  /** An existing, empty queue used by this test alone: the target of every schedule. */
  readonly queueName: string;
  /**
   * How late a delivery may arrive after its instant (EventBridge Scheduler: up to a minute
   * with the flexible window off). The suite keeps advancing 1 s at a time within it.
   * @default 0
   */
  readonly deliveryGraceMs?: number;
}

const MINUTE = 60_000;
const EVERY_MINUTE: CompiledSchedule = { expression: 'cron(* * * * ? *)', timezone: 'UTC', source: '* * * * *' };
const RATE_MINUTE: CompiledSchedule = { expression: 'rate(1 minute)', timezone: 'UTC', source: 'every 1 minute' };

/**
 * Registers the SchedulerPort conformance suite for one adapter.
 *
 * @example
 * describeSchedulerConformance('memory', async () => {
 *   const clock = virtualClock();
 *   const queue = new MemoryQueue({ clock, queues: { ticks: 1 } });
 *   const scheduler = new MemoryScheduler({ clock, queue });
 *   return { scheduler, queue, queueName: 'ticks', now: clock.now, advance: (ms) => clock.advance(ms), capabilities: { virtualTime: true } };
 * });
 */
export function describeSchedulerConformance(adapterName: string, setup: () => Promise<SchedulerHarness>): void {
  describe(`SchedulerPort conformance (${adapterName})`, () => {
    const harness = useHarness(setup);

    /** Takes (and acks) every message on the harness queue, oldest scheduledAt first. */
    async function takeDelivered(): Promise<RunMessage[]> {
      const { queue, queueName } = harness();
      const out: RunMessage[] = [];
      for (let i = 0; i < 50; i++) {
        const batch = await queue.receive(queueName, 10, MINUTE);
        if (batch.length === 0) break;
        for (const r of batch) {
          out.push(r.message);
          await queue.ack(queueName, r.receipt);
        }
      }
      return out.sort((a, b) => (a.scheduledAt ?? '').localeCompare(b.scheduledAt ?? ''));
    }

    /** Advances `ms`, then keeps advancing 1 s at a time within the grace until `expected` messages arrived. */
    async function advanceAndTake(ms: number, expected: number): Promise<RunMessage[]> {
      const h = harness();
      await h.advance(ms);
      const got = await takeDelivered();
      for (let waited = 0; got.length < expected && waited < (h.deliveryGraceMs ?? 0); waited += 1_000) {
        await h.advance(1_000);
        got.push(...(await takeDelivered()));
      }
      return got;
    }

    /** The first whole minute strictly after `ms`. */
    const nextMinute = (ms: number): number => Math.floor(ms / MINUTE) * MINUTE + MINUTE;

    /** The tick a schedule delivers at `atMs`; on a real clock enqueuedAt is only approximately `atMs`. */
    function expectedTick(job: string, atMs: number): RunMessage {
      const exact = tickMessage(job, atMs, atMs);
      return hasCapability(harness(), 'virtualTime') ? exact : { ...exact, enqueuedAt: expect.any(String) };
    }

    // ------------------------------------------------------------ storing schedules

    test('put schedules are read back exactly, with their enabled flag', async () => {
      // Prepare
      const { scheduler, queueName } = harness();
      const job = uniqueName('job');
      const schedules: CompiledSchedule[] = [
        { expression: 'cron(0 6 * * ? *)', timezone: 'Europe/Paris', source: '0 6 * * *' },
        { expression: 'cron(0 6 ? * 2 *)', timezone: 'Europe/Paris', source: '0 6 1 * 1' },
        { expression: 'rate(1 minute)', timezone: 'UTC', source: 'every 30 seconds', fanOutDelaysSeconds: [0, 30] },
      ];
      // Act
      await scheduler.putSchedules({ queue: queueName, job }, schedules, true);
      // Assess
      expect(await scheduler.getSchedules(job)).toEqual({ schedules, enabled: true });
    });

    test('a job put disabled is stored disabled', async () => {
      const { scheduler, queueName } = harness();
      const job = uniqueName('job');
      await scheduler.putSchedules({ queue: queueName, job }, [EVERY_MINUTE], false);
      expect(await scheduler.getSchedules(job)).toEqual({ schedules: [EVERY_MINUTE], enabled: false });
    });

    test('putting schedules again replaces all of the previous ones', async () => {
      // Prepare
      const { scheduler, queueName } = harness();
      const job = uniqueName('job');
      await scheduler.putSchedules({ queue: queueName, job }, [EVERY_MINUTE, RATE_MINUTE], true);
      const replacement: CompiledSchedule = { expression: 'cron(0 3 * * ? *)', timezone: 'UTC', source: '0 3 * * *' };
      // Act
      await scheduler.putSchedules({ queue: queueName, job }, [replacement], true);
      // Assess
      expect(await scheduler.getSchedules(job)).toEqual({ schedules: [replacement], enabled: true });
    });

    test('getting the schedules of an unknown job returns undefined', async () => {
      expect(await harness().scheduler.getSchedules(uniqueName('job'))).toBeUndefined();
    });

    test('listJobs names every job with schedules, and no longer names a deleted one', async () => {
      // Prepare
      const { scheduler, queueName } = harness();
      const [kept, deleted] = [uniqueName('job'), uniqueName('job')];
      await scheduler.putSchedules({ queue: queueName, job: kept }, [EVERY_MINUTE], true);
      await scheduler.putSchedules({ queue: queueName, job: deleted }, [EVERY_MINUTE], false);
      expect(await scheduler.listJobs()).toEqual(expect.arrayContaining([kept, deleted]));
      // Act
      await scheduler.deleteSchedules(deleted);
      // Assess
      const jobs = await scheduler.listJobs();
      expect(jobs).toContain(kept);
      expect(jobs).not.toContain(deleted);
      expect(await scheduler.getSchedules(deleted)).toBeUndefined();
    });

    test('deleting the schedules of a job that has none resolves', async () => {
      await expect(harness().scheduler.deleteSchedules(uniqueName('job'))).resolves.toBeUndefined();
    });

    test('setEnabled toggles the flag and keeps the schedules', async () => {
      const { scheduler, queueName } = harness();
      const job = uniqueName('job');
      await scheduler.putSchedules({ queue: queueName, job }, [EVERY_MINUTE], true);
      await scheduler.setEnabled(job, false);
      expect(await scheduler.getSchedules(job)).toEqual({ schedules: [EVERY_MINUTE], enabled: false });
      await scheduler.setEnabled(job, true);
      expect(await scheduler.getSchedules(job)).toEqual({ schedules: [EVERY_MINUTE], enabled: true });
    });

    // ------------------------------------------------------------ recurring delivery

    test('a per-minute cron delivers one tick message per minute, carrying the scheduled time', async (ctx) => {
      requireCapability(ctx, harness(), 'recurringTicks');
      // Prepare
      const { scheduler, queueName, now } = harness();
      const job = uniqueName('job');
      const start = now();
      const first = nextMinute(start);
      await scheduler.putSchedules({ queue: queueName, job }, [EVERY_MINUTE], true);
      // Act: up to (and including) the second minute boundary
      const ticks = await advanceAndTake(first + MINUTE - start, 2);
      // Assess
      expect(ticks).toEqual([expectedTick(job, first), expectedTick(job, first + MINUTE)]);
      expect(ticks.map((m) => m.runId)).toEqual([tickRunId(job, first), tickRunId(job, first + MINUTE)]);
    });

    test('rate(1 minute) delivers ticks one minute apart, the first as soon as it is put (as EventBridge does)', async (ctx) => {
      requireCapability(ctx, harness(), 'recurringTicks');
      // Prepare
      const { scheduler, queueName, now } = harness();
      const job = uniqueName('job');
      const start = now();
      await scheduler.putSchedules({ queue: queueName, job }, [RATE_MINUTE], true);
      // Act
      const ticks = await advanceAndTake(MINUTE + 1_000, 2);
      // Assess
      expect(ticks).toHaveLength(2);
      const [a, b] = ticks.map((m) => Date.parse(m.scheduledAt!));
      expect(b! - a!).toBe(MINUTE);
      expect(a).toBeGreaterThanOrEqual(start);
      expect(a).toBeLessThan(start + MINUTE);
      expect(ticks[0]).toEqual(expectedTick(job, a!));
    });

    test('a job put disabled delivers nothing until it is enabled', async (ctx) => {
      requireCapability(ctx, harness(), 'recurringTicks');
      // Prepare
      const { scheduler, queueName, now } = harness();
      const job = uniqueName('job');
      const start = now();
      await scheduler.putSchedules({ queue: queueName, job }, [EVERY_MINUTE], false);
      // Act + Assess: silent while disabled
      expect(await advanceAndTake(nextMinute(start) + 1_000 - start, 0)).toEqual([]);
      // Act + Assess: ticks again once enabled
      await scheduler.setEnabled(job, true);
      const resumedAt = now();
      expect(await advanceAndTake(nextMinute(resumedAt) - resumedAt, 1)).toEqual([expectedTick(job, nextMinute(resumedAt))]);
    });

    test('a disabled or deleted schedule stops delivering', async (ctx) => {
      requireCapability(ctx, harness(), 'recurringTicks');
      // Prepare
      const { scheduler, queueName, now } = harness();
      const [paused, deleted] = [uniqueName('job'), uniqueName('job')];
      await scheduler.putSchedules({ queue: queueName, job: paused }, [EVERY_MINUTE], true);
      await scheduler.putSchedules({ queue: queueName, job: deleted }, [EVERY_MINUTE], true);
      // Act
      await scheduler.setEnabled(paused, false);
      await scheduler.deleteSchedules(deleted);
      // Assess
      const start = now();
      expect(await advanceAndTake(nextMinute(start) + MINUTE - start, 0)).toEqual([]);
    });

    test('replaced schedules stop delivering and the new ones take over', async (ctx) => {
      requireCapability(ctx, harness(), 'virtualTime');
      // Prepare
      const { scheduler, queueName, now } = harness();
      const job = uniqueName('job');
      await scheduler.putSchedules({ queue: queueName, job }, [EVERY_MINUTE], true);
      // Act
      const hourly: CompiledSchedule = { expression: 'cron(0 * * * ? *)', timezone: 'UTC', source: '0 * * * *' };
      await scheduler.putSchedules({ queue: queueName, job }, [hourly], true);
      const start = now();
      const ticks = await advanceAndTake(60 * MINUTE, 1);
      // Assess: one tick, on the hour
      const nextHour = Math.floor(start / (60 * MINUTE)) * 60 * MINUTE + 60 * MINUTE;
      expect(ticks).toEqual([expectedTick(job, nextHour)]);
    });

    test('every schedule of a job delivers (a job compiled into two expressions)', async (ctx) => {
      requireCapability(ctx, harness(), 'virtualTime');
      // Prepare
      const { scheduler, queueName } = harness();
      const job = uniqueName('job');
      await scheduler.putSchedules(
        { queue: queueName, job },
        [
          { expression: 'cron(0 * * * ? *)', timezone: 'UTC', source: '0 * * * *' },
          { expression: 'cron(30 * * * ? *)', timezone: 'UTC', source: '30 * * * *' },
        ],
        true,
      );
      // Act
      const ticks = await advanceAndTake(60 * MINUTE, 2);
      // Assess: one at :00, one at :30, in a one-hour window
      expect(ticks.map((m) => new Date(m.scheduledAt!).getUTCMinutes()).sort()).toEqual([0, 30]);
    });

    test('a cron in a time zone fires at that zone’s local time', async (ctx) => {
      requireCapability(ctx, harness(), 'virtualTime');
      // Prepare: 09:00 in New York, whatever UTC offset applies that day
      const { scheduler, queueName } = harness();
      const job = uniqueName('job');
      const nineInNewYork: CompiledSchedule = { expression: 'cron(0 9 * * ? *)', timezone: 'America/New_York', source: '0 9 * * *' };
      await scheduler.putSchedules({ queue: queueName, job }, [nineInNewYork], true);
      // Act
      const ticks = await advanceAndTake(24 * 60 * MINUTE, 1);
      // Assess
      expect(ticks).toHaveLength(1);
      expect(localTime(ticks[0]!.scheduledAt!, 'America/New_York')).toBe('09:00');
    });

    test('day-of-week follows EventBridge numbering (1-7 = SUN-SAT): 2 is Monday', async (ctx) => {
      requireCapability(ctx, harness(), 'virtualTime');
      // Prepare
      const { scheduler, queueName } = harness();
      const job = uniqueName('job');
      const mondayNoon: CompiledSchedule = { expression: 'cron(0 12 ? * 2 *)', timezone: 'UTC', source: '0 12 * * 1' };
      await scheduler.putSchedules({ queue: queueName, job }, [mondayNoon], true);
      // Act
      const ticks = await advanceAndTake(7 * 24 * 60 * MINUTE, 1);
      // Assess
      expect(ticks).toHaveLength(1);
      const at = new Date(ticks[0]!.scheduledAt!);
      expect({ day: at.getUTCDay(), hour: at.getUTCHours(), minute: at.getUTCMinutes() }).toEqual({ day: 1, hour: 12, minute: 0 });
    });

    // ------------------------------------------------------------ one-time delivery

    test('scheduleOnce delivers the message exactly once, at its time', async () => {
      // Prepare
      const h = harness();
      const message = aFullRunMessage(uniqueName('job'));
      // Act
      await h.scheduler.scheduleOnce(h.queueName, message, h.now() + 1_000);
      // Assess: not before its time (exactly so on a virtual clock)
      expect(await takeDelivered()).toEqual([]);
      if (hasCapability(h, 'virtualTime')) {
        await h.advance(999);
        expect(await takeDelivered()).toEqual([]);
        expect(await advanceAndTake(1, 1)).toEqual([message]);
      } else {
        expect(await advanceAndTake(1_000, 1)).toEqual([message]);
      }
      // Assess: and never again
      await h.advance(2_000);
      expect(await takeDelivered()).toEqual([]);
    });

    test('scheduleOnce returns a distinct id for each delivery', async () => {
      const { scheduler, queueName, now } = harness();
      const job = uniqueName('job');
      const ids = await Promise.all([1, 2, 3].map((n) => scheduler.scheduleOnce(queueName, aRunMessage(job, { runId: `r${n}` }), now() + 60_000)));
      expect(new Set(ids).size).toBe(3);
      for (const id of ids) await scheduler.cancelOnce(id);
    });

    test('several one-time deliveries each arrive once', async () => {
      const { scheduler, queueName, now } = harness();
      const job = uniqueName('job');
      const messages = ['r1', 'r2'].map((runId) => aRunMessage(job, { runId }));
      for (const m of messages) await scheduler.scheduleOnce(queueName, m, now() + 1_000);
      const delivered = await advanceAndTake(1_000, 2);
      expect(delivered.map((m) => m.runId).sort()).toEqual(['r1', 'r2']);
    });

    test('cancelOnce prevents the delivery', async () => {
      // Prepare
      const { scheduler, queueName, now } = harness();
      const job = uniqueName('job');
      const cancelled = await scheduler.scheduleOnce(queueName, aRunMessage(job, { runId: 'cancelled' }), now() + 1_000);
      await scheduler.scheduleOnce(queueName, aRunMessage(job, { runId: 'kept' }), now() + 1_000);
      // Act
      await scheduler.cancelOnce(cancelled);
      // Assess: the other delivery still arrives, the cancelled one never does
      const delivered = await advanceAndTake(1_000, 1);
      await harness().advance(2_000);
      delivered.push(...(await takeDelivered()));
      expect(delivered.map((m) => m.runId)).toEqual(['kept']);
    });

    test('cancelOnce after the delivery happened, or of an unknown id, resolves', async () => {
      const { scheduler, queueName, now } = harness();
      const id = await scheduler.scheduleOnce(queueName, aRunMessage(uniqueName('job')), now() + 1_000);
      await advanceAndTake(1_000, 1);
      await expect(scheduler.cancelOnce(id)).resolves.toBeUndefined();
      await expect(scheduler.cancelOnce(uniqueName('once'))).resolves.toBeUndefined();
    });
  });
}

/** `HH:mm` of an ISO instant in `timeZone`. */
function localTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}
