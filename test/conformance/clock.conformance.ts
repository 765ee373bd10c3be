/**
 * Clock conformance: timers fire in time order, once, not before their time; timers set by
 * timers run; cleared timers do not; the promise chain a timer starts settles before the
 * next timer fires. On a virtual clock (`virtualTime`) the same tests check exact times,
 * and `runUntilIdle` (when given) is checked against background timers.
 *
 * Real clocks are exercised with waits of a few tens of milliseconds only.
 */
import { describe, expect, test } from 'vitest';
import type { Clock } from '../../shared/ports.ts';
import { type HarnessBase, hasCapability, requireCapability, useHarness } from './harness.ts';

export interface ClockHarness extends HarnessBase {
  readonly clock: Clock;
  /** Lets `ms` pass: `virtualClock.advance(ms)`, or a real sleep. */
  advance(ms: number): Promise<void>;
  /** `virtualClock.runUntilIdle()`; absent on a real clock. */
  runUntilIdle?(): Promise<void>;
}

/** Gap between timers: exact on a virtual clock, and wide enough for a real one's jitter. */
const STEP_MS = 10;
/** A real clock's slack: how long past the last due time the suite waits. */
const SLACK_MS = 40;
/** How early by `Date.now()` a real `setTimeout` may fire. */
const REAL_EARLY_MS = 2;

/**
 * Registers the Clock conformance suite for one adapter.
 *
 * @example
 * describeClockConformance('virtual', async () => {
 *   const clock = virtualClock('2026-01-05T10:00:00Z');
 *   return { clock, advance: (ms) => clock.advance(ms), runUntilIdle: () => clock.runUntilIdle(), capabilities: { virtualTime: true } };
 * });
 */
