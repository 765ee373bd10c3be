/**
 * What every conformance suite shares: the harness contract an adapter provides, the
 * capability flags that say what an engine can be asked to do quickly, and helpers.
 *
 * A suite never imports an adapter. It receives a `setup()` that builds a fresh harness
 * before each test (and `cleanup()` after it), so the same suite runs against the
 * in-memory adapters on a virtual clock and against the AWS adapters on an emulator.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach } from 'vitest';

/**
 * What an engine can do fast enough (or exactly enough) for a test. Tests that need a
 * capability the harness does not declare are reported as skipped, with the reason.
 * Every flag defaults to `false`: a new adapter runs the portable subset first.
 */
export interface Capabilities {
  /**
   * `advance()` moves a virtual clock: it returns at once, time is exact to the millisecond,
   * and long waits (hours, days) cost nothing. Enables sub-second boundary assertions
   * ("still invisible 1 ms before the timeout") and calendar checks (time zones, weekdays).
   * @default false
   */
  readonly virtualTime?: boolean;
  /**
   * The suite may wait for recurring schedules to fire: about two minutes of `advance()` per
   * test. Set it on a real-time engine only for a slow (nightly) run.
   * @default the value of `virtualTime`
   */
  readonly recurringTicks?: boolean;
  /**
   * Delivery order within one priority is strictly first-in first-out. SQS standard queues
   * order on a best-effort basis only; without this flag the suites check priority order alone.
   * @default false
   */
  readonly strictOrder?: boolean;
}

/** Time as the engine sees it. */
export interface TimeControl {
  /** The engine's current time, epoch ms (`clock.now()`, or `Date.now()` on AWS). */
  now(): number;
  /**
   * Lets `ms` milliseconds pass: a virtual clock advance, or a real sleep on AWS (where the
   * harness should add a small margin for the service's own granularity).
   */
  advance(ms: number): Promise<void>;
}

/** Fields every harness may carry. */
export interface HarnessBase {
  /** Runs after each test: delete what `setup()` created. */
  cleanup?(): Promise<void>;
  readonly capabilities?: Capabilities;
}

/** A capability with its default applied. */
export function hasCapability(harness: HarnessBase, name: keyof Capabilities): boolean {
  const caps = harness.capabilities ?? {};
  if (name === 'recurringTicks') return caps.recurringTicks ?? caps.virtualTime ?? false;
  return caps[name] ?? false;
}

/** The minimal slice of vitest's test context the suites use to skip at run time. */
export interface SkipContext {
  readonly skip: (condition: boolean, note?: string) => void;
}

/** Skips the running test (reported as skipped, with why) unless the harness has `name`. */
export function requireCapability(ctx: SkipContext, harness: HarnessBase, name: keyof Capabilities): void {
  ctx.skip(!hasCapability(harness, name), `needs capability \`${name}\``);
}

/**
 * Registers `beforeEach(setup)` / `afterEach(cleanup)` in the current `describe` and returns
 * a getter for the harness of the running test. Call it at the top of a suite's `describe`.
 */
export function useHarness<H extends HarnessBase>(setup: () => Promise<H>): () => H {
  let current: H | undefined;
  beforeEach(async () => {
    current = await setup();
  });
  afterEach(async () => {
    const h = current;
    current = undefined;
    await h?.cleanup?.();
  });
  return () => {
    if (!current) throw new Error('conformance harness used outside a test (setup() has not run)');
    return current;
  };
}

/**
 * A name no other test uses, valid as a job name, an SQS queue name, a Scheduler schedule
 * name and a DynamoDB key: `prefix_` + 10 lowercase hex characters.
 *
 * @example
 * uniqueName('lock'); // 'lock_3fa2c09b1e'
 */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

