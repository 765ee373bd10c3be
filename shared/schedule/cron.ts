/**
 * Parser for standard 5-field cron (`minute hour day-of-month month day-of-week`) and the
 * `@daily`-style macros. It turns a user's string into sets of values per field, which the
 * compiler then renders as EventBridge Scheduler expressions.
 *
 * Day-of-month / day-of-week semantics follow cron-parser (the library the previews use), so
 * both agree on every string: a day field counts as "restricted" unless it is exactly `*` (or
 * `?`). When both day fields are restricted a day matches if EITHER matches; when one is
 * restricted only that one decides. Note that this makes `*\/2` in day-of-month restricted (it
 * is not exactly `*`), unlike Vixie cron, which treats any field starting with `*` as a wildcard.
 */

/** The five fields of a standard cron expression, named as in messages. */
export type CronFieldName = 'minute' | 'hour' | 'day-of-month' | 'month' | 'day-of-week';

/** A parsed, normalized cron expression. All value lists are sorted and free of duplicates. */
export interface CronSpec {
  /** The user's string, trimmed. */
  readonly source: string;
  /** The 5-field form (macros expanded), e.g. `0 0 * * *` for `@daily`. */
  readonly fields: string;
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  /** Numeric days of the month, 1-31 (without `L`). */
  readonly daysOfMonth: readonly number[];
  /** `L` appeared in day-of-month: the last day of each month. */
  readonly lastDayOfMonth: boolean;
  /** 1-12. */
  readonly months: readonly number[];
  /** 0-6, 0 = Sunday (a written `7` is folded onto 0). */
  readonly daysOfWeek: readonly number[];
  /** Day-of-month is anything but `*` / `?` (cron-parser's rule). */
  readonly dayOfMonthRestricted: boolean;
  /** Day-of-week is anything but `*` / `?` (cron-parser's rule). */
  readonly dayOfWeekRestricted: boolean;
}

/** The macros standard cron (and cron-parser) know, with their 5-field meaning. */
export const CRON_MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
  '@minutely': '* * * * *',
};

const MACRO_LIST = Object.keys(CRON_MACROS).join(', ');
const SHAPE = `be a cron expression with 5 fields (minute hour day-of-month month day-of-week) or one of ${MACRO_LIST}`;

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
/** Longest month lengths; February counts 29 so Feb 29 stays valid (it occurs in leap years). */
const MAX_DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

interface FieldRule {
  readonly name: CronFieldName;
  readonly min: number;
  readonly max: number;
  /** What is valid, phrased to follow "must use": `minute values from 0 to 59`. */
  readonly valid: string;
  readonly names?: readonly string[];
  /** The offset of `names[0]` (1 for months, 0 for days of week). */
  readonly nameBase?: number;
  /** What a name in this field is called in messages. */
  readonly nameKind?: string;
  readonly dayField?: boolean;
}

const RULES: readonly FieldRule[] = [
  { name: 'minute', min: 0, max: 59, valid: 'minute values from 0 to 59' },
  { name: 'hour', min: 0, max: 23, valid: 'hour values from 0 to 23' },
  { name: 'day-of-month', min: 1, max: 31, valid: 'day-of-month values from 1 to 31 or L', dayField: true },
  {
    name: 'month',
    min: 1,
    max: 12,
    valid: 'month values from 1 to 12 or JAN-DEC',
    names: MONTH_NAMES,
    nameBase: 1,
    nameKind: 'a month name',
  },
  {
    name: 'day-of-week',
    min: 0,
    max: 7,
    valid: 'day-of-week values from 0 to 7 (0 and 7 = Sunday) or SUN-SAT',
    names: DAY_NAMES,
    nameBase: 0,
    nameKind: 'a day name',
    dayField: true,
  },
];

/**
 * A cron string the parser cannot accept. `expected` is phrased to follow "must" and names the
 * cron field, the offending token and what is valid, so the compiler can put it straight into a
 * {@link ConfigIssue}.
 */
export class CronSyntaxError extends Error {
  readonly source: string;
  readonly expected: string;
  readonly cronField?: CronFieldName;
  readonly token?: string;
  constructor(source: string, expected: string, cronField?: CronFieldName, token?: string) {
    super(`cron ${JSON.stringify(source)} must ${expected}`);
    this.name = 'CronSyntaxError';
    this.source = source;
    this.expected = expected;
    if (cronField !== undefined) this.cronField = cronField;
    if (token !== undefined) this.token = token;
  }
}

/**
 * Parses a standard 5-field cron string or macro into value sets.
 *
 * Accepted: `*`, numbers, `a-b`, `*\/n`, `a-b/n`, `a/n` (from a to the field's end), lists of
 * those, month names JAN-DEC and day names SUN-SAT in any case, `L` (last day) in
 * day-of-month, `7` or `0` for Sunday, `?` as an alias of `*` in the day fields, and the macros
 * `@yearly @annually @monthly @weekly @daily @midnight @hourly @minutely` in any case.
 *
 * @throws {CronSyntaxError} naming the field, the token and the valid range.
 * @example
 * const spec = parseCron('*\/15 9-17 * * MON-FRI');
 * spec.minutes;            // [0, 15, 30, 45]
 * spec.daysOfWeek;         // [1, 2, 3, 4, 5]
 * spec.dayOfWeekRestricted; // true
 */
