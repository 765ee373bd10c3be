import { describe, expect, test } from 'vitest';
import { compileSchedules } from '../../../shared/schedule/compile.ts';
import { dstTransitions, nextRunAfter, nextRuns } from '../../../shared/schedule/next-runs.ts';
import type { CompiledSchedule } from '../../../shared/types.ts';
import { CRON_CASES, DEFAULT_FROM, DST_CASES, awsUnion, iso } from './schedule-cases.ts';

describe('nextRuns merges schedules into one sorted, duplicate-free list', () => {
  test('two cron strings interleave in time order', () => {
    // Prepare
    const schedules = compileSchedules('report', { cron: ['0 18 * * *', '0 6 * * *'] });

    // Act
    const runs = nextRuns(schedules, Date.parse('2025-01-01T00:00:00Z'), 3);

    // Assess
    expect(iso(runs)).toEqual(['2025-01-01T06:00:00.000Z', '2025-01-01T18:00:00.000Z', '2025-01-02T06:00:00.000Z']);
  });

  test('a day matching both day-of-month and day-of-week is one run, though two schedules fire', () => {
    // Prepare: 2025-06-13 is a Friday
    const schedules = compileSchedules('friday_13th', { cron: '0 0 13 * FRI' });

    // Act
    const runs = nextRuns(schedules, Date.parse('2025-06-05T00:00:00Z'), 3);

    // Assess
    expect(schedules).toHaveLength(2);
    expect(iso(runs)).toEqual(['2025-06-06T00:00:00.000Z', '2025-06-13T00:00:00.000Z', '2025-06-20T00:00:00.000Z']);
  });

  test('runs are strictly after fromMs', () => {
    const schedules = compileSchedules('hourly', { cron: '@hourly' });
    expect(iso(nextRuns(schedules, Date.parse('2025-01-01T05:00:00Z'), 1))).toEqual(['2025-01-01T06:00:00.000Z']);
  });

  test('a cron and a sub-minute fan-out merge, expanded per delay', () => {
    // Prepare: the engine may hand over schedules of several kinds at once
    const schedules: CompiledSchedule[] = [
      ...compileSchedules('a', { cron: '0 * * * *' }),
      ...compileSchedules('b', { every: [20, 'seconds'] }),
    ];
    const fromMs = Date.parse('2025-01-01T00:59:00Z');

    // Act
    const runs = nextRuns(schedules, fromMs, 5, { anchorMs: Date.parse('2025-01-01T00:00:00Z') });

    // Assess: 01:00:00 comes from both and appears once
    expect(iso(runs)).toEqual([
      '2025-01-01T00:59:20.000Z',
      '2025-01-01T00:59:40.000Z',
      '2025-01-01T01:00:00.000Z',
      '2025-01-01T01:00:20.000Z',
      '2025-01-01T01:00:40.000Z',
    ]);
  });

  test('no schedules or a count of 0 give nothing', () => {
    expect(nextRuns([], 0, 5)).toEqual([]);
    expect(nextRuns(compileSchedules('x', { cron: '@daily' }), 0, 0)).toEqual([]);
  });
});

describe('nextRunAfter', () => {
  test('returns the next instant, or null for an on-demand job', () => {
    const fromMs = Date.parse('2025-01-01T00:00:00Z');
    expect(nextRunAfter(compileSchedules('x', { cron: '0 6 * * *', timezone: 'Europe/Berlin' }), fromMs)).toBe(
      Date.parse('2025-01-01T05:00:00Z'),
    );
    expect(nextRunAfter(compileSchedules('x', {}), fromMs)).toBeNull();
  });

  test('gives the raw per-minute tick of a fan-out schedule when expandFanOut is false', () => {
    const schedules = compileSchedules('x', { every: [30, 'seconds'] });
    expect(nextRunAfter(schedules, 60_000, { anchorMs: 0, expandFanOut: false })).toBe(120_000);
    expect(nextRunAfter(schedules, 60_000, { anchorMs: 0 })).toBe(90_000);
  });
});

