/**
 * Shared tables for the schedule tests: standard cron strings with the exact AWS expressions
 * they compile to, and DST cases with the instants AWS documents. Helpers evaluate both sides:
 * cron-parser on the SOURCE string, the independent AWS-rules oracle on the emitted expressions.
 */
import { CronExpressionParser } from 'cron-parser';
import { awsNextRuns } from '../../../shared/schedule/aws-cron.ts';

export interface CronCase {
  readonly source: string;
  readonly timezone: string;
  readonly expected: readonly string[];
  /** How many runs to compare (default 120); fewer for sparse schedules. */
  readonly runs?: number;
  /** Start of the comparison window (default 2025-01-06T00:00:00Z, a Monday). */
  readonly from?: string;
  /** The same schedule in a form cron-parser reads, where it lacks the macro or its case. */
  readonly cronParserSource?: string;
}

export const DEFAULT_FROM = '2025-01-06T00:00:00Z';

export const CRON_CASES: readonly CronCase[] = [
  // minutes
  { source: '* * * * *', timezone: 'UTC', expected: ['cron(* * * * ? *)'] },
  { source: '0 * * * *', timezone: 'UTC', expected: ['cron(0 * * * ? *)'] },
  { source: '*/5 * * * *', timezone: 'UTC', expected: ['cron(0/5 * * * ? *)'] },
  { source: '*/7 * * * *', timezone: 'UTC', expected: ['cron(0/7 * * * ? *)'] },
  { source: '0,30 9 * * *', timezone: 'UTC', expected: ['cron(0/30 9 * * ? *)'] },
  { source: '15,45 * * * *', timezone: 'UTC', expected: ['cron(15,45 * * * ? *)'] },
  { source: '5/15 * * * *', timezone: 'UTC', expected: ['cron(5,20,35,50 * * * ? *)'] },
  { source: '10-20 * * * *', timezone: 'UTC', expected: ['cron(10-20 * * * ? *)'] },
  { source: '10-50/10 8 * * *', timezone: 'UTC', expected: ['cron(10,20,30,40,50 8 * * ? *)'] },
  { source: '0-4,30,58-59 12 * * *', timezone: 'UTC', expected: ['cron(0-4,30,58,59 12 * * ? *)'] },
  // hours
  { source: '0 */6 * * *', timezone: 'UTC', expected: ['cron(0 0/6 * * ? *)'] },
  { source: '0 9-17/2 * * *', timezone: 'UTC', expected: ['cron(0 9,11,13,15,17 * * ? *)'] },
  { source: '0 0-23 * * *', timezone: 'UTC', expected: ['cron(0 * * * ? *)'] },
  { source: ' 0  6 * * * ', timezone: 'UTC', expected: ['cron(0 6 * * ? *)'] },
  // day of month, L
  { source: '0 0 1 * *', timezone: 'UTC', expected: ['cron(0 0 1 * ? *)'], runs: 24 },
  { source: '0 0 1,15 * *', timezone: 'UTC', expected: ['cron(0 0 1,15 * ? *)'], runs: 48 },
  { source: '0 0 1-7 * *', timezone: 'UTC', expected: ['cron(0 0 1-7 * ? *)'] },
  { source: '0 0 */2 * *', timezone: 'UTC', expected: ['cron(0 0 1/2 * ? *)'] },
  { source: '0 0 L * *', timezone: 'UTC', expected: ['cron(0 0 L * ? *)'], runs: 30 },
  { source: '0 0 15,L * *', timezone: 'UTC', expected: ['cron(0 0 15 * ? *)', 'cron(0 0 L * ? *)'], runs: 48 },
  { source: '0 0 29 2 *', timezone: 'UTC', expected: ['cron(0 0 29 2 ? *)'], runs: 5 },
  // months, names in any case
  { source: '0 0 1 */3 *', timezone: 'UTC', expected: ['cron(0 0 1 1/3 ? *)'], runs: 12 },
  { source: '0 0 1 JAN,APR,JUL,OCT *', timezone: 'UTC', expected: ['cron(0 0 1 1/3 ? *)'], runs: 12 },
  { source: '0 12 * jun-Aug *', timezone: 'UTC', expected: ['cron(0 12 * 6-8 ? *)'], runs: 200 },
  { source: '0 12 1 FEB,nov *', timezone: 'UTC', expected: ['cron(0 12 1 2,11 ? *)'], runs: 10 },
  // days of week: AWS 1-7 = SUN-SAT, 7 = Sunday in standard cron
  { source: '0 0 * * 0', timezone: 'UTC', expected: ['cron(0 0 ? * 1 *)'], runs: 30 },
  { source: '0 0 * * 7', timezone: 'UTC', expected: ['cron(0 0 ? * 1 *)'], runs: 30 },
  { source: '0 0 * * SUN', timezone: 'UTC', expected: ['cron(0 0 ? * 1 *)'], runs: 30 },
  { source: '0 8 * * MON-FRI', timezone: 'UTC', expected: ['cron(0 8 ? * 2-6 *)'] },
  { source: '0 8 * * sat,Sun', timezone: 'UTC', expected: ['cron(0 8 ? * 1,7 *)'] },
  { source: '0 0 * * 5-7', timezone: 'UTC', expected: ['cron(0 0 ? * 1,6,7 *)'] },
  { source: '0 0 * * */2', timezone: 'UTC', expected: ['cron(0 0 ? * 1,3,5,7 *)'] },
  { source: '0 0 * * 0-6', timezone: 'UTC', expected: ['cron(0 0 * * ? *)'] },
  { source: '0 0 ? * MON', timezone: 'UTC', expected: ['cron(0 0 ? * 2 *)'], runs: 30 },
  // both day fields restricted: either matches -> two schedules
  { source: '30 8 1 * MON', timezone: 'UTC', expected: ['cron(30 8 1 * ? *)', 'cron(30 8 ? * 2 *)'], runs: 60 },
  { source: '0 0 */10 * 1', timezone: 'UTC', expected: ['cron(0 0 1/10 * ? *)', 'cron(0 0 ? * 2 *)'], runs: 60 },
  { source: '0 0 13 * FRI', timezone: 'UTC', expected: ['cron(0 0 13 * ? *)', 'cron(0 0 ? * 6 *)'], runs: 60 },
  { source: '0 0 L * FRI', timezone: 'UTC', expected: ['cron(0 0 L * ? *)', 'cron(0 0 ? * 6 *)'], runs: 60 },
  { source: '0 0 1,15,L * 3', timezone: 'UTC', expected: ['cron(0 0 1,15 * ? *)', 'cron(0 0 L * ? *)', 'cron(0 0 ? * 4 *)'], runs: 60 },
  { source: '0 0 1-31 * MON', timezone: 'UTC', expected: ['cron(0 0 * * ? *)'] },
  { source: '0 0 1 * 0-6', timezone: 'UTC', expected: ['cron(0 0 * * ? *)'] },
  // macros, any case
  { source: '@yearly', timezone: 'UTC', expected: ['cron(0 0 1 1 ? *)'], runs: 5 },
  { source: '@annually', timezone: 'UTC', expected: ['cron(0 0 1 1 ? *)'], runs: 5 },
  { source: '@monthly', timezone: 'UTC', expected: ['cron(0 0 1 * ? *)'], runs: 24 },
  { source: '@weekly', timezone: 'UTC', expected: ['cron(0 0 ? * 1 *)'], runs: 30 },
  { source: '@daily', timezone: 'UTC', expected: ['cron(0 0 * * ? *)'] },
  { source: '@midnight', timezone: 'UTC', expected: ['cron(0 0 * * ? *)'], cronParserSource: '0 0 * * *' },
  { source: '@DAILY', timezone: 'UTC', expected: ['cron(0 0 * * ? *)'], cronParserSource: '0 0 * * *' },
  { source: '@hourly', timezone: 'UTC', expected: ['cron(0 * * * ? *)'] },
  { source: '@minutely', timezone: 'UTC', expected: ['cron(* * * * ? *)'], cronParserSource: '* * * * *' },
  // time zones: windows cross DST changes at times that exist exactly once
  { source: '0 6 * * *', timezone: 'America/New_York', expected: ['cron(0 6 * * ? *)'], runs: 300 },
  { source: '0 6 * * *', timezone: 'Europe/Berlin', expected: ['cron(0 6 * * ? *)'], runs: 300 },
  { source: '0 6 * * *', timezone: 'Australia/Sydney', expected: ['cron(0 6 * * ? *)'], runs: 300 },
  { source: '0 9-17 * * 1-5', timezone: 'America/New_York', expected: ['cron(0 9-17 ? * 2-6 *)'], runs: 300, from: '2025-03-03T00:00:00Z' },
  { source: '*/15 4-23 * * *', timezone: 'Europe/Berlin', expected: ['cron(0/15 4-23 * * ? *)'], runs: 300, from: '2025-10-24T00:00:00Z' },
  { source: '0 0 * * *', timezone: 'Asia/Kolkata', expected: ['cron(0 0 * * ? *)'] },
  { source: '45 23 L * *', timezone: 'Pacific/Auckland', expected: ['cron(45 23 L * ? *)'], runs: 24 },
  { source: '0 12 * * 1-5', timezone: 'Asia/Tokyo', expected: ['cron(0 12 ? * 2-6 *)'] },
];

