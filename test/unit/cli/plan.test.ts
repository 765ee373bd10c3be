/**
 * `omsched plan`: the plan as data (the --json output), as a table in local time with DST
 * changes flagged, and the CLI's behaviour as a process (exit codes, no stack traces).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { defineConfig, defineJob, loadConfig } from 'om-scheduler';
import { buildPlan, describeTransition, renderPlanTable } from '../../../shared/cli/plan.ts';
import { main } from '../../../shared/cli/main.ts';
import type { CliIo } from '../../../shared/cli/io.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FROM = '2027-03-13T12:00:00Z';
const FROM_MS = Date.parse(FROM);
const handler = async (): Promise<void> => {};

/** The plan of test/fixtures/configs/valid.ts from 2027-03-13T12:00:00Z, 3 runs per job. */
const VALID_PLAN = {
  app: 'fixture-app',
  from: '2027-03-13T12:00:00.000Z',
  count: 3,
  jobs: [
    {
      name: 'daily_report',
      queue: 'default',
      schedules: [{ expression: 'cron(0 6 * * ? *)', timezone: 'America/New_York', source: '0 6 * * *' }],
      // 06:00 EST is 11:00Z (already past on the 13th); from the 14th New York is on EDT: 10:00Z.
      nextRuns: ['2027-03-14T10:00:00.000Z', '2027-03-15T10:00:00.000Z', '2027-03-16T10:00:00.000Z'],
    },
    {
      name: 'sync_inventory',
      queue: 'default',
      schedules: [{ expression: 'rate(5 minutes)', timezone: 'UTC', source: 'every 5 minutes' }],
      nextRuns: ['2027-03-13T12:05:00.000Z', '2027-03-13T12:10:00.000Z', '2027-03-13T12:15:00.000Z'],
    },
    {
      name: 'heartbeat',
      queue: 'default',
      schedules: [{ expression: 'rate(1 minute)', timezone: 'UTC', source: 'every 30 seconds', fanOutDelaysSeconds: [0, 30] }],
      nextRuns: ['2027-03-13T12:00:30.000Z', '2027-03-13T12:01:00.000Z', '2027-03-13T12:01:30.000Z'],
    },
    {
      name: 'billing_run',
      queue: 'default',
      schedules: [
        { expression: 'cron(0 12 15 * ? *)', timezone: 'UTC', source: '0 12 15 * MON' },
        { expression: 'cron(0 12 ? * 2 *)', timezone: 'UTC', source: '0 12 15 * MON' },
      ],
      // The 15th (a Monday) matches both schedules and runs once; then Mondays.
      nextRuns: ['2027-03-15T12:00:00.000Z', '2027-03-22T12:00:00.000Z', '2027-03-29T12:00:00.000Z'],
    },
    {
      name: 'cleanup_sessions',
      queue: 'default',
      schedules: [{ expression: 'cron(0 * * * ? *)', timezone: 'UTC', source: '0 * * * *' }],
      nextRuns: ['2027-03-13T13:00:00.000Z', '2027-03-13T14:00:00.000Z', '2027-03-13T15:00:00.000Z'],
    },
    { name: 'export_worker', queue: 'exports', schedules: [], nextRuns: [] },
  ],
};

/** Runs the real binary, as a user would. */
function omsched(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/omsched.mjs', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, OMSCHED_DEBUG: '', TZ: 'UTC' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** An in-memory CliIo for running main() in-process. */
function memoryIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, now: () => FROM_MS };
}