export function parseCron(input: string): CronSpec {
  const source = input.trim();
  if (source === '') {
    throw new CronSyntaxError(source, `${SHAPE} (found an empty string)`);
  }
  let fields = source;
  if (source.startsWith('@')) {
    const macro = CRON_MACROS[source.toLowerCase()];
    if (macro === undefined) {
      throw new CronSyntaxError(source, `${SHAPE} (unknown macro "${source}")`, undefined, source);
    }
    fields = macro;
  }
  const parts = fields.split(/\s+/);
  if (parts.length !== 5) {
    const found = parts.length === 1 ? '1 field' : `${parts.length} fields`;
    throw new CronSyntaxError(source, `${SHAPE} (found ${found})`);
  }
  const sets = parts.map((part, i) => parseField(source, part, RULES[i]!));
  const [minutes, hours, dom, months, dow] = sets as [FieldValues, FieldValues, FieldValues, FieldValues, FieldValues];
  const daysOfWeek = [...new Set(dow.values.map((d) => d % 7))].sort((a, b) => a - b);
  const isWildcard = (raw: string): boolean => raw === '*' || raw === '?';
  const spec: CronSpec = {
    source,
    fields: parts.join(' '),
    minutes: minutes.values,
    hours: hours.values,
    daysOfMonth: dom.values,
    lastDayOfMonth: dom.last,
    months: months.values,
    daysOfWeek,
    dayOfMonthRestricted: !isWildcard(parts[2]!),
    dayOfWeekRestricted: !isWildcard(parts[4]!),
  };
  assertDayExists(spec, parts[2]!, parts[3]!);
  return spec;
}

interface FieldValues {
  readonly values: readonly number[];
  readonly last: boolean;
}

function parseField(source: string, raw: string, rule: FieldRule): FieldValues {
  const fail = (token: string, problem: string): never => {
    throw new CronSyntaxError(source, `use ${rule.valid} (${rule.name} field: "${token}" ${problem})`, rule.name, token);
  };
  const values = new Set<number>();
  let last = false;
  for (const item of raw.split(',')) {
    if (item === '') fail(raw, 'has an empty list item');
    if (item === 'L' && rule.name === 'day-of-month') {
      last = true;
      continue;
    }
    const slash = item.indexOf('/');
    const base = slash === -1 ? item : item.slice(0, slash);
    let step = 1;
    if (slash !== -1) {
      const stepText = item.slice(slash + 1);
      if (!/^\d+$/.test(stepText)) fail(item, 'has a step that is not a whole number');
      step = Number(stepText);
      if (step === 0) fail(item, 'has step 0; steps start at 1');
    }
    let from: number;
    let to: number;
    if (base === '*' || (base === '?' && rule.dayField === true)) {
      from = rule.min;
      to = rule.max;
    } else {
      const dash = base.indexOf('-');
      if (dash === -1) {
        from = parseValue(base, rule, item, fail);
        // `a/n` runs from a to the end of the field, as in cron-parser and Vixie cron.
        to = slash === -1 ? from : rule.max;
      } else {
        from = parseValue(base.slice(0, dash), rule, item, fail);
        to = parseValue(base.slice(dash + 1), rule, item, fail);
        if (from > to) fail(item, 'is a reversed range; write the low end first');
      }
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return { values: [...values].sort((a, b) => a - b), last };
}

function parseValue(text: string, rule: FieldRule, item: string, fail: (token: string, problem: string) => never): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < rule.min || n > rule.max) fail(item, 'is out of range');
    return n;
  }
  if (/^[A-Za-z]+$/.test(text) && rule.names !== undefined) {
    const index = rule.names.indexOf(text.toUpperCase());
    if (index === -1) fail(item, `is not ${rule.nameKind}`);
    return index + (rule.nameBase ?? 0);
  }
  return fail(item, 'is not a number, range or step');
}

/**
 * Rejects a day-of-month that never occurs in any of the chosen months (`0 0 30 2 *`): such a
 * job would silently never run (cron-parser refuses it too).
 */
function assertDayExists(spec: CronSpec, domRaw: string, monthRaw: string): void {
  if (!spec.dayOfMonthRestricted || spec.lastDayOfMonth) return;
  const smallest = spec.daysOfMonth[0];
  if (smallest === undefined) return;
  if (spec.months.some((m) => smallest <= MAX_DAYS_IN_MONTH[m - 1]!)) return;
  throw new CronSyntaxError(
    spec.source,
    `name a day of the month that exists in a chosen month (day-of-month field: "${domRaw}" never occurs in month field "${monthRaw}")`,
    'day-of-month',
    domRaw,
  );
}
