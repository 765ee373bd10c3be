import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../../shared/errors.ts';
import { compileSchedules, type ScheduleOptions } from '../../../shared/schedule/compile.ts';

const SHAPE =
  'be a cron expression with 5 fields (minute hour day-of-month month day-of-week) or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @minutely';
const MINUTE = 'use minute values from 0 to 59';
const HOUR = 'use hour values from 0 to 23';
const DOM = 'use day-of-month values from 1 to 31 or L';
const MONTH = 'use month values from 1 to 12 or JAN-DEC';
const DOW = 'use day-of-week values from 0 to 7 (0 and 7 = Sunday) or SUN-SAT';
const PAIR = "be a [n, unit] pair such as [5, 'minutes'] (unit: second(s), minute(s), hour(s) or day(s))";
const POSITIVE = "be a positive interval such as [5, 'minutes']";
const SECONDS =
  'be a number of seconds that divides 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20 or 30) or a whole number of minutes (60, 120, ...)';
const ZONE = 'be an IANA time zone name such as "Europe/Berlin" or "UTC"';

function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const REJECTED: ReadonlyArray<readonly [string, ScheduleOptions, string]> = [
  // each cron field out of range
  ['a minute above 59', { cron: '60 * * * *' }, `\`cron\` must ${MINUTE} (minute field: "60" is out of range), got: "60 * * * *"`],
  ['an hour above 23', { cron: '0 24 * * *' }, `\`cron\` must ${HOUR} (hour field: "24" is out of range), got: "0 24 * * *"`],
  ['a range reaching past the hour field', { cron: '0 20-24 * * *' }, `\`cron\` must ${HOUR} (hour field: "20-24" is out of range), got: "0 20-24 * * *"`],
  ['day-of-month 0', { cron: '0 0 0 * *' }, `\`cron\` must ${DOM} (day-of-month field: "0" is out of range), got: "0 0 0 * *"`],
  ['day-of-month 32', { cron: '0 0 32 * *' }, `\`cron\` must ${DOM} (day-of-month field: "32" is out of range), got: "0 0 32 * *"`],
  ['month 13', { cron: '0 0 1 13 *' }, `\`cron\` must ${MONTH} (month field: "13" is out of range), got: "0 0 1 13 *"`],
  ['month 0', { cron: '0 0 1 0 *' }, `\`cron\` must ${MONTH} (month field: "0" is out of range), got: "0 0 1 0 *"`],
  ['day-of-week 8', { cron: '0 0 * * 8' }, `\`cron\` must ${DOW} (day-of-week field: "8" is out of range), got: "0 0 * * 8"`],
  // names
  ['an unknown month name', { cron: '0 0 1 FOO *' }, `\`cron\` must ${MONTH} (month field: "FOO" is not a month name), got: "0 0 1 FOO *"`],
  ['an unknown day name', { cron: '0 0 * * FUN' }, `\`cron\` must ${DOW} (day-of-week field: "FUN" is not a day name), got: "0 0 * * FUN"`],
  ['a month name in day-of-week', { cron: '0 0 * * MON-JAN' }, `\`cron\` must ${DOW} (day-of-week field: "MON-JAN" is not a day name), got: "0 0 * * MON-JAN"`],
  ['a name in the minute field', { cron: 'MON * * * *' }, `\`cron\` must ${MINUTE} (minute field: "MON" is not a number, range or step), got: "MON * * * *"`],
  // shape
  ['four fields', { cron: '0 0 * *' }, `\`cron\` must ${SHAPE} (found 4 fields), got: "0 0 * *"`],
  ['six fields (seconds or AWS style)', { cron: '0 0 0 * * *' }, `\`cron\` must ${SHAPE} (found 6 fields), got: "0 0 0 * * *"`],
  ['an empty string', { cron: '' }, `\`cron\` must ${SHAPE} (found an empty string), got: ""`],
  ['blanks only', { cron: '   ' }, `\`cron\` must ${SHAPE} (found an empty string), got: "   "`],
  ['prose', { cron: 'every day at noon' }, `\`cron\` must ${SHAPE} (found 4 fields), got: "every day at noon"`],
  ['garbage in every field', { cron: 'a b c d e' }, `\`cron\` must ${MINUTE} (minute field: "a" is not a number, range or step), got: "a b c d e"`],
  ['an unknown macro', { cron: '@often' }, `\`cron\` must ${SHAPE} (unknown macro "@often"), got: "@often"`],
  // steps, ranges, lists
  ['step 0', { cron: '*/0 * * * *' }, `\`cron\` must ${MINUTE} (minute field: "*/0" has step 0; steps start at 1), got: "*/0 * * * *"`],
  ['a step that is not a number', { cron: '0 */x * * *' }, `\`cron\` must ${HOUR} (hour field: "*/x" has a step that is not a whole number), got: "0 */x * * *"`],
  ['a reversed range', { cron: '0 17-9 * * *' }, `\`cron\` must ${HOUR} (hour field: "17-9" is a reversed range; write the low end first), got: "0 17-9 * * *"`],
  ['a reversed range of names', { cron: '0 0 * * FRI-MON' }, `\`cron\` must ${DOW} (day-of-week field: "FRI-MON" is a reversed range; write the low end first), got: "0 0 * * FRI-MON"`],
  ['an empty list item', { cron: '1,,2 * * * *' }, `\`cron\` must ${MINUTE} (minute field: "1,,2" has an empty list item), got: "1,,2 * * * *"`],
  ['L in day-of-week', { cron: '0 0 * * 5L' }, `\`cron\` must ${DOW} (day-of-week field: "5L" is not a number, range or step), got: "0 0 * * 5L"`],
  [
    'a day that never occurs in the chosen month',
    { cron: '0 0 30 2 *' },
    '`cron` must name a day of the month that exists in a chosen month (day-of-month field: "30" never occurs in month field "2"), got: "0 0 30 2 *"',
  ],
  // several crons: the index names the culprit
  ['a bad second cron of several', { cron: ['0 6 * * *', '0 25 * * *'] }, `\`cron[1]\` must ${HOUR} (hour field: "25" is out of range), got: "0 25 * * *"`],
  ['a non-string in the list', { cron: ['0 6 * * *', 7 as unknown as string] }, '`cron[1]` must be a cron string such as "0 6 * * *", got: 7'],
  ['a number as cron', { cron: 5 as unknown as string }, '`cron` must be a cron string or a non-empty array of cron strings, got: 5'],
  ['an empty list of crons', { cron: [] }, '`cron` must be a cron string or a non-empty array of cron strings, got: []'],
  // every
  ['every zero', { every: [0, 'minutes'] }, `\`every\` must ${POSITIVE} (n is 0), got: [0,"minutes"]`],
  ['every negative', { every: [-5, 'minutes'] }, `\`every\` must ${POSITIVE} (n is negative), got: [-5,"minutes"]`],
  ['every infinite', { every: [Infinity, 'seconds'] }, `\`every\` must ${POSITIVE} (n is not a finite number), got: [null,"seconds"]`],
  ['every fractional', { every: [1.5, 'hours'] }, "`every` must count whole hours, such as [2, 'hours'] (1.5 is not a whole number), got: [1.5,\"hours\"]"],
  ['every with an unknown unit', { every: [2, 'weeks'] }, '`every` must use a unit of second(s), minute(s), hour(s) or day(s) (unknown unit "weeks"), got: [2,"weeks"]'],
  ['every as a number', { every: 5 }, `\`every\` must ${PAIR}, got: 5`],
  ['every as a string', { every: '5 minutes' }, `\`every\` must ${PAIR}, got: "5 minutes"`],
  ['every with three items', { every: [5, 'minutes', 1] }, `\`every\` must ${PAIR}, got: [5,"minutes",1]`],
  ['every with the items swapped', { every: ['minutes', 5] }, `\`every\` must ${PAIR}, got: ["minutes",5]`],
  ['sub-minute seconds that do not divide 60', { every: [45, 'seconds'] }, `\`every\` must ${SECONDS}, got: [45,"seconds"]`],
  ['seconds above a minute that are not whole minutes', { every: [90, 'seconds'] }, `\`every\` must ${SECONDS}, got: [90,"seconds"]`],
  [
    'both cron and every',
    { cron: '0 6 * * *', every: [5, 'minutes'] },
    '`every` must be left out when `cron` is set (a job runs on a cron or at a fixed interval, not both), got: [5,"minutes"]',
  ],
  // timezone
  ['an unknown time zone', { cron: '0 6 * * *', timezone: 'Mars/Olympus' }, `\`timezone\` must ${ZONE}, got: "Mars/Olympus"`],
  ['a UTC offset instead of a zone', { cron: '0 6 * * *', timezone: '+01:00' }, `\`timezone\` must ${ZONE}, got: "+01:00"`],
  [
    'a zone name in the wrong case',
    { cron: '0 6 * * *', timezone: 'europe/berlin' },
    `\`timezone\` must ${ZONE} (names are case-sensitive: "Europe/Berlin"), got: "europe/berlin"`,
  ],
];