describe('buildPlan', () => {
  test('lists every job with its deployed expressions, time zones and exact next runs', async () => {
    // Prepare
    const config = await loadConfig('test/fixtures/configs/valid.ts');

    // Act
    const plan = buildPlan(config, { fromMs: FROM_MS, count: 3 });

    // Assess
    expect(plan).toEqual(VALID_PLAN);
  });

  test('an on-demand job has no schedules and no runs', () => {
    // Prepare
    const config = defineConfig({ jobs: [defineJob({ name: 'send_email', handler })] });

    // Act
    const plan = buildPlan(config, { fromMs: FROM_MS, count: 5 });

    // Assess
    expect(plan.jobs).toEqual([{ name: 'send_email', queue: 'default', schedules: [], nextRuns: [] }]);
  });

  test('1,000 jobs are defined, planned and rendered well within 2 seconds', async () => {
    // Prepare
    const started = performance.now();

    // Act
    const config = await loadConfig('test/fixtures/configs/many-jobs.ts');
    const plan = buildPlan(config, { fromMs: FROM_MS, count: 5 });
    const table = renderPlanTable(plan, config, { fromMs: FROM_MS, localTimeZone: 'UTC' });

    // Assess
    expect(plan.jobs).toHaveLength(1000);
    expect(plan.jobs.every((j) => j.nextRuns.length === 5)).toBe(true);
    expect(table.split('\n').length).toBeGreaterThan(5000);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('renderPlanTable', () => {
  test('shows runs in the local time zone and flags the DST change inside the window of the listed runs', () => {
    // Prepare
    const config = defineConfig({
      app: 'shop',
      jobs: [
        defineJob({ name: 'daily_report', cron: '0 6 * * *', timezone: 'America/New_York', handler }),
        defineJob({ name: 'send_email', handler }),
      ],
    });
    const plan = buildPlan(config, { fromMs: FROM_MS, count: 2 });

    // Act
    const table = renderPlanTable(plan, config, { fromMs: FROM_MS, localTimeZone: 'Europe/Paris' });

    // Assess
    expect(table).toBe(
      [
        'app "shop": 2 jobs (1 scheduled), 1 queue; next 2 runs after 2027-03-13 13:00 GMT+1',
        '',
        'JOB           QUEUE    SCHEDULE                            NEXT RUNS (Europe/Paris)',
        'daily_report  default  cron(0 6 * * ? *) America/New_York  2027-03-14 11:00 GMT+1',
        '                                                           2027-03-15 11:00 GMT+1',
        '              ! DST: 2027-03-14 02:00 America/New_York clocks go forward 1h',
        'send_email    default  on demand (enqueue)                 -',
        '',
      ].join('\n'),
    );
  });

  test('a DST change after the last listed run is not flagged', () => {
    // Prepare
    const config = defineConfig({ jobs: [defineJob({ name: 'hourly', cron: '0 * * * *', timezone: 'America/New_York', handler })] });
    const plan = buildPlan(config, { fromMs: FROM_MS, count: 3 });

    // Act
    const table = renderPlanTable(plan, config, { fromMs: FROM_MS, localTimeZone: 'UTC' });

    // Assess
    expect(table).not.toContain('DST:');
  });

  test.each([
    ['spring forward in New York', 'America/New_York', Date.UTC(2027, 2, 14, 7), -300, -240, 'DST: 2027-03-14 02:00 America/New_York clocks go forward 1h'],
    ['fall back in Berlin', 'Europe/Berlin', Date.UTC(2027, 9, 31, 1), 120, 60, 'DST: 2027-10-31 03:00 Europe/Berlin clocks go back 1h'],
    ['the half-hour change on Lord Howe Island', 'Australia/Lord_Howe', Date.UTC(2027, 3, 3, 15), 660, 630, 'DST: 2027-04-04 02:00 Australia/Lord_Howe clocks go back 30min'],
  ])('describes %s at the wall-clock time it happens', (_case, timezone, atMs, offsetBeforeMin, offsetAfterMin, text) => {
    expect(describeTransition(timezone, { atMs, offsetBeforeMin, offsetAfterMin })).toBe(text);
  });
});

describe('omsched plan (the CLI)', () => {
  test('--json prints the plan for a fixed --from', () => {
    // Act
    const { status, stdout, stderr } = omsched('plan', '--config', 'test/fixtures/configs/valid.ts', '--from', FROM, '--count', '3', '--json');

    // Assess
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual(VALID_PLAN);
  });

  test('without --json it prints the table', () => {
    // Act
    const { status, stdout } = omsched('plan', '--config', 'test/fixtures/configs/valid.ts', '--from', FROM, '--count', '2');

    // Assess
    expect(status).toBe(0);
    expect(stdout).toContain('NEXT RUNS (UTC)');
    expect(stdout).toContain('! DST: 2027-03-14 02:00 America/New_York clocks go forward 1h');
  });

  test('a config with invalid jobs exits 1 with one line per issue, naming job and field, and no stack trace', () => {
    // Act
    const { status, stdout, stderr } = omsched('plan', '--config', 'test/fixtures/configs/invalid.ts', '--from', FROM);

    // Assess
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        'omsched: invalid config (2 issues):',
        'job "nightly_import": `queue` must be one of the config\'s queues: "default", "critical", got: "imports"',
        'job "daily_report": `name` must be unique within the config (jobs[1] has the same name), got: "daily_report"',
        '',
      ].join('\n'),
    );
  });

  test('a job rejected by defineJob while the config file loads is reported the same way', () => {
    // Act
    const { status, stderr } = omsched('plan', '--config', 'test/fixtures/configs/invalid-job.ts');

    // Assess
    expect(status).toBe(1);
    expect(stderr).toBe(
      [
        'omsched: invalid config (2 issues):',
        'job "daily_report": `priority` must be an integer from 0 to 9 (0 runs first), got: 12',
        'job "daily_report": `maxRetry` must be a known job option (did you mean `maxRetries`?), got: 3',
        '',
      ].join('\n'),
    );
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  test('a bad --count is a usage error: exit 2, the flag named, no stack trace', () => {
    // Act
    const { status, stderr } = omsched('plan', '--config', 'test/fixtures/configs/valid.ts', '--count', '0');

    // Assess
    expect(status).toBe(2);
    expect(stderr).toBe('omsched: `--count` must be an integer from 1 to 1000, got: "0"\n');
  });
});

describe('omsched plan errors (in-process)', () => {
  test.each([
    [['--from', 'yesterday'], 2, 'omsched: `--from` must be an ISO 8601 instant with a zone, e.g. 2027-03-13T12:00:00Z, or a date such as 2027-03-13, got: "yesterday"\n'],
    [['--from', '2027-03-13T12:00'], 2, 'omsched: `--from` must be an ISO 8601 instant with a zone, e.g. 2027-03-13T12:00:00Z, or a date such as 2027-03-13, got: "2027-03-13T12:00"\n'],
    [['--from', '2027-02-30'], 2, 'omsched: `--from` must be an ISO 8601 instant with a zone, e.g. 2027-03-13T12:00:00Z, or a date such as 2027-03-13, got: "2027-02-30"\n'],
    [['--count', '1001'], 2, 'omsched: `--count` must be an integer from 1 to 1000, got: "1001"\n'],
    [['--count', '2.5'], 2, 'omsched: `--count` must be an integer from 1 to 1000, got: "2.5"\n'],
    [['--tz', 'Mars/Olympus'], 2, 'omsched: `--tz` must be an IANA time zone name such as "Europe/Berlin" or "UTC", got: "Mars/Olympus"\n'],
  ])('plan %j exits %i with: %s', async (flags, exitCode, message) => {
    // Prepare
    const io = memoryIo();

    // Act
    const code = await main(['node', 'omsched', 'plan', '--config', 'test/fixtures/configs/valid.ts', ...flags], io);

    // Assess
    expect(code).toBe(exitCode);
    expect(io.err.join('')).toBe(message);
    expect(io.out).toEqual([]);
  });

  test.each([
    ['missing.ts', 'omsched: config file not found: test/fixtures/configs/missing.ts (resolved to ' + ROOT + 'test/fixtures/configs/missing.ts)\n'],
    [
      'no-export.ts',
      'omsched: config file test/fixtures/configs/no-export.ts has no default export and no export named `config` (exports: queues); export default defineConfig({ ... })\n',
    ],
  ])('a config file that is %s exits 1 with a one-line message', async (file, message) => {
    // Prepare
    const io = memoryIo();

    // Act
    const code = await main(['node', 'omsched', 'plan', '--config', `test/fixtures/configs/${file}`], io);

    // Assess
    expect(code).toBe(1);
    expect(io.err.join('')).toBe(message);
  });

  test('a missing --config or an unknown flag is a usage error (exit 2)', async () => {
    // Prepare
    const io = memoryIo();

    // Act
    const missing = await main(['node', 'omsched', 'plan'], io);
    const unknown = await main(['node', 'omsched', 'plan', '--config', 'x.ts', '--frm', FROM], io);

    // Assess
    expect([missing, unknown]).toEqual([2, 2]);
    expect(io.err.join('')).toContain("omsched: required option '-c, --config <file>' not specified");
    expect(io.err.join('')).toContain("omsched: unknown option '--frm'");
  });

  test('a plain object exported as `config` is checked and planned like a defineConfig result', async () => {
    // Prepare
    const io = memoryIo();

    // Act
    const code = await main(['node', 'omsched', 'plan', '--config', 'test/fixtures/configs/plain-object.ts', '--count', '2', '--json'], io);

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(io.out.join(''))).toEqual({
      app: 'plain',
      from: '2027-03-13T12:00:00.000Z',
      count: 2,
      jobs: [
        {
          name: 'tick',
          queue: 'default',
          schedules: [{ expression: 'rate(1 hour)', timezone: 'UTC', source: 'every 1 hours' }],
          nextRuns: ['2027-03-13T13:00:00.000Z', '2027-03-13T14:00:00.000Z'],
        },
      ],
    });
  });
});
