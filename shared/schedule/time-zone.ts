/**
 * IANA time zone helpers on top of `Intl` (no dependency): validation, UTC offsets and the
 * instants where a zone's offset changes (DST transitions).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, f);
  }
  return f;
}

/**
 * Checks a time zone the way EventBridge Scheduler's `ScheduleExpressionTimezone` needs it:
 * an IANA name Intl knows (`Europe/Berlin`, `UTC`), spelled in its canonical case.
 * Returns `undefined` when valid, else the phrase for the message (following "must").
 *
 * @example
 * timeZoneProblem('Europe/Berlin'); // undefined
 * timeZoneProblem('Mars/Olympus');  // 'be an IANA time zone name such as "Europe/Berlin" or "UTC"'
 */
export function timeZoneProblem(timezone: unknown): string | undefined {
  const expected = 'be an IANA time zone name such as "Europe/Berlin" or "UTC"';
  // Intl in newer engines also takes offsets like "+01:00"; AWS wants a zone name.
  if (typeof timezone !== 'string' || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(timezone)) return expected;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    return expected;
  }
  if (resolved !== timezone && resolved.toLowerCase() === timezone.toLowerCase()) {
    return `${expected} (names are case-sensitive: "${resolved}")`;
  }
  return undefined;
}

/**
 * The zone's offset from UTC in minutes at an instant (UTC+2 -> 120).
 *
 * @example
 * offsetMinutes('America/New_York', Date.UTC(2025, 0, 1)); // -300
 */
export function offsetMinutes(timezone: string, atMs: number): number {
  const seconds = Math.floor(atMs / 1000) * 1000;
  const p = formatterFor(timezone).formatToParts(new Date(seconds));
  let y = 0;
  let mo = 0;
  let d = 0;
  let h = 0;
  let mi = 0;
  let s = 0;
  for (const part of p) {
    switch (part.type) {
      case 'year':
        y = Number(part.value);
        break;
      case 'month':
        mo = Number(part.value);
        break;
      case 'day':
        d = Number(part.value);
        break;
      case 'hour':
        h = Number(part.value);
        break;
      case 'minute':
        mi = Number(part.value);
        break;
      case 'second':
        s = Number(part.value);
        break;
      default:
        break;
    }
  }
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  return Math.round((wall - seconds) / 60_000);
}

/** A change of a zone's UTC offset: at `atMs` the offset goes from `offsetBeforeMin` to `offsetAfterMin`. */
export interface DstTransition {
  readonly atMs: number;
  readonly offsetBeforeMin: number;
  readonly offsetAfterMin: number;
}

const MINUTE = 60_000;
/** Probe spacing; zones never change offset twice within this span. */
const PROBE_MS = 6 * 3_600_000;
const yearCache = new Map<string, readonly DstTransition[]>();

function transitionsOfYear(timezone: string, year: number): readonly DstTransition[] {
  const key = `${timezone}|${year}`;
  const cached = yearCache.get(key);
  if (cached !== undefined) return cached;
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const found: DstTransition[] = [];
  // Start one minute early so a change exactly at midnight of 1 January lands in this year.
  let prevAt = start - MINUTE;
  let prevOffset = offsetMinutes(timezone, prevAt);
  for (let at = start; ; at = Math.min(at + PROBE_MS, end)) {
    const offset = offsetMinutes(timezone, at);
    if (offset !== prevOffset) {
      // Bisect on whole minutes: the change happens at the first minute with the new offset.
      let lo = Math.floor(prevAt / MINUTE);
      let hi = Math.floor(at / MINUTE);
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetMinutes(timezone, mid * MINUTE) === prevOffset) lo = mid;
        else hi = mid;
      }
      const atMs = hi * MINUTE;
      found.push({ atMs, offsetBeforeMin: prevOffset, offsetAfterMin: offset });
    }
    if (at === end) break;
    prevAt = at;
    prevOffset = offset;
  }
  // A change exactly at the next 1 January belongs to the next year.
  const result = found.filter((t) => t.atMs < end);
  yearCache.set(key, result);
  if (yearCache.size > 10_000) yearCache.clear();
  return result;
}

/**
 * The offset changes of `timezone` with `fromMs < atMs <= toMs`, oldest first. The plan CLI
 * uses it to flag runs around DST changes.
 *
 * @example
 * dstTransitions('Europe/Berlin', Date.UTC(2025, 0, 1), Date.UTC(2026, 0, 1));
 * // [ { atMs: Date.UTC(2025, 2, 30, 1), offsetBeforeMin: 60, offsetAfterMin: 120 },
 * //   { atMs: Date.UTC(2025, 9, 26, 1), offsetBeforeMin: 120, offsetAfterMin: 60 } ]
 */
export function dstTransitions(timezone: string, fromMs: number, toMs: number): DstTransition[] {
  if (!(toMs > fromMs)) return [];
  const out: DstTransition[] = [];
  const firstYear = new Date(fromMs).getUTCFullYear();
  const lastYear = new Date(toMs).getUTCFullYear();
  for (let year = firstYear; year <= lastYear; year++) {
    for (const t of transitionsOfYear(timezone, year)) {
      if (t.atMs > fromMs && t.atMs <= toMs) out.push(t);
    }
  }
  return out;
}
