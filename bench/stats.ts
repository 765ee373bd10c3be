/** Small statistics helpers for the benchmarks. */

/** The p-th percentile (0..100) by nearest rank; `NaN` for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** Rounds to `digits` decimals (report figures). */
export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Resolves after the event loop has run once more (lets queued work progress). */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
