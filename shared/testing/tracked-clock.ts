/**
 * A clock wrapper that knows its armed timers, so the sandbox can move a virtual clock from
 * one timer to the next while a single attempt runs (`performJob`).
 */
import type { Clock, TimerHandle } from '../ports.ts';

export interface TrackedClock extends Clock {
  /** The earliest armed non-background timer, or `undefined` when none is armed. */
  nextDueAt(): number | undefined;
}

/**
 * @example
 * const tracked = trackTimers(virtualClock());
 * tracked.setTimer(tracked.now() + 500, () => {});
 * tracked.nextDueAt(); // now + 500
 */
export function trackTimers(clock: Clock): TrackedClock {
  const armed = new Map<number, { atMs: number; background: boolean }>();
  return {
    now: () => clock.now(),
    setTimer(atMs, fn, opts) {
      let handle: TimerHandle | undefined;
      handle = clock.setTimer(
        atMs,
        () => {
          if (handle) armed.delete(handle.id);
          fn();
        },
        opts,
      );
      armed.set(handle.id, { atMs, background: opts?.background === true });
      return handle;
    },
    clearTimer(handle) {
      armed.delete(handle.id);
      clock.clearTimer(handle);
    },
    nextDueAt() {
      let best: number | undefined;
      for (const t of armed.values()) if (!t.background && (best === undefined || t.atMs < best)) best = t.atMs;
      return best;
    },
  };
}
