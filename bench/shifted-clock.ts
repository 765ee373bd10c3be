/**
 * The real clock with its epoch shifted: `now()` is `Date.now() + offsetMs`, timers are real
 * `setTimeout`s armed for the same wall-clock instant. Time flows at the real rate with real
 * timer precision; only "what time it is" moves, so a minute boundary can be two seconds away
 * instead of up to sixty. Used by the fire-lateness benchmark to keep the run short.
 */
import { realClock, type Clock } from 'om-scheduler';

export function shiftedRealClock(offsetMs: number): Clock {
  const inner = realClock();
  return {
    now: () => Date.now() + offsetMs,
    setTimer: (atMs, fn, opts) => inner.setTimer(atMs - offsetMs, fn, opts),
    clearTimer: (handle) => inner.clearTimer(handle),
  };
}

/** The offset that puts the shifted clock `leadMs` before the next UTC minute boundary. */
export function offsetToNextMinute(leadMs: number, nowMs = Date.now()): number {
  const nextMinute = Math.ceil((nowMs + leadMs + 1) / 60_000) * 60_000;
  return nextMinute - leadMs - nowMs;
}
