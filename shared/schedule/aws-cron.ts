/**
 * An independent evaluator of EventBridge Scheduler expressions under AWS's documented rules.
 * It shares no code with the compiler or with `nextRuns` (which uses cron-parser): it parses the
 * AWS syntax itself and walks candidate LOCAL times with `Intl`, so tests can use it as an oracle.
 *
 * Supported: `rate(N minute|minutes|hour|hours|day|days)` and `cron(min hour dom month dow year)`
 * with `*`, `?`, numbers, ranges, lists, `start/step` (not in day-of-week, as AWS documents),
 * `L` in day-of-month, JAN-DEC and SUN-SAT (1-7 = SUN-SAT). Not supported: `W`, `#`, `L` in
 * day-of-week (the compiler never emits them).
 *
 * DST, as AWS documents it (re:Post "eventbridge-scheduler-adjust-dst"): a local time that does
 * not exist (spring forward) is skipped; a local time that occurs twice (fall back) runs once —
 * here at its first occurrence. `rate(N days)` is N × 24 h of elapsed time, not calendar days.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const LAST_YEAR = 2199; // AWS cron years run 1970-2199

/** Options of {@link awsNextRuns}. */
export interface AwsNextRunsOptions {
  /**
   * When a `rate(...)` schedule started: AWS fires a rate schedule without StartDate right when
   * it is created, then every period. @default fromMs
   */
  readonly anchorMs?: number;
}

/**
 * The next `count` instants (ms since epoch) strictly after `fromMs` at which EventBridge
 * Scheduler fires `expression` in `timezone`.
 *
 * @throws {Error} for an expression outside the supported subset.
 * @example
 * awsNextRuns('cron(0 6 * * ? *)', 'Europe/Berlin', Date.UTC(2025, 0, 1), 2);
 * // [Date.UTC(2025, 0, 1, 5), Date.UTC(2025, 0, 2, 5)]
 */
export function awsNextRuns(
  expression: string,
  timezone: string,
  fromMs: number,
  count: number,
  opts: AwsNextRunsOptions = {},
): number[] {
  if (count <= 0) return [];
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2]!;
    if (n < 1 || (n === 1) !== !unit.endsWith('s')) throw new Error(`invalid AWS rate expression: ${expression}`);
    const unitMs = unit.startsWith('minute') ? MINUTE_MS : unit.startsWith('hour') ? 3_600_000 : DAY_MS;
    const period = n * unitMs;
    const anchor = opts.anchorMs ?? fromMs;
    const first = Math.max(0, Math.floor((fromMs - anchor) / period) + 1);
    return Array.from({ length: count }, (_, i) => anchor + (first + i) * period);
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) throw new Error(`not an AWS schedule expression: ${expression}`);
  return cronRuns(parseAwsCron(cron[1]!, expression), new Zone(timezone), fromMs, count);
}

interface AwsCron {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  /** null = `?` */
  readonly dom: { readonly days: ReadonlySet<number>; readonly last: boolean } | null;
  readonly months: ReadonlySet<number>;
  /** null = `?`; values 1-7 = SUN-SAT */
  readonly dow: ReadonlySet<number> | null;
  readonly years: ReadonlySet<number> | null;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function parseAwsCron(body: string, expression: string): AwsCron {
  const bad = (why: string): never => {
    throw new Error(`invalid AWS cron expression ${expression}: ${why}`);
  };
  const f = body.split(' ');
  if (f.length !== 6) bad('expected 6 fields');
  const [mi, h, dom, mo, dow, y] = f as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) bad('exactly one of day-of-month and day-of-week must be ?');

  const list = (text: string, min: number, max: number, names: string[] | null, base: number, steps: boolean): number[] => {
    const out = new Set<number>();
    for (const item of text.split(',')) {
      const m = /^([^/]+)(?:\/(\d+))?$/.exec(item);
      if (!m) return bad(`bad item ${item}`);
      if (m[2] !== undefined && !steps) bad(`no increments allowed in ${text}`);
      const step = m[2] === undefined ? 1 : Number(m[2]);
      if (step < 1) bad(`bad increment in ${item}`);
      const value = (t: string): number => {
        if (/^\d+$/.test(t)) return Number(t);
        const i = names?.indexOf(t) ?? -1;
        return i === -1 ? bad(`bad value ${t}`) : i + base;
      };
      let lo: number;
      let hi: number;
      if (m[1] === '*') [lo, hi] = [min, max];
      else if (m[1]!.includes('-')) {
        const [a, b] = m[1]!.split('-') as [string, string];
        [lo, hi] = [value(a), value(b)];
      } else {
        lo = value(m[1]!);
        hi = m[2] === undefined ? lo : max;
      }
      if (lo < min || hi > max || lo > hi) bad(`out of range: ${item}`);
      for (let v = lo; v <= hi; v += step) out.add(v);
    }
    return [...out].sort((a, b) => a - b);
  };