describe('nextRuns agrees with the independent AWS-rules oracle', () => {
  test.each(CRON_CASES)('"$source" in $timezone', ({ source, timezone, expected, runs = 120, from = DEFAULT_FROM }) => {
    // Prepare
    const schedules = compileSchedules('job', { cron: source, timezone });
    const fromMs = Date.parse(from);

    // Act + Assess
    expect(iso(nextRuns(schedules, fromMs, runs))).toEqual(iso(awsUnion(expected, timezone, fromMs, runs)));
  });

  test.each(DST_CASES)('$name', ({ source, timezone, from, aws }) => {
    const schedules = compileSchedules('job', { cron: source, timezone });
    expect(iso(nextRuns(schedules, Date.parse(from), aws.length))).toEqual(aws);
  });

  test.each([
    ['2025-11-02T05:45:00Z', ['2025-11-03T06:30:00.000Z']],
    ['2025-11-02T06:15:00Z', ['2025-11-03T06:30:00.000Z']],
  ])('a repeated local time already run at its first occurrence does not run again (from %s)', (from, expected) => {
    // 01:30 EDT (05:30Z) ran; 01:30 EST (06:30Z) is the same local time
    const schedules = compileSchedules('job', { cron: '30 1 * * *', timezone: 'America/New_York' });
    expect(iso(nextRuns(schedules, Date.parse(from), 1))).toEqual(expected);
  });

  test('every minute through a fall-back night runs each local minute once, then resumes after the repeat', () => {
    // Prepare: from 01:59 EDT, the next local minute 02:00 exists only in EST
    const schedules = compileSchedules('job', { cron: '* * * * *', timezone: 'America/New_York' });

    // Act
    const next = nextRunAfter(schedules, Date.parse('2025-11-02T05:59:00Z'));

    // Assess
    expect(new Date(next!).toISOString()).toBe('2025-11-02T07:00:00.000Z');
  });
});

describe('nextRuns handles many jobs at once (the plan CLI and the engine call it for every job)', () => {
  test('1,000 jobs across four zones each get their 10 next runs', () => {
    // Prepare
    const zones = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney'];
    const shapes = ['6 * * *', '* * * *', '8 1 * MON', '0 L * *', '9-17 * * 1-5', '3 * * 0'];
    const jobs = Array.from({ length: 1000 }, (_, i) =>
      compileSchedules(`job_${i}`, { cron: `${i % 60} ${shapes[i % shapes.length]}`, timezone: zones[i % zones.length] }),
    );

    // Act
    const plans = jobs.map((schedules) => nextRuns(schedules, Date.parse('2025-03-01T00:00:00Z'), 10));

    // Assess
    expect(plans.every((runs) => runs.length === 10 && runs.every((t, i) => i === 0 || t > runs[i - 1]!))).toBe(true);
  });
});

describe('dstTransitions lists the offset changes of a zone', () => {
  test.each([
    [
      'Europe/Berlin',
      [
        { atMs: Date.parse('2025-03-30T01:00:00Z'), offsetBeforeMin: 60, offsetAfterMin: 120 },
        { atMs: Date.parse('2025-10-26T01:00:00Z'), offsetBeforeMin: 120, offsetAfterMin: 60 },
      ],
    ],
    [
      'America/New_York',
      [
        { atMs: Date.parse('2025-03-09T07:00:00Z'), offsetBeforeMin: -300, offsetAfterMin: -240 },
        { atMs: Date.parse('2025-11-02T06:00:00Z'), offsetBeforeMin: -240, offsetAfterMin: -300 },
      ],
    ],
    [
      'Australia/Sydney',
      [
        { atMs: Date.parse('2025-04-05T16:00:00Z'), offsetBeforeMin: 660, offsetAfterMin: 600 },
        { atMs: Date.parse('2025-10-04T16:00:00Z'), offsetBeforeMin: 600, offsetAfterMin: 660 },
      ],
    ],
    ['UTC', []],
    ['Asia/Tokyo', []],
  ])('%s in 2025', (zone, expected) => {
    expect(dstTransitions(zone, Date.parse('2025-01-01T00:00:00Z'), Date.parse('2026-01-01T00:00:00Z'))).toEqual(expected);
  });

  test('spans year boundaries and keeps only changes inside (fromMs, toMs]', () => {
    const changes = dstTransitions('Europe/Berlin', Date.parse('2024-10-27T01:00:00Z'), Date.parse('2025-03-30T01:00:00Z'));
    expect(changes.map((c) => new Date(c.atMs).toISOString())).toEqual(['2025-03-30T01:00:00.000Z']);
  });
});
