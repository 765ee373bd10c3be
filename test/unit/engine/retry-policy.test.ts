import { describe, expect, test } from 'vitest';
import { seededRandom } from '../../../shared/testing/seeded-random.ts';
import { baseRetryDelay, hasAttemptsLeft, retryDelay, type RetryPolicy } from '../../../shared/engine/retry-policy.ts';

const policy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
  maxRetries: 5,
  retryDelayMs: 1_000,
  retryBackoff: 'exponential',
  retryMaxDelayMs: 60_000,
  retryJitter: 0,
  ...overrides,
});


describe('retry delays without jitter', () => {
  test.each([
    ['fixed', 1, 1_000],
    ['fixed', 2, 1_000],
    ['fixed', 5, 1_000],
    ['linear', 1, 1_000],
    ['linear', 2, 2_000],
    ['linear', 5, 5_000],
    ['exponential', 1, 1_000],
    ['exponential', 2, 2_000],
    ['exponential', 3, 4_000],
    ['exponential', 5, 16_000],
  ] as const)('%s backoff after attempt %i waits %i ms', (retryBackoff, attempt, expected) => {
    // Prepare
    const p = policy({ retryBackoff });
    // Act
    const delay = retryDelay(p, attempt, () => 0.9);
    // Assess
    expect(delay).toBe(expected);
  });

  test.each([
    ['exponential', 10, 60_000],
    ['linear', 100, 60_000],
    ['fixed', 1, 5_000],
  ] as const)('%s backoff after attempt %i is capped by retryMaxDelay at %i ms', (retryBackoff, attempt, expected) => {
    const p = policy({ retryBackoff, retryDelayMs: retryBackoff === 'fixed' ? 10_000 : 1_000, retryMaxDelayMs: retryBackoff === 'fixed' ? 5_000 : 60_000 });
    expect(baseRetryDelay(p, attempt)).toBe(expected);
    expect(retryDelay(p, attempt)).toBe(expected);
  });
});

describe('retry jitter', () => {
  test('r = 0 gives the lowest delay: delay × (1 − jitter)', () => {
    expect(retryDelay(policy({ retryJitter: 0.25, retryBackoff: 'fixed', retryDelayMs: 8_000 }), 1, () => 0)).toBe(6_000);
  });

  test('r = 1 gives the highest delay: delay × (1 + jitter)', () => {
    expect(retryDelay(policy({ retryJitter: 0.25, retryBackoff: 'fixed', retryDelayMs: 8_000 }), 1, () => 1)).toBe(10_000);
  });

  test('r = 0.5 leaves the delay unchanged', () => {
    expect(retryDelay(policy({ retryJitter: 1, retryBackoff: 'linear', retryDelayMs: 3_000 }), 2, () => 0.5)).toBe(6_000);
  });

  test('jitter never pushes a delay past retryMaxDelay', () => {
    const p = policy({ retryJitter: 0.5, retryBackoff: 'exponential', retryDelayMs: 1_000, retryMaxDelayMs: 10_000 });
    // 2^9 s is capped to 10 s; r = 1 would make it 15 s, capped again to 10 s.
    expect(retryDelay(p, 10, () => 1)).toBe(10_000);
    expect(retryDelay(p, 10, () => 0)).toBe(5_000);
  });

  test('jitter of 1 with r = 0 gives 0, never a negative delay', () => {
    expect(retryDelay(policy({ retryJitter: 1, retryBackoff: 'fixed' }), 1, () => 0)).toBe(0);
  });

  test('a thousand seeded samples all stay within delay × [1 − jitter, 1 + jitter]', () => {
    // Prepare
    const random = seededRandom(42);
    const p = policy({ retryJitter: 0.25, retryBackoff: 'exponential', retryDelayMs: 1_000 });
    // Act
    const samples = Array.from({ length: 1_000 }, (_, i) => ({ attempt: (i % 5) + 1, delay: retryDelay(p, (i % 5) + 1, random) }));
    // Assess
    for (const { attempt, delay } of samples) {
      const base = 1_000 * 2 ** (attempt - 1);
      expect(delay).toBeGreaterThanOrEqual(Math.round(base * 0.75));
      expect(delay).toBeLessThanOrEqual(Math.round(base * 1.25));
    }
    expect(new Set(samples.map((s) => s.delay)).size).toBeGreaterThan(100);
  });
});

describe('attempts left', () => {
  test.each([
    [3, 1, true],
    [3, 3, true],
    [3, 4, false],
    [0, 1, false],
  ])('with maxRetries %i, after attempt %i another attempt is allowed: %s', (maxRetries, attempt, expected) => {
    expect(hasAttemptsLeft({ maxRetries }, attempt)).toBe(expected);
  });
});
