import { describe, expect, test } from 'vitest';
import { compileSchedules } from '../../../shared/schedule/compile.ts';
import { nextRuns } from '../../../shared/schedule/next-runs.ts';
import { awsNextRuns } from '../../../shared/schedule/aws-cron.ts';
import type { Every } from '../../../shared/types.ts';
import { iso } from './schedule-cases.ts';

describe('every [n, unit] compiles to an EventBridge Scheduler rate', () => {
  test.each<[Every, string, string]>([
    [[5, 'minutes'], 'rate(5 minutes)', 'every 5 minutes'],
    [[1, 'minute'], 'rate(1 minute)', 'every 1 minute'],
    [[1, 'minutes'], 'rate(1 minute)', 'every 1 minutes'],
    [[5, 'minute'], 'rate(5 minutes)', 'every 5 minute'],
    [[90, 'minutes'], 'rate(90 minutes)', 'every 90 minutes'],
    [[1, 'hour'], 'rate(1 hour)', 'every 1 hour'],
    [[2, 'hours'], 'rate(2 hours)', 'every 2 hours'],
    [[1, 'day'], 'rate(1 day)', 'every 1 day'],
    [[3, 'days'], 'rate(3 days)', 'every 3 days'],
    [[60, 'seconds'], 'rate(1 minute)', 'every 60 seconds'],
    [[120, 'seconds'], 'rate(2 minutes)', 'every 120 seconds'],
  ])('%j becomes %s', (every, expression, source) => {
    expect(compileSchedules('sync', { every, timezone: 'Europe/Berlin' })).toEqual([
      { expression, timezone: 'Europe/Berlin', source },
    ]);
  });
});

describe('sub-minute every fans one per-minute schedule out into SQS delays', () => {
  test.each<[Every, number[]]>([
    [[30, 'seconds'], [0, 30]],
    [[15, 'seconds'], [0, 15, 30, 45]],
    [[20, 'seconds'], [0, 20, 40]],
    [[10, 'seconds'], [0, 10, 20, 30, 40, 50]],
    [[1, 'second'], Array.from({ length: 60 }, (_, i) => i)],
  ])('%j becomes rate(1 minute) with delays %j', (every, delays) => {
    expect(compileSchedules('heartbeat', { every })).toEqual([
      { expression: 'rate(1 minute)', timezone: 'UTC', source: `every ${every[0]} ${every[1]}`, fanOutDelaysSeconds: delays },
    ]);
  });
});

describe('nextRuns for rates counts from the anchor (when the schedule was created)', () => {
  const anchorMs = Date.parse('2025-01-06T10:00:00Z');

  test('rate(5 minutes): the anchor + k × 5 min strictly after fromMs', () => {
    // Prepare
    const schedules = compileSchedules('sync', { every: [5, 'minutes'] });

    // Act
    const runs = nextRuns(schedules, Date.parse('2025-01-06T10:07:00Z'), 3, { anchorMs });

    // Assess
    expect(iso(runs)).toEqual(['2025-01-06T10:10:00.000Z', '2025-01-06T10:15:00.000Z', '2025-01-06T10:20:00.000Z']);
  });

  test('without an anchor the rate counts from fromMs, whose own (creation-time) run is not "after" it', () => {
    const schedules = compileSchedules('sync', { every: [2, 'hours'] });
    expect(iso(nextRuns(schedules, anchorMs, 2))).toEqual(['2025-01-06T12:00:00.000Z', '2025-01-06T14:00:00.000Z']);
  });

  test('an anchor in the future is itself the first run (AWS fires a rate schedule when it starts)', () => {
    const schedules = compileSchedules('sync', { every: [1, 'hour'] });
    expect(iso(nextRuns(schedules, anchorMs - 30 * 60_000, 2, { anchorMs }))).toEqual([
      '2025-01-06T10:00:00.000Z',
      '2025-01-06T11:00:00.000Z',
    ]);
  });

  test('rate(1 day) is 24 hours of elapsed time, also across a DST change (not the same wall-clock time)', () => {
    // Prepare: 2025-03-09 is the spring-forward day in New York
    const schedules = compileSchedules('daily', { every: [1, 'day'], timezone: 'America/New_York' });
    const start = Date.parse('2025-03-08T17:00:00Z'); // 12:00 EST

    // Act
    const runs = nextRuns(schedules, start, 2, { anchorMs: start });

    // Assess: 13:00 EDT on the 9th, not 12:00
    expect(iso(runs)).toEqual(['2025-03-09T17:00:00.000Z', '2025-03-10T17:00:00.000Z']);
    expect(runs).toEqual(awsNextRuns('rate(1 day)', 'America/New_York', start, 2, { anchorMs: start }));
  });

  test('every 30 seconds yields both halves of each minute, counted from the anchor', () => {
    // Prepare
    const schedules = compileSchedules('heartbeat', { every: [30, 'seconds'] });

    // Act
    const runs = nextRuns(schedules, anchorMs, 5, { anchorMs });

    // Assess: the per-minute tick at the anchor itself still has its +30 s delivery ahead
    expect(iso(runs)).toEqual([
      '2025-01-06T10:00:30.000Z',
      '2025-01-06T10:01:00.000Z',
      '2025-01-06T10:01:30.000Z',
      '2025-01-06T10:02:00.000Z',
      '2025-01-06T10:02:30.000Z',
    ]);
  });

  test('with expandFanOut false, a sub-minute every gives the raw per-minute scheduler ticks', () => {
    const schedules = compileSchedules('heartbeat', { every: [15, 'seconds'] });
    expect(iso(nextRuns(schedules, anchorMs, 3, { anchorMs, expandFanOut: false }))).toEqual([
      '2025-01-06T10:01:00.000Z',
      '2025-01-06T10:02:00.000Z',
      '2025-01-06T10:03:00.000Z',
    ]);
  });

  test.each<[Every]>([[[5, 'minutes']], [[3, 'hours']], [[2, 'days']], [[120, 'seconds']]])(
    'nextRuns of %j equals the AWS oracle for the same anchor',
    (every) => {
      const schedules = compileSchedules('sync', { every, timezone: 'Europe/Berlin' });
      const fromMs = anchorMs + 7 * 86_400_000 + 12_345;
      expect(nextRuns(schedules, fromMs, 50, { anchorMs })).toEqual(
        awsNextRuns(schedules[0]!.expression, 'Europe/Berlin', fromMs, 50, { anchorMs }),
      );
    },
  );
});
