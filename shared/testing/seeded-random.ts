/**
 * A small seeded PRNG (mulberry32): pass it as a runtime's `random` so retry jitter — and so
 * every retry instant — is the same on every run.
 *
 * @example
 * const rt = createLocalRuntime(config, { clock: virtualClock(), random: seededRandom(42) });
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
