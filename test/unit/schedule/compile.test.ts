import { describe, expect, test } from 'vitest';
import { compileSchedules } from '../../../shared/schedule/compile.ts';
import { awsNextRuns } from '../../../shared/schedule/aws-cron.ts';
import { CRON_CASES, DEFAULT_FROM, DST_CASES, awsUnion, cronParserRuns, iso } from './schedule-cases.ts';

describe('compileSchedules turns standard cron into EventBridge Scheduler expressions', () => {
  test('the table holds at least 45 cron cases', () => {
    expect(CRON_CASES.length).toBeGreaterThanOrEqual(45);
  });

  test.each(CRON_CASES)('"$source" in $timezone compiles to $expected', ({ source, timezone, expected }) => {
    // Act
    const schedules = compileSchedules('job', { cron: source, timezone });

    // Assess
    expect(schedules).toEqual(expected.map((expression) => ({ expression, timezone, source: source.trim() })));
  });

  test.each(CRON_CASES)(
    '"$source" in $timezone: AWS fires the emitted expressions at exactly the instants cron-parser gives for the source',
    ({ source, timezone, expected, runs = 120, from = DEFAULT_FROM, cronParserSource }) => {
      // Prepare
      const fromMs = Date.parse(from);

      // Act
      const aws = awsUnion(expected, timezone, fromMs, runs);
      const reference = cronParserRuns(cronParserSource ?? source, timezone, fromMs, runs);

      // Assess
      expect(iso(aws)).toEqual(iso(reference));
      expect(aws).toHaveLength(runs);
    },
  );
});

describe('both day fields restricted: standard cron fires when either matches', () => {
  test('"30 8 1 * MON" becomes one schedule per day field, and together they fire on the 1st and on Mondays', () => {
    // Act
    const schedules = compileSchedules('billing', { cron: '30 8 1 * MON' });
    const fromMs = Date.parse('2025-09-01T00:00:00Z'); // a Monday the 1st

    // Assess
    expect(schedules.map((s) => s.expression)).toEqual(['cron(30 8 1 * ? *)', 'cron(30 8 ? * 2 *)']);
    expect(iso(awsUnion(schedules.map((s) => s.expression), 'UTC', fromMs, 5))).toEqual([
      '2025-09-01T08:30:00.000Z', // both match: the two schedules fire at the same instant
      '2025-09-08T08:30:00.000Z',
      '2025-09-15T08:30:00.000Z',
      '2025-09-22T08:30:00.000Z',
      '2025-09-29T08:30:00.000Z',
    ]);
  });

  test('a day matching both fields is fired by both schedules at the same instant (the runtime dedupes on job + time)', () => {
    // Prepare
    const [byDay, byWeekday] = compileSchedules('friday_13th', { cron: '0 0 13 * FRI' });
    const fromMs = Date.parse('2025-06-12T00:00:00Z'); // 2025-06-13 is a Friday

    // Act
    const first = awsNextRuns(byDay!.expression, 'UTC', fromMs, 1);
    const second = awsNextRuns(byWeekday!.expression, 'UTC', fromMs, 1);

    // Assess
    expect(iso(first)).toEqual(['2025-06-13T00:00:00.000Z']);
    expect(iso(second)).toEqual(['2025-06-13T00:00:00.000Z']);
  });
});

describe('several cron strings', () => {
  test('compile to the concatenation of their schedules, each with its own source', () => {
    // Act
    const schedules = compileSchedules('twice_daily', {
      cron: ['0 6 * * *', '30 8 1 * MON', '0 6 * * *'],
      timezone: 'Europe/Berlin',
    });

    // Assess: the repeated string adds no second identical schedule
    expect(schedules).toEqual([
      { expression: 'cron(0 6 * * ? *)', timezone: 'Europe/Berlin', source: '0 6 * * *' },
      { expression: 'cron(30 8 1 * ? *)', timezone: 'Europe/Berlin', source: '30 8 1 * MON' },
      { expression: 'cron(30 8 ? * 2 *)', timezone: 'Europe/Berlin', source: '30 8 1 * MON' },
    ]);
  });

  test('fire at the union of the instants cron-parser gives for each string', () => {
    // Prepare
    const sources = ['0 6 * * *', '30 8 1 * MON', '15 12 * * SAT'];
    const fromMs = Date.parse(DEFAULT_FROM);

    // Act
    const schedules = compileSchedules('mixed', { cron: sources, timezone: 'America/New_York' });
    const aws = awsUnion(schedules.map((s) => s.expression), 'America/New_York', fromMs, 200);
    const reference = [...new Set(sources.flatMap((s) => cronParserRuns(s, 'America/New_York', fromMs, 200)))]
      .sort((a, b) => a - b)
      .slice(0, 200);

    // Assess
    expect(iso(aws)).toEqual(iso(reference));
  });
});

describe('defaults', () => {
  test('the time zone defaults to UTC', () => {
    expect(compileSchedules('nightly', { cron: '@daily' })).toEqual([
      { expression: 'cron(0 0 * * ? *)', timezone: 'UTC', source: '@daily' },
    ]);
  });

  test('a job with neither cron nor every is on-demand: no schedules', () => {
    expect(compileSchedules('on_demand', {})).toEqual([]);
    expect(compileSchedules('on_demand', { timezone: 'Europe/Berlin' })).toEqual([]);
  });
});

describe('DST: AWS skips a local time that does not exist and runs a repeated local time once', () => {
  test.each(DST_CASES)('$name', ({ source, timezone, expected, from, aws, cronParserExtra }) => {
    // Prepare
    const fromMs = Date.parse(from);

    // Act
    const schedules = compileSchedules('dst', { cron: source, timezone });
    const awsRuns = awsUnion(
      schedules.map((s) => s.expression),
      timezone,
      fromMs,
      aws.length,
    );
    const reference = cronParserRuns(source, timezone, fromMs, aws.length + cronParserExtra.length);

    // Assess: AWS's documented rule, and exactly where cron-parser departs from it
    expect(schedules.map((s) => s.expression)).toEqual(expected);
    expect(iso(awsRuns)).toEqual(aws);
    expect(iso(reference)).toEqual([...aws, ...cronParserExtra].sort());
  });
});
