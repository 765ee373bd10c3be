/**
 * What `virtualClock()` offers beyond the Clock port (covered by memory-conformance.test.ts):
 * durations as `[n, unit]`, `advanceTo`, `settle`, `pendingTimers`, and its error messages.
 */
import { describe, expect, test } from 'vitest';
import { virtualClock } from '../../../shared/adapters/clock.ts';

const START = Date.parse('2026-01-05T10:00:00.000Z');

describe('virtualClock', () => {
  test.each([
    { start: START, as: 'epoch ms' },
    { start: new Date(START), as: 'a Date' },
    { start: '2026-01-05T10:00:00Z', as: 'an ISO string' },
  ])('starts at the instant given as $as', ({ start }) => {
    expect(virtualClock(start).now()).toBe(START);
  });

  test('rejects a start that is not a date', () => {
    expect(() => virtualClock('next tuesday')).toThrow('virtualClock(start): `start` must be a valid date, got: "next tuesday"');
  });

  test('advance accepts a duration as [n, unit]', async () => {
    const clock = virtualClock(START);
    await clock.advance([90, 'minutes']);
    expect(clock.now()).toBe(START + 90 * 60_000);
  });

  test.each([
    { duration: -1, shown: '-1' },
    { duration: [5, 'fortnights'], shown: '[5,"fortnights"]' },
  ])('advance rejects $shown with a message saying what is valid', async ({ duration }) => {
    const clock = virtualClock(START);
    await expect(clock.advance(duration as never)).rejects.toThrow(
      `clock.advance(duration): \`duration\` must be a number of ms >= 0 or [n, unit], got: ${JSON.stringify(duration)}`,
    );
  });

  test('advanceTo moves to an absolute instant and runs what falls due on the way', async () => {
    // Prepare
    const clock = virtualClock(START);
    const fired: number[] = [];
    clock.setTimer(START + 1_000, () => fired.push(clock.now()));
    // Act
    await clock.advanceTo(new Date(START + 5_000));
    // Assess
    expect(fired).toEqual([START + 1_000]);
    expect(clock.now()).toBe(START + 5_000);
  });

  test('advanceTo an instant already past does not move time back', async () => {
    const clock = virtualClock(START);
    await clock.advanceTo(START - 60_000);
    expect(clock.now()).toBe(START);
  });

  test('a timer due now runs on its own, without advance, once the event loop turns', async () => {
    const clock = virtualClock(START);
    const fired: string[] = [];
    clock.setTimer(START, () => fired.push('due now'));
    expect(fired).toEqual([]);
    await clock.settle();
    expect(fired).toEqual(['due now']);
  });

  test('pendingTimers counts armed timers, with or without background ones', () => {
    const clock = virtualClock(START);
    clock.setTimer(START + 1_000, () => {});
    const cleared = clock.setTimer(START + 2_000, () => {});
    clock.setTimer(START + 3_000, () => {}, { background: true });
    clock.clearTimer(cleared);
    expect(clock.pendingTimers()).toBe(2);
    expect(clock.pendingTimers({ includeBackground: false })).toBe(1);
  });
});