  let domSpec: AwsCron['dom'] = null;
  if (dom !== '?') {
    const items = dom.split(',');
    const last = items.includes('L');
    const rest = items.filter((i) => i !== 'L').join(',');
    domSpec = { days: new Set(rest === '' ? [] : list(rest, 1, 31, null, 0, true)), last };
  }
  return {
    minutes: list(mi, 0, 59, null, 0, true),
    hours: list(h, 0, 23, null, 0, true),
    dom: domSpec,
    months: new Set(list(mo, 1, 12, MONTHS, 1, true)),
    dow: dow === '?' ? null : new Set(list(dow, 1, 7, DAYS, 1, false)),
    years: y === '*' ? null : new Set(list(y, 1970, LAST_YEAR, null, 0, true)),
  };
}

/** Local wall time <-> instants in one IANA zone, straight from Intl. */
class Zone {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly cache = new Map<number, number>();
  constructor(timezone: string) {
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
  }

  /** Offset in ms (wall − UTC) at a minute-aligned instant. */
  offsetAt(instant: number): number {
    const hit = this.cache.get(instant);
    if (hit !== undefined) return hit;
    const p: Record<string, number> = {};
    for (const part of this.fmt.formatToParts(new Date(instant))) p[part.type] = Number(part.value);
    const wall = Date.UTC(p['year']!, p['month']! - 1, p['day']!, p['hour']!, p['minute']!);
    const offset = wall - instant;
    this.cache.set(instant, offset);
    return offset;
  }

  /** Every instant whose local wall time is `wall` (wall time written as if it were UTC): 0, 1 or 2. */
  instantsOf(wall: number): number[] {
    const candidates = new Set([this.offsetAt(wall - DAY_MS), this.offsetAt(wall), this.offsetAt(wall + DAY_MS)]);
    const out: number[] = [];
    for (const offset of candidates) {
      const t = wall - offset;
      if (this.offsetAt(t) === offset && !out.includes(t)) out.push(t);
    }
    return out.sort((a, b) => a - b);
  }
}

function cronRuns(c: AwsCron, zone: Zone, fromMs: number, count: number): number[] {
  const out: number[] = [];
  // Start a day early in wall time: a local day can begin up to 14 h before its UTC date.
  let day = Math.floor((fromMs + zone.offsetAt(Math.floor(fromMs / MINUTE_MS) * MINUTE_MS)) / DAY_MS) * DAY_MS - DAY_MS;
  for (;;) {
    const date = new Date(day);
    const year = date.getUTCFullYear();
    if (year > LAST_YEAR) return out;
    const month = date.getUTCMonth() + 1;
    if (dayMatches(c, date, year, month)) {
      // One offset for the whole day unless it changes within it (checked with margins).
      const before = zone.offsetAt(day - DAY_MS);
      const steady = before === zone.offsetAt(day + 2 * DAY_MS);
      for (const h of c.hours) {
        for (const mi of c.minutes) {
          const wall = day + h * 3_600_000 + mi * MINUTE_MS;
          // AWS: a wall time that does not exist is skipped; one that occurs twice runs once (first).
          const t = steady ? wall - before : zone.instantsOf(wall)[0];
          if (t !== undefined && t > fromMs) {
            out.push(t);
          }
        }
      }
      if (out.length >= count) return out.sort((a, b) => a - b).slice(0, count);
    }
    day += DAY_MS;
  }
}

function dayMatches(c: AwsCron, date: Date, year: number, month: number): boolean {
  if (c.years !== null && !c.years.has(year)) return false;
  if (!c.months.has(month)) return false;
  if (c.dom !== null) {
    const d = date.getUTCDate();
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return c.dom.days.has(d) || (c.dom.last && d === lastDay);
  }
  return c.dow!.has(date.getUTCDay() + 1);
}
