/**
 * Explicit outcomes a handler (or `Worker#perform`) may return. Returning anything else —
 * or nothing — is success; throwing is failure (retried per the job's policy).
 *
 * @example
 * async perform({ args }) {
 *   if (rateLimited) return retry(30_000);   // run again in 30 s
 *   if (!args.userId) return discard('no user'); // stop; not dead-lettered
 *   if (userGone) return cancel('user deleted'); // stop; marked cancelled
 *   if (bad) return fail('upstream said 500');   // failure; retried, then dead-lettered
 * }
 */
const OUTCOME = Symbol.for('om-scheduler.outcome');

export type Outcome =
  | { readonly [OUTCOME]: true; readonly kind: 'retry'; readonly delayMs: number }
  | { readonly [OUTCOME]: true; readonly kind: 'cancel'; readonly reason: string }
  | { readonly [OUTCOME]: true; readonly kind: 'discard'; readonly reason: string }
  | { readonly [OUTCOME]: true; readonly kind: 'fail'; readonly reason: string };

/** Run again after `ms` milliseconds (counts as an attempt; bounded by `maxRetries`). */
export function retry(ms: number): Outcome {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`retry(ms): \`ms\` must be a finite number >= 0, got: ${ms}`);
  }
  return { [OUTCOME]: true, kind: 'retry', delayMs: ms };
}

/** Stop now and mark the run cancelled; `onCancel` runs; no retry, no dead letter. */
export function cancel(reason = 'cancelled'): Outcome {
  return { [OUTCOME]: true, kind: 'cancel', reason };
}

/** Stop now and drop the run: no retry, not dead-lettered. */
export function discard(reason = 'discarded'): Outcome {
  return { [OUTCOME]: true, kind: 'discard', reason };
}

/** Fail this attempt (same as throwing): retried per policy, dead-lettered when exhausted. */
export function fail(reason: string): Outcome {
  return { [OUTCOME]: true, kind: 'fail', reason };
}

export function isOutcome(value: unknown): value is Outcome {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[OUTCOME] === true;
}
