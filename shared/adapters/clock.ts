/**
 * Clock adapters: the real clock (`Date.now` + `setTimeout`) and a virtual clock for tests
 * and compressed-time demos, on which time moves only when told to.
 */
import { parseDuration, type Duration } from '../duration.ts';
import type { Clock, TimerHandle } from '../ports.ts';

/** setTimeout's delay is a signed 32-bit int; longer timers are chained. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * The wall clock. Timers are `setTimeout`s (chained past ~24.8 days).
 *
 * @example
 * const rt = createLocalRuntime(config, { clock: realClock() });
 */
export function realClock(): Clock {
  let nextId = 1;
  const live = new Map<number, NodeJS.Timeout>();
  const arm = (id: number, atMs: number, fn: () => void): void => {
    const wait = Math.max(0, atMs - Date.now());
    const t = setTimeout(
      () => {
        if (wait > MAX_TIMEOUT_MS) return arm(id, atMs, fn);
        live.delete(id);
        fn();
      },
      Math.min(wait, MAX_TIMEOUT_MS),
    );
    live.set(id, t);
  };
  return {
    now: () => Date.now(),
    setTimer(atMs, fn) {
      const id = nextId++;
      arm(id, atMs, fn);
      return { id };
    },
    clearTimer(handle) {
      const t = live.get(handle.id);
      if (t !== undefined) clearTimeout(t);
      live.delete(handle.id);
    },
  };
}

/** A clock that moves only when told to. Returned by `virtualClock()`. */
export interface VirtualClock extends Clock {
  /**
   * Moves time forward by `duration`, running every timer that falls due, in time order,
   * and letting the promise chains each one starts settle before the next runs.
   */
  advance(duration: Duration): Promise<void>;
  /** Moves time to an absolute instant (no-op if already past). */
  advanceTo(at: Date | number): Promise<void>;
  /**
   * Runs all pending work: every non-background timer (retries, delays, timeouts), moving
   * time to each in turn, until only background timers (recurring schedules) remain.
   */
  runUntilIdle(): Promise<void>;
  /** Lets pending promise chains settle without moving time. */
  settle(): Promise<void>;
  /** Number of armed timers (background included unless told otherwise). */
  pendingTimers(opts?: { includeBackground?: boolean }): number;
}

interface VirtualTimer {
  readonly id: number;
  readonly atMs: number;
  readonly fn: () => void;
  readonly background: boolean;
}

const SETTLE_ROUNDS = 3;
const IDLE_GUARD = 1_000_000;

function toEpochMs(start: Date | number | string | undefined): number {
  if (start === undefined) return Date.now();
  if (typeof start === 'number') return start;
  const ms = typeof start === 'string' ? Date.parse(start) : start.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`virtualClock(start): \`start\` must be a valid date, got: ${JSON.stringify(start)}`);
  return ms;
}

/**
 * A virtual clock starting at `start` (default: now). Timers due at the current instant
 * run on their own (as `setTimeout(fn, 0)` would); later ones wait for `advance`.
 *
 * @example
 * const clock = virtualClock('2027-01-04T00:00:00Z');
 * const rt = createLocalRuntime(config, { clock });
 * rt.start();
 * await clock.advance([1, 'hour']); // every schedule tick, retry and timeout in that hour runs
 */
export function virtualClock(start?: Date | number | string): VirtualClock {
  let now = toEpochMs(start);
  let nextId = 1;
  const timers = new Map<number, VirtualTimer>();
  let pumpScheduled = false;

  const settle = async (): Promise<void> => {
    for (let i = 0; i < SETTLE_ROUNDS; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  };

  /** The earliest timer due at or before `limit` (ties: creation order). */
  const earliest = (limit: number, includeBackground = true): VirtualTimer | undefined => {
    let best: VirtualTimer | undefined;
    for (const t of timers.values()) {
      if (t.atMs > limit || (!includeBackground && t.background)) continue;
      if (!best || t.atMs < best.atMs || (t.atMs === best.atMs && t.id < best.id)) best = t;
    }
    return best;
  };

  const fire = (t: VirtualTimer): void => {
    timers.delete(t.id);
    if (t.atMs > now) now = t.atMs;
    t.fn();
  };

  /** Runs timers already due, like the event loop would, without moving time. */
  const pumpDue = (): void => {
    pumpScheduled = false;
    for (let t = earliest(now); t; t = earliest(now)) fire(t);
  };

  const clock: VirtualClock = {
    now: () => now,
    setTimer(atMs, fn, opts) {
      const id = nextId++;
      timers.set(id, { id, atMs, fn, background: opts?.background === true });
      if (atMs <= now && !pumpScheduled) {
        pumpScheduled = true;
        setImmediate(pumpDue);
      }
      return { id } satisfies TimerHandle;
    },
    clearTimer(handle) {
      timers.delete(handle.id);
    },
    async advance(duration) {
      const ms = parseDuration(duration);
      if (ms === undefined || ms < 0) {
        throw new RangeError(`clock.advance(duration): \`duration\` must be a number of ms >= 0 or [n, unit], got: ${JSON.stringify(duration)}`);
      }
      await clock.advanceTo(now + ms);
    },
    async advanceTo(at) {
      const target = typeof at === 'number' ? at : at.getTime();
      await settle();
      for (let t = earliest(target); t; t = earliest(target)) {
        fire(t);
        await settle();
      }
      if (target > now) now = target;
      await settle();
    },
    async runUntilIdle() {
      await settle();
      for (let i = 0; i < IDLE_GUARD; i++) {
        const next = earliest(Number.POSITIVE_INFINITY, false);
        if (!next) return;
        // Background timers due before it run first, in order, as they would in real time.
        await clock.advanceTo(next.atMs);
      }
      throw new Error(`clock.runUntilIdle(): still busy after ${IDLE_GUARD} timers — is something re-arming itself forever?`);
    },
    settle,
    pendingTimers(opts) {
      let n = 0;
      for (const t of timers.values()) if (opts?.includeBackground !== false || !t.background) n++;
      return n;
    },
  };
  return clock;
}
