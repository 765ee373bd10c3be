/**
 * Durations as users write them: milliseconds as a number, or `[n, unit]`.
 *
 * @example
 * toMs([5, 'minutes']); // 300_000
 * toMs(1500);           // 1500
 */
export const DURATION_UNITS = {
  millisecond: 1,
  milliseconds: 1,
  ms: 1,
  second: 1_000,
  seconds: 1_000,
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
  week: 604_800_000,
  weeks: 604_800_000,
} as const;

export type DurationUnit = keyof typeof DURATION_UNITS;

/** Milliseconds as a number, or `[n, unit]` such as `[30, 'seconds']`. */
export type Duration = number | readonly [number, DurationUnit];

/** Valid unit names, for error messages. */
export const DURATION_UNIT_NAMES = Object.keys(DURATION_UNITS) as DurationUnit[];

/**
 * Converts a {@link Duration} to milliseconds, or returns `undefined` when it is not a
 * well-formed duration (the caller owns the error message, which names the job and field).
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (Array.isArray(value) && value.length === 2) {
    const [n, unit] = value as [unknown, unknown];
    if (typeof n !== 'number' || !Number.isFinite(n)) return undefined;
    if (typeof unit !== 'string' || !(unit in DURATION_UNITS)) return undefined;
    return n * DURATION_UNITS[unit as DurationUnit];
  }
  return undefined;
}

/** Like {@link parseDuration} but throws a plain `TypeError` for malformed input. */
export function toMs(value: Duration): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new TypeError(`not a duration: ${JSON.stringify(value)}`);
  return ms;
}

/** Human form used in messages and tables: `1.5 s`, `5 min`, `2 h`. */
export function formatMs(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${+(ms / 1_000).toFixed(3)} s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(2)} min`;
  if (ms < 86_400_000) return `${+(ms / 3_600_000).toFixed(2)} h`;
  return `${+(ms / 86_400_000).toFixed(2)} d`;
}