export interface DstCase {
  readonly name: string;
  readonly source: string;
  readonly timezone: string;
  readonly expected: readonly string[];
  readonly from: string;
  /** AWS's documented instants (skip what does not exist, run a repeated time once). */
  readonly aws: readonly string[];
  /** Instants cron-parser adds where it departs from AWS's rule (empty when they agree). */
  readonly cronParserExtra: readonly string[];
}

export const DST_CASES: readonly DstCase[] = [
  {
    name: 'New York spring forward: 02:30 does not exist on 2025-03-09, AWS skips it (cron-parser differs: runs it at 03:30 EDT)',
    source: '30 2 * * *',
    timezone: 'America/New_York',
    expected: ['cron(30 2 * * ? *)'],
    from: '2025-03-08T00:00:00Z',
    aws: ['2025-03-08T07:30:00.000Z', '2025-03-10T06:30:00.000Z', '2025-03-11T06:30:00.000Z'],
    cronParserExtra: ['2025-03-09T07:30:00.000Z'],
  },
  {
    name: 'New York fall back: 01:30 occurs twice on 2025-11-02, it runs once, at the first (EDT) occurrence',
    source: '30 1 * * *',
    timezone: 'America/New_York',
    expected: ['cron(30 1 * * ? *)'],
    from: '2025-11-01T00:00:00Z',
    aws: ['2025-11-01T05:30:00.000Z', '2025-11-02T05:30:00.000Z', '2025-11-03T06:30:00.000Z'],
    cronParserExtra: [],
  },
  {
    name: 'New York fall back: every 20 minutes runs the repeated hour once (cron-parser differs: runs it twice)',
    source: '*/20 * * * *',
    timezone: 'America/New_York',
    expected: ['cron(0/20 * * * ? *)'],
    from: '2025-11-02T04:50:00Z',
    aws: [
      '2025-11-02T05:00:00.000Z',
      '2025-11-02T05:20:00.000Z',
      '2025-11-02T05:40:00.000Z',
      '2025-11-02T07:00:00.000Z',
      '2025-11-02T07:20:00.000Z',
    ],
    cronParserExtra: ['2025-11-02T06:00:00.000Z', '2025-11-02T06:20:00.000Z', '2025-11-02T06:40:00.000Z'],
  },
  {
    name: 'Berlin spring forward: 02:30 does not exist on 2025-03-30, AWS skips it (cron-parser differs: runs it at 03:30 CEST)',
    source: '30 2 * * *',
    timezone: 'Europe/Berlin',
    expected: ['cron(30 2 * * ? *)'],
    from: '2025-03-29T00:00:00Z',
    aws: ['2025-03-29T01:30:00.000Z', '2025-03-31T00:30:00.000Z', '2025-04-01T00:30:00.000Z'],
    cronParserExtra: ['2025-03-30T01:30:00.000Z'],
  },
  {
    name: 'Berlin fall back: 02:30 occurs twice on 2025-10-26, it runs once, at the first (CEST) occurrence',
    source: '30 2 * * *',
    timezone: 'Europe/Berlin',
    expected: ['cron(30 2 * * ? *)'],
    from: '2025-10-25T00:00:00Z',
    aws: ['2025-10-25T00:30:00.000Z', '2025-10-26T00:30:00.000Z', '2025-10-27T01:30:00.000Z'],
    cronParserExtra: [],
  },
  {
    name: 'Berlin fall back: hourly runs the repeated 02:00 once (cron-parser differs: runs it twice)',
    source: '0 * * * *',
    timezone: 'Europe/Berlin',
    expected: ['cron(0 * * * ? *)'],
    from: '2025-10-25T22:30:00Z',
    aws: ['2025-10-25T23:00:00.000Z', '2025-10-26T00:00:00.000Z', '2025-10-26T02:00:00.000Z', '2025-10-26T03:00:00.000Z'],
    cronParserExtra: ['2025-10-26T01:00:00.000Z'],
  },
  {
    name: 'Sydney spring forward: 02:30 does not exist on 2025-10-05, AWS skips it (cron-parser differs: runs it at 03:30 AEDT)',
    source: '30 2 * * *',
    timezone: 'Australia/Sydney',
    expected: ['cron(30 2 * * ? *)'],
    from: '2025-10-04T00:00:00Z',
    aws: ['2025-10-05T15:30:00.000Z', '2025-10-06T15:30:00.000Z', '2025-10-07T15:30:00.000Z'],
    cronParserExtra: ['2025-10-04T16:30:00.000Z'],
  },
  {
    name: 'Sydney fall back: 02:30 occurs twice on 2025-04-06, it runs once, at the first (AEDT) occurrence',
    source: '30 2 * * *',
    timezone: 'Australia/Sydney',
    expected: ['cron(30 2 * * ? *)'],
    from: '2025-04-05T00:00:00Z',
    aws: ['2025-04-05T15:30:00.000Z', '2025-04-06T16:30:00.000Z', '2025-04-07T16:30:00.000Z'],
    cronParserExtra: [],
  },
];

/** cron-parser's next `count` runs of a standard cron string, strictly after `fromMs`. */
export function cronParserRuns(source: string, timezone: string, fromMs: number, count: number): number[] {
  const iterator = CronExpressionParser.parse(source.trim(), { currentDate: new Date(fromMs), tz: timezone });
  return iterator.take(count).map((d) => d.getTime());
}

/** The oracle's union of several AWS expressions: next `count` distinct instants after `fromMs`. */
export function awsUnion(expressions: readonly string[], timezone: string, fromMs: number, count: number): number[] {
  const all = expressions.flatMap((e) => awsNextRuns(e, timezone, fromMs, count));
  return [...new Set(all)].sort((a, b) => a - b).slice(0, count);
}

export const iso = (instants: readonly number[]): string[] => instants.map((t) => new Date(t).toISOString());
