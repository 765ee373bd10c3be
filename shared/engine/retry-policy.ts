/**
 * The retry policy: how long to wait before the next attempt of a failed run.
 * Pure — randomness comes in as a {@link RandomSource}, so tests pin it.
 *
 * The formula, with `attempt` the 1-based attempt that just failed and `d` = `retryDelayMs`:
 *
 * | backoff       | base delay           |
 * |---------------|----------------------|
 * | `fixed`       | d                    |
 * | `linear`      | d × attempt          |
 * | `exponential` | d × 2^(attempt − 1)  |
 *
 * then `capped = min(base, retryMaxDelayMs)`, then jitter with `j` = `retryJitter` (0..1) and
 * `r` = `random()` in [0, 1): `jittered = capped × (1 + j × (2r − 1))`, i.e. spread uniformly
 * over `capped × [1 − j, 1 + j)`; finally the result is capped again by `retryMaxDelayMs`
 * (jitter never pushes a delay past the cap) and floored at 0, and rounded to whole ms.
 */
import type { RandomSource } from '../ports.ts';
import type { RetryBackoff } from '../types.ts';

/** The retry fields of a resolved job (`JobInfo` satisfies it). */
export interface RetryPolicy {
  /** Retries after the first attempt; a run has at most `maxRetries + 1` attempts. */
  readonly maxRetries: number;
  readonly retryDelayMs: number;
  readonly retryBackoff: RetryBackoff;
  readonly retryMaxDelayMs: number;
  /** 0..1 */
  readonly retryJitter: number;
}

/**
 * The delay before the attempt after `attempt`, without jitter (but capped).
 *
 * @example
 * baseRetryDelay({ maxRetries: 5, retryDelayMs: 1000, retryBackoff: 'exponential', retryMaxDelayMs: 60_000, retryJitter: 0 }, 3);
 * // 4000 (1 s × 2^2)
 */
export function baseRetryDelay(policy: RetryPolicy, attempt: number): number {
  const n = Math.max(1, Math.floor(attempt));
  let base: number;
  switch (policy.retryBackoff) {
    case 'fixed':
      base = policy.retryDelayMs;
      break;
    case 'linear':
      base = policy.retryDelayMs * n;
      break;
    case 'exponential':
      base = policy.retryDelayMs * 2 ** (n - 1);
      break;
    default: {
      const never: never = policy.retryBackoff;
      throw new TypeError(`unknown retryBackoff: ${String(never)}`);
    }
  }
  return Math.max(0, Math.min(base, policy.retryMaxDelayMs));
}

/**
 * The delay (ms) before the attempt after `attempt` (the 1-based attempt that just failed),
 * jitter included. See the module comment for the formula.
 *
 * @example
 * const policy = { maxRetries: 3, retryDelayMs: 2000, retryBackoff: 'linear', retryMaxDelayMs: 60_000, retryJitter: 0.5 } as const;
 * retryDelay(policy, 2, () => 0);   // 2000: 4000 × (1 − 0.5)
 * retryDelay(policy, 2, () => 0.5); // 4000: no spread at r = 0.5
 */
export function retryDelay(policy: RetryPolicy, attempt: number, random: RandomSource = Math.random): number {
  const capped = baseRetryDelay(policy, attempt);
  const j = Math.min(1, Math.max(0, policy.retryJitter));
  if (j === 0) return Math.round(capped);
  const r = random();
  const jittered = capped * (1 + j * (2 * r - 1));
  return Math.round(Math.max(0, Math.min(jittered, policy.retryMaxDelayMs)));
}

/**
 * Whether a run whose attempt `attempt` just failed may try again.
 *
 * @example
 * hasAttemptsLeft({ maxRetries: 3 }, 3); // true: attempt 4 is the last
 * hasAttemptsLeft({ maxRetries: 3 }, 4); // false
 */
export function hasAttemptsLeft(policy: Pick<RetryPolicy, 'maxRetries'>, attempt: number): boolean {
  return attempt <= policy.maxRetries;
}
