/**
 * Clock adapters: the real clock (`Date.now` + `setTimeout`) and a virtual clock for tests
 * and compressed-time demos, on which time moves only when told to.
 */
import { parseDuration, type Duration } from '../duration.ts';
import type { Clock, TimerHandle } from '../ports.ts';

/** setTimeout's delay is a signed 32-bit int; longer waits are chained. */
const MAX_TIMEOUT_MS = 2_147_483_647;

interface HeapTimer {
  readonly id: number;
  readonly atMs: number;
  readonly fn: () => void;
}

/** Min-heap on (atMs, id): timers due at the same instant fire in the order they were set. */
class TimerHeap {
  private readonly items: HeapTimer[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): HeapTimer | undefined {
    return this.items[0];
  }
  push(t: HeapTimer): void {
    const a = this.items;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): HeapTimer | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

const before = (x: HeapTimer, y: HeapTimer): boolean => x.atMs < y.atMs || (x.atMs === y.atMs && x.id < y.id);

/**
 * The wall clock. All timers share one `setTimeout` armed for the earliest, so timers due
 * at the same instant fire in the order they were set (plain `setTimeout`s do not
 * guarantee that when set at different moments), and thousands of schedules cost one OS timer.
 *
 * @example
 * const rt = createLocalRuntime(config, { clock: realClock() });
 */
export function realClock(): Clock {
  let nextId = 1;
  const heap = new TimerHeap();
  const live = new Set<number>();
  let armed: { atMs: number; handle: NodeJS.Timeout } | undefined;

  const runDue = (): void => {
    armed = undefined;
    const now = Date.now();
    let failure: { error: unknown } | undefined;
    for (let t = heap.peek(); t && t.atMs <= now; t = heap.peek()) {
      heap.pop();
      if (!live.delete(t.id)) continue; // cleared
      try {
        t.fn();
      } catch (error) {
        failure ??= { error };
      }
    }
    arm();
    // Same as a throwing setTimeout callback, but only after the other due timers ran.
    if (failure) queueMicrotask(() => { throw failure.error; });
  };

  const arm = (): void => {
    while (heap.size > 0 && !live.has(heap.peek()!.id)) heap.pop();
    const first = heap.peek();
    if (!first) {
      if (armed) clearTimeout(armed.handle);
      armed = undefined;
      return;
    }
    if (armed && armed.atMs <= first.atMs) return;
    if (armed) clearTimeout(armed.handle);
    const wait = Math.min(Math.max(0, first.atMs - Date.now()), MAX_TIMEOUT_MS);
    armed = { atMs: first.atMs, handle: setTimeout(runDue, wait) };
  };

  return {
    now: () => Date.now(),
    setTimer(atMs, fn) {
      const id = nextId++;
      live.add(id);
      heap.push({ id, atMs, fn });
      arm();
      return { id };
    },
    clearTimer(handle) {
      live.delete(handle.id);
      if (live.size === 0) arm(); // lets the process exit when nothing is pending
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