describe('compileSchedules rejects what EventBridge Scheduler (or cron) cannot run, naming job, field and value', () => {
  test.each(REJECTED)('rejects %s', (_name, opts, message) => {
    // Act
    const error = thrownBy(() => compileSchedules('report', opts));

    // Assess: a ConfigError whose whole message is exactly this one line
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(`job "report": ${message}`);
  });

  test('the error lists every problem of the job, one per line, and carries them as issues', () => {
    // Act
    const error = thrownBy(() =>
      compileSchedules('report', { cron: ['61 * * * *', '0 0 * * 9'], every: [0, 'days'], timezone: 'Nowhere' }),
    );

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.message).toBe(
      [
        `job "report": \`cron[0]\` must ${MINUTE} (minute field: "61" is out of range), got: "61 * * * *"`,
        `job "report": \`cron[1]\` must ${DOW} (day-of-week field: "9" is out of range), got: "0 0 * * 9"`,
        'job "report": `every` must be left out when `cron` is set (a job runs on a cron or at a fixed interval, not both), got: [0,"days"]',
        `job "report": \`every\` must ${POSITIVE} (n is 0), got: [0,"days"]`,
        `job "report": \`timezone\` must ${ZONE}, got: "Nowhere"`,
      ].join('\n'),
    );
    expect(configError.issues.map((i) => i.field)).toEqual(['cron[0]', 'cron[1]', 'every', 'every', 'timezone']);
    expect(configError.jobName).toBe('report');
  });

  test('the job name in the message is the one given', () => {
    expect(() => compileSchedules('tick', { cron: '*/0 * * * *' })).toThrow(
      `job "tick": \`cron\` must ${MINUTE} (minute field: "*/0" has step 0; steps start at 1), got: "*/0 * * * *"`,
    );
  });
});
