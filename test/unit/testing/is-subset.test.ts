import { expect, test } from 'vitest';
import { virtualClock } from '../../../shared/adapters/clock.ts';
import { isSubset, trackTimers } from '../../../shared/testing/index.ts';

test.each([
  [{ to: 'a' }, { to: 'a', locale: 'fr' }, true],
  [{ to: 'a' }, { to: 'b' }, false],
  [{ user: { id: 1 } }, { user: { id: 1, name: 'x' } }, true],
  [{ ids: [1, 2] }, { ids: [1, 2] }, true],
  [{ ids: [1] }, { ids: [1, 2] }, false],
  [{ at: new Date(0) }, { at: new Date(0) }, true],
  [{}, { anything: true }, true],
  [{ missing: undefined }, {}, true],
  [{ n: 1 }, null, false],
  ['x', 'x', true],
])('isSubset(%j, %j) is %s', (expected, actual, result) => {
  expect(isSubset(expected, actual)).toBe(result);
});

test('trackTimers reports the earliest armed non-background timer', async () => {
  const clock = virtualClock(0);
  const tracked = trackTimers(clock);
  tracked.setTimer(5_000, () => {}, { background: true });
  const late = tracked.setTimer(3_000, () => {});
  tracked.setTimer(2_000, () => {});
  expect(tracked.nextDueAt()).toBe(2_000);
  await clock.advance(2_000);
  expect(tracked.nextDueAt()).toBe(3_000);
  tracked.clearTimer(late);
  expect(tracked.nextDueAt()).toBeUndefined();
});
