/**
 * `omsched history JOB --env E [--limit N] [--since ISO]`: a job's runs, newest first.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { TARGET, omsched, opsRuntime, type OpsRuntime } from './ops-runtime.ts';

let ops: OpsRuntime;
beforeEach(async () => {
  ops = await opsRuntime();
});
afterEach(async () => {
  await ops.rt.stop();
});

/** A scheduled run of sync_inventory at `hhmm` (12:00, 12:05, 12:10 on 2027-03-13). */
function syncRun(hhmm: string): Record<string, unknown> {
  const at = `2027-03-13T${hhmm}:00.000Z`;
  return {
    runId: `sync_inventory@${at}`,
    jobName: 'sync_inventory',
    attempt: 1,
    result: 'ok',
    scheduledAt: at,
    startedAt: at,
    finishedAt: at,
    durationMs: 0,
    error: null,
    nextAttemptAt: null,
  };
}

describe('omsched history', () => {
  test('--json lists the runs newest first, every key present', async () => {
    // Act
    const { code, stdout, stderr } = await omsched(ops, ['history', 'sync_inventory', ...TARGET, '--json']);

    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ app: 'ops-app', env: 'dev', job: 'sync_inventory', entries: [syncRun('12:10'), syncRun('12:05'), syncRun('12:00')] });
  });

  test('a failed run carries its error', async () => {
    // Act
    const { stdout } = await omsched(ops, ['history', 'charge_cards', ...TARGET, '--json']);

    // Assess
    expect(JSON.parse(stdout).entries).toEqual([
      {
        runId: expect.any(String),
        jobName: 'charge_cards',
        attempt: 1,
        result: 'error',
        scheduledAt: null,
        startedAt: '2027-03-13T12:10:00.000Z',
        finishedAt: '2027-03-13T12:10:00.000Z',
        durationMs: 0,
        error: { type: 'TypeError', message: 'card processor returned 503' },
        nextAttemptAt: null,
      },
    ]);
  });

  test.each([
    ['--limit 2 keeps the newest two', ['--limit', '2'], ['12:10', '12:05']],
    ['--since keeps runs started at or after the instant', ['--since', '2027-03-13T12:05:00Z'], ['12:10', '12:05']],
    ['--since with an offset is the same instant', ['--since', '2027-03-13T07:05:00-05:00'], ['12:10', '12:05']],
  ])('%s', async (_case, flags, times) => {
    // Act
    const { code, stdout } = await omsched(ops, ['history', 'sync_inventory', ...TARGET, '--json', ...flags]);

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout).entries).toEqual(times.map(syncRun));
  });

  test('the table shows one line per run in the --tz zone', async () => {
    // Act
    const { code, stdout } = await omsched(ops, ['history', 'sync_inventory', ...TARGET, '--tz', 'UTC']);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'job "sync_inventory" in env "dev": 3 runs, newest first; times in UTC',
        '',
        'STARTED                  RESULT  ATTEMPT  DURATION  RUN                                      ERROR',
        '2027-03-13 12:10:00 UTC  ok      1        0 ms      sync_inventory@2027-03-13T12:10:00.000Z',
        '2027-03-13 12:05:00 UTC  ok      1        0 ms      sync_inventory@2027-03-13T12:05:00.000Z',
        '2027-03-13 12:00:00 UTC  ok      1        0 ms      sync_inventory@2027-03-13T12:00:00.000Z',
        '',
      ].join('\n'),
    );
  });

  test('a job without runs says so', async () => {
    // Act
    const { stdout } = await omsched(ops, ['history', 'daily_report', ...TARGET, '--tz', 'UTC']);

    // Assess
    expect(stdout).toBe('job "daily_report" in env "dev": 0 runs, newest first; times in UTC\n\n');
  });

  test.each([
    ['an unknown job is not found (exit 1)', ['nope'], 1, 'omsched: job "nope" not found: known jobs: daily_report, sync_inventory, charge_cards, send_email\n'],
    ['--limit 0 is a usage error (exit 2)', ['sync_inventory', '--limit', '0'], 2, 'omsched: `--limit` must be an integer from 1 to 1000, got: "0"\n'],
    ['a word for --limit is a usage error', ['sync_inventory', '--limit', 'ten'], 2, 'omsched: `--limit` must be an integer from 1 to 1000, got: "ten"\n'],
    [
      '--since without a zone is a usage error',
      ['sync_inventory', '--since', '2027-03-13T12:05'],
      2,
      'omsched: `--since` must be an ISO 8601 instant with a zone, e.g. 2027-03-13T12:00:00Z, or a date such as 2027-03-13, got: "2027-03-13T12:05"\n',
    ],
  ])('%s', async (_case, args, exitCode, message) => {
    // Act
    const { code, stdout, stderr } = await omsched(ops, ['history', ...args, ...TARGET]);

    // Assess
    expect(code).toBe(exitCode);
    expect(stderr).toBe(message);
    expect(stdout).toBe('');
  });
});