export function describeClockConformance(adapterName: string, setup: () => Promise<ClockHarness>): void {
  describe(`Clock conformance (${adapterName})`, () => {
    const harness = useHarness(setup);

    /** Waits until `ms` after the call; a real clock gets some slack on top. */
    async function letPass(ms: number): Promise<void> {
      const h = harness();
      await h.advance(hasCapability(h, 'virtualTime') ? ms : ms + SLACK_MS);
    }

    test('now() is epoch milliseconds and does not go backwards', async () => {
      const { clock } = harness();
      const a = clock.now();
      await letPass(STEP_MS);
      const b = clock.now();
      expect(Number.isInteger(a)).toBe(true);
      expect(b).toBeGreaterThanOrEqual(a + STEP_MS);
    });

    test('a timer fires once, no earlier than its time', async () => {
      // Prepare
      const { clock } = harness();
      const due = clock.now() + 2 * STEP_MS;
      const firedAt: number[] = [];
      // Act
      clock.setTimer(due, () => firedAt.push(clock.now()));
      // Assess
      expect(firedAt).toEqual([]);
      await letPass(2 * STEP_MS);
      await letPass(2 * STEP_MS);
      expect(firedAt).toHaveLength(1);
      // Node's timers run off a cached loop time and may fire a millisecond early by Date.now().
      expect(firedAt[0]).toBeGreaterThanOrEqual(hasCapability(harness(), 'virtualTime') ? due : due - REAL_EARLY_MS);
    });

    test('timers fire in time order, not in the order they were set', async () => {
      // Prepare
      const { clock } = harness();
      const t = clock.now();
      const order: string[] = [];
      clock.setTimer(t + 3 * STEP_MS, () => order.push('third'));
      clock.setTimer(t + 1 * STEP_MS, () => order.push('first'));
      clock.setTimer(t + 2 * STEP_MS, () => order.push('second'));
      // Act
      await letPass(3 * STEP_MS);
      // Assess
      expect(order).toEqual(['first', 'second', 'third']);
    });

    test('timers due at the same instant fire in the order they were set', async () => {
      // Both clocks keep their timers ordered by (due time, creation), so this holds for
      // timers set at different moments too — plain setTimeouts would not promise it.
      const { clock } = harness();
      const due = clock.now() + STEP_MS;
      const order: number[] = [];
      for (const n of [1, 2, 3, 4, 5, 6]) {
        clock.setTimer(due, () => order.push(n));
        for (let i = 0; i < 20_000; i++) Math.sqrt(i); // let Date.now() move between the calls
      }
      await letPass(STEP_MS);
      expect(order).toEqual([1, 2, 3, 4, 5, 6]);
    });

    test('on a virtual clock, now() inside a timer is the timer’s due time, and after advance it is start + ms', async (ctx) => {
      requireCapability(ctx, harness(), 'virtualTime');
      const { clock, advance } = harness();
      const t = clock.now();
      const seen: number[] = [];
      clock.setTimer(t + 250, () => seen.push(clock.now()));
      clock.setTimer(t + 100, () => seen.push(clock.now()));
      await advance(1_000);
      expect(seen).toEqual([t + 100, t + 250]);
      expect(clock.now()).toBe(t + 1_000);
    });

    test('a timer set by a timer runs in the same wait if it falls due within it, and not before its time', async () => {
      // Prepare
      const h = harness();
      const { clock } = h;
      const t = clock.now();
      const fired: string[] = [];
      clock.setTimer(t + STEP_MS, () => {
        fired.push('outer');
        clock.setTimer(t + 2 * STEP_MS, () => fired.push('inner, in the window'));
        clock.setTimer(t + 100 * STEP_MS, () => fired.push('inner, beyond the window'));
      });
      // Act
      await letPass(3 * STEP_MS);
      // Assess
      expect(fired).toEqual(['outer', 'inner, in the window']);
    });

    test('a timer set in the past fires at the next opportunity', async () => {
      const { clock } = harness();
      const fired: string[] = [];
      clock.setTimer(clock.now() - 60_000, () => fired.push('late'));
      await letPass(0);
      expect(fired).toEqual(['late']);
    });

    test('a cleared timer never fires, and clearing twice is harmless', async () => {
      // Prepare
      const { clock } = harness();
      const t = clock.now();
      const fired: string[] = [];
      const cleared = clock.setTimer(t + STEP_MS, () => fired.push('cleared'));
      clock.setTimer(t + 2 * STEP_MS, () => fired.push('kept'));
      // Act
      clock.clearTimer(cleared);
      clock.clearTimer(cleared);
      await letPass(3 * STEP_MS);
      // Assess
      expect(fired).toEqual(['kept']);
    });

    test('a timer can clear a later timer before it fires', async () => {
      const { clock } = harness();
      const t = clock.now();
      const fired: string[] = [];
      const later = clock.setTimer(t + 2 * STEP_MS, () => fired.push('later'));
      clock.setTimer(t + STEP_MS, () => {
        fired.push('first');
        clock.clearTimer(later);
      });
      await letPass(3 * STEP_MS);
      expect(fired).toEqual(['first']);
    });

    test('timer handles have distinct ids', () => {
      const { clock } = harness();
      const handles = [1, 2, 3].map(() => clock.setTimer(clock.now() + 60_000, () => {}));
      expect(new Set(handles.map((h) => h.id)).size).toBe(3);
      for (const h of handles) clock.clearTimer(h);
    });

    test('the promise chain a timer starts settles before the next timer fires', async () => {
      // Prepare: a timer doing async work (as a job handler does), then a later timer
      const { clock } = harness();
      const t = clock.now();
      const log: string[] = [];
      clock.setTimer(t + STEP_MS, () => {
        void (async () => {
          log.push('a: start');
          for (let i = 0; i < 10; i++) await Promise.resolve();
          log.push('a: done');
        })();
      });
      clock.setTimer(t + 2 * STEP_MS, () => log.push('b'));
      // Act
      await letPass(2 * STEP_MS);
      // Assess
      expect(log).toEqual(['a: start', 'a: done', 'b']);
    });

    test('on a virtual clock, a timer’s chain may also hop through the event loop (setImmediate) and still settle first', async (ctx) => {
      // A real clock gives this only when the timers are far enough apart, so it is not checked there.
      requireCapability(ctx, harness(), 'virtualTime');
      const { clock, advance } = harness();
      const t = clock.now();
      const log: string[] = [];
      clock.setTimer(t + 1, () => {
        void (async () => {
          await new Promise<void>((resolve) => setImmediate(resolve));
          log.push('a: after an event-loop turn');
        })();
      });
      clock.setTimer(t + 1, () => log.push('b, due at the same instant'));
      clock.setTimer(t + 2, () => log.push('c'));
      await advance(2);
      expect(log).toEqual(['a: after an event-loop turn', 'b, due at the same instant', 'c']);
    });

    test('advance returns only once the chain started by the last timer has settled', async () => {
      const { clock } = harness();
      const log: string[] = [];
      clock.setTimer(clock.now() + STEP_MS, () => {
        void (async () => {
          for (let i = 0; i < 10; i++) await Promise.resolve();
          log.push('settled');
        })();
      });
      await letPass(STEP_MS);
      expect(log).toEqual(['settled']);
    });

    test('runUntilIdle runs every pending timer, including those set along the way', async (ctx) => {
      const h = harness();
      ctx.skip(!h.runUntilIdle, 'the clock has no runUntilIdle');
      requireCapability(ctx, h, 'virtualTime');
      // Prepare: a retry chain — each attempt schedules the next one a bit later
      const { clock } = h;
      const t = clock.now();
      const attempts: number[] = [];
      const attempt = (n: number): void => {
        attempts.push(clock.now() - t);
        if (n < 4) clock.setTimer(clock.now() + n * 1_000, () => attempt(n + 1));
      };
      clock.setTimer(t + 1_000, () => attempt(1));
      // Act
      await h.runUntilIdle!();
      // Assess
      expect(attempts).toEqual([1_000, 2_000, 4_000, 7_000]);
      expect(clock.now()).toBe(t + 7_000);
    });

    test('runUntilIdle does not keep going for background timers, but runs those due before the last foreground one', async (ctx) => {
      const h = harness();
      ctx.skip(!h.runUntilIdle, 'the clock has no runUntilIdle');
      requireCapability(ctx, h, 'virtualTime');
      // Prepare: a recurring tick every second (re-arming itself forever) and one delayed job
      const { clock } = h;
      const t = clock.now();
      const ticks: number[] = [];
      const tick = (at: number): void => {
        ticks.push(at - t);
        clock.setTimer(at + 1_000, () => tick(at + 1_000), { background: true });
      };
      clock.setTimer(t + 1_000, () => tick(t + 1_000), { background: true });
      let delayedRanAt: number | undefined;
      clock.setTimer(t + 4_500, () => (delayedRanAt = clock.now() - t));
      // Act
      await h.runUntilIdle!();
      // Assess
      expect(delayedRanAt).toBe(4_500);
      expect(ticks).toEqual([1_000, 2_000, 3_000, 4_000]);
      expect(clock.now()).toBe(t + 4_500);
    });

    test('runUntilIdle with only background timers returns without moving time', async (ctx) => {
      const h = harness();
      ctx.skip(!h.runUntilIdle, 'the clock has no runUntilIdle');
      requireCapability(ctx, h, 'virtualTime');
      const { clock } = h;
      const t = clock.now();
      const fired: string[] = [];
      clock.setTimer(t + 60_000, () => fired.push('tick'), { background: true });
      await h.runUntilIdle!();
      expect(fired).toEqual([]);
      expect(clock.now()).toBe(t);
    });
  });
}
