/**
 * `omsched status [JOB] --env E`: each job's state, runs, errors, last result, last and next run —
 * here against a local runtime through the injectable client factory.
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

const SYNC_INVENTORY = {
  name: 'sync_inventory',
  queue: 'default',
  state: 'active',
  runCount: 3,
  errorCount: 0,
  lastResult: 'ok',
  lastError: null,
  lastRunAt: '2027-03-13T12:10:00.000Z',
  nextRunAt: '2027-03-13T12:15:00.000Z',
};

describe('omsched status', () => {
  test('--json lists every job with state, counts, last result and error, last and next run', async () => {
    // Act
    const { code, stdout, stderr } = await omsched(ops, ['status', ...TARGET, '--json']);

    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      app: 'ops-app',
      env: 'dev',
      jobs: [
        {
          name: 'daily_report',
          queue: 'default',
          state: 'active',
          runCount: 0,
          errorCount: 0,
          lastResult: null,
          lastError: null,
          lastRunAt: null,
          // 06:00 in New York, which is on EDT from 14 March: 10:00Z.
          nextRunAt: '2027-03-14T10:00:00.000Z',
        },
        SYNC_INVENTORY,
        {
          name: 'charge_cards',
          queue: 'default',
          state: 'active',
          runCount: 1,
          errorCount: 1,
          lastResult: 'error',
          lastError: { type: 'TypeError', message: 'card processor returned 503' },
          lastRunAt: '2027-03-13T12:10:00.000Z',
          nextRunAt: null,
        },
        {
          name: 'send_email',
          queue: 'mail',
          state: 'active',
          runCount: 2,
          errorCount: 1,
          lastResult: 'ok',
          lastError: { type: 'RangeError', message: 'mailbox full' },
          lastRunAt: '2027-03-13T12:11:00.000Z',
          nextRunAt: null,
        },
      ],
    });
  });

  test('with a JOB argument only that job is shown', async () => {
    // Act
    const { code, stdout } = await omsched(ops, ['status', 'sync_inventory', ...TARGET, '--json']);

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ app: 'ops-app', env: 'dev', jobs: [SYNC_INVENTORY] });
  });

  test('the table shows one row per job, times in the --tz zone with the zone named', async () => {
    // Act
    const { code, stdout } = await omsched(ops, ['status', ...TARGET, '--tz', 'America/New_York']);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'app "ops-app", env "dev": 4 jobs; times in America/New_York',
        '',
        'JOB             QUEUE    STATE   RUNS  ERRORS  LAST RESULT                                     LAST RUN                 NEXT RUN',
        'daily_report    default  active  0     0       -                                               -                        2027-03-14 06:00:00 EDT',
        'sync_inventory  default  active  3     0       ok                                              2027-03-13 07:10:00 EST  2027-03-13 07:15:00 EST',
        'charge_cards    default  active  1     1       error (TypeError: card processor returned 503)  2027-03-13 07:10:00 EST  -',
        'send_email      mail     active  2     1       ok                                              2027-03-13 07:11:00 EST  -',
        '',
      ].join('\n'),
    );
  });

  test('a paused job shows as paused with no next run', async () => {
    // Prepare
    await ops.rt.pauseJob('sync_inventory');

    // Act
    const { stdout } = await omsched(ops, ['status', 'sync_inventory', ...TARGET, '--json']);

    // Assess
    expect(JSON.parse(stdout).jobs).toEqual([{ ...SYNC_INVENTORY, state: 'paused', nextRunAt: null }]);
  });

  test.each([
    ['an unknown job is not found (exit 1), naming the known jobs', ['status', 'nope', ...TARGET], 1, 'omsched: job "nope" not found: known jobs: daily_report, sync_inventory, charge_cards, send_email\n'],
    ['a bad --tz is a usage error (exit 2)', ['status', ...TARGET, '--tz', 'Mars/Olympus'], 2, 'omsched: `--tz` must be an IANA time zone name such as "Europe/Berlin" or "UTC", got: "Mars/Olympus"\n'],
    ['a missing --env is a usage error (exit 2)', ['status', '--config', 'x.ts'], 2, "omsched: required option '-e, --env <env>' not specified\n(run with --help for usage)\n"],
  ])('%s', async (_case, args, exitCode, message) => {
    // Act
    const { code, stdout, stderr } = await omsched(ops, args);

    // Assess
    expect(code).toBe(exitCode);
    expect(stderr).toBe(message);
    expect(stdout).toBe('');
  });
});
