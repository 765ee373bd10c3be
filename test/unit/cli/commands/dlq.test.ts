/**
 * `omsched dlq list|retry|prune|stats --env E`: dead letters of an environment, listed, re-enqueued,
 * pruned and counted — against a local runtime whose failed runs put entries there.
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

/** The dead-letter id of `job` (one entry each in the fixture). */
async function idOf(job: string): Promise<string> {
  const entry = (await ops.rt.deadLetter.list({ jobName: job }))[0];
  if (!entry) throw new Error(`no dead letter for ${job}`);
  return entry.id;
}

const BOUNCE = {
  jobName: 'send_email',
  queue: 'mail',
  errorClass: 'RangeError',
  error: { type: 'RangeError', message: 'mailbox full' },
  attempts: 1,
  args: { to: 'bounce@example.com' },
  firstFailedAt: '2027-03-13T12:11:00.000Z',
  lastFailedAt: '2027-03-13T12:11:00.000Z',
};
const CHARGE = {
  jobName: 'charge_cards',
  queue: 'default',
  errorClass: 'TypeError',
  error: { type: 'TypeError', message: 'card processor returned 503' },
  attempts: 1,
  args: { batch: 1 },
  firstFailedAt: '2027-03-13T12:10:00.000Z',
  lastFailedAt: '2027-03-13T12:10:00.000Z',
};

describe('omsched dlq list', () => {
  test('--json lists every entry with id, job, queue, error class, error, attempts, args and times', async () => {
    // Act
    const { code, stdout, stderr } = await omsched(ops, ['dlq', 'list', ...TARGET, '--json']);

    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      app: 'ops-app',
      env: 'dev',
      entries: [
        { id: await idOf('send_email'), ...BOUNCE, stacktrace: expect.stringContaining('RangeError: mailbox full') },
        { id: await idOf('charge_cards'), ...CHARGE, stacktrace: expect.stringContaining('TypeError: card processor returned 503') },
      ],
    });
  });

  test.each([
    ['--queue keeps one queue', ['--queue', 'mail'], ['send_email']],
    ['--error-class keeps one error class', ['--error-class', 'TypeError'], ['charge_cards']],
    ['--error-class with no match lists nothing', ['--error-class', 'SyntaxError'], []],
    ['--limit 1 keeps the first entry', ['--limit', '1'], ['send_email']],
  ])('%s', async (_case, flags, jobs) => {
    // Act
    const { code, stdout } = await omsched(ops, ['dlq', 'list', ...TARGET, '--json', ...flags]);

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout).entries.map((e: { jobName: string }) => e.jobName)).toEqual(jobs);
  });

  test('the table shows one row per entry', async () => {
    // Act
    const { code, stdout } = await omsched(ops, ['dlq', 'list', ...TARGET, '--tz', 'UTC']);

    // Assess
    expect(code).toBe(0);
    const [bounce, charge] = [await idOf('send_email'), await idOf('charge_cards')];
    expect(stdout).toBe(
      [
        'env "dev": 2 dead letters; times in UTC',
        '',
        'ID                                    JOB           QUEUE    ERROR CLASS  ATTEMPTS  LAST FAILED              ERROR',
        `${bounce}  send_email    mail     RangeError   1         2027-03-13 12:11:00 UTC  RangeError: mailbox full`,
        `${charge}  charge_cards  default  TypeError    1         2027-03-13 12:10:00 UTC  TypeError: card processor returned 503`,
        '',
      ].join('\n'),
    );
  });

  test.each([
    ['an unknown --queue', ['--queue', 'emails'], 'omsched: `--queue` must be one of the config\'s queues: "default", "mail", got: "emails"\n'],
    ['a --limit above 1000', ['--limit', '5000'], 'omsched: `--limit` must be an integer from 1 to 1000, got: "5000"\n'],
  ])('%s is a usage error (exit 2)', async (_case, flags, message) => {
    // Act
    const { code, stdout, stderr } = await omsched(ops, ['dlq', 'list', ...TARGET, ...flags]);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toBe(message);
    expect(stdout).toBe('');
  });
});

describe('omsched dlq retry', () => {
  test('retry ID re-enqueues the job with its args and removes the entry', async () => {
    // Prepare
    const id = await idOf('charge_cards');

    // Act
    const { code, stdout } = await omsched(ops, ['dlq', 'retry', id, ...TARGET, '--json']);

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      env: 'dev',
      retried: [{ runId: expect.any(String), jobName: 'charge_cards', queue: 'default', runAt: '2027-03-13T12:11:00.000Z' }],
    });
    expect((await ops.rt.deadLetter.list()).map((e) => e.id)).not.toContain(id);
  });

  test('retry ID without --json says what was enqueued', async () => {
    // Prepare
    const id = await idOf('send_email');

    // Act
    const { stdout } = await omsched(ops, ['dlq', 'retry', id, ...TARGET]);

    // Assess
    expect(stdout).toMatch(new RegExp(`^retried dead letter ${id}: job "send_email" enqueued on queue "mail" as run [\\w-]+\\n$`));
  });

  test('--all --queue retries only that queue\'s entries', async () => {
    // Act
    const { code, stdout } = await omsched(ops, ['dlq', 'retry', '--all', '--queue', 'mail', ...TARGET]);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/^retried 1 dead letter of queue "mail" in env "dev"\n {2}send_email -> run [\w-]+ \(queue "mail"\)\n$/);
    expect((await ops.rt.deadLetter.list()).map((e) => e.jobName)).toEqual(['charge_cards']);
  });

  test.each([
    ['neither an ID nor --all', [], 2, 'omsched: `dlq retry` needs an entry ID (see `omsched dlq list`) or `--all`\n'],
    ['both an ID and --all', ['abc', '--all'], 2, 'omsched: `dlq retry` takes an entry ID or `--all`, not both\n'],
    ['--queue with an ID', ['abc', '--queue', 'mail'], 2, 'omsched: `--queue` only applies with `--all`\n'],
    ['an unknown ID (exit 1)', ['no-such-id'], 1, 'omsched: dead-letter entry "no-such-id" not found\n'],
  ])('%s is refused', async (_case, args, exitCode, message) => {
    // Act
    const { code, stdout, stderr } = await omsched(ops, ['dlq', 'retry', ...args, ...TARGET]);

    // Assess
    expect(code).toBe(exitCode);
    expect(stderr).toBe(message);
    expect(stdout).toBe('');
  });
});

describe('omsched dlq prune', () => {
  test("by default it prunes entries older than the config's maxAge (7 days), keeping newer ones", async () => {
    // Act
    const { code, stdout } = await omsched(ops, ['dlq', 'prune', ...TARGET, '--json']);

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ env: 'dev', pruned: 0, before: '2027-03-06T12:11:00.000Z' });
    expect(await ops.rt.deadLetter.list()).toHaveLength(2);
  });

  test('eight days later the default prunes them all', async () => {
    // Prepare
    await ops.rt.stop();
    await ops.clock.advance([8, 'days']);

    // Act
    const { stdout } = await omsched(ops, ['dlq', 'prune', ...TARGET]);

    // Assess
    expect(stdout).toBe('pruned 2 dead letters in env "dev" that last failed before 2027-03-14T12:11:00.000Z\n');
  });

  test('--before prunes entries that last failed before the instant', async () => {
    // Act
    const { code, stdout } = await omsched(ops, ['dlq', 'prune', ...TARGET, '--before', '2027-03-14', '--json']);

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ env: 'dev', pruned: 2, before: '2027-03-14T00:00:00.000Z' });
    expect(await ops.rt.deadLetter.list()).toEqual([]);
  });

  test('a bad --before is a usage error (exit 2)', async () => {
    // Act
    const { code, stderr } = await omsched(ops, ['dlq', 'prune', ...TARGET, '--before', 'last week']);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toBe('omsched: `--before` must be an ISO 8601 instant with a zone, e.g. 2027-03-13T12:00:00Z, or a date such as 2027-03-13, got: "last week"\n');
  });
});

describe('omsched dlq stats', () => {
  test('--json counts entries by job, queue and error class', async () => {
    // Act
    const { code, stdout } = await omsched(ops, ['dlq', 'stats', ...TARGET, '--json']);

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      env: 'dev',
      total: 2,
      byJob: { send_email: 1, charge_cards: 1 },
      byQueue: { mail: 1, default: 1 },
      byErrorClass: { RangeError: 1, TypeError: 1 },
      oldest: '2027-03-13T12:10:00.000Z',
      newest: '2027-03-13T12:11:00.000Z',
    });
  });

  test('the text shows the total and a small table per breakdown', async () => {
    // Act
    const { stdout } = await omsched(ops, ['dlq', 'stats', ...TARGET, '--tz', 'UTC']);

    // Assess
    expect(stdout).toBe(
      [
        'env "dev": 2 dead letters; oldest 2027-03-13 12:10:00 UTC, newest 2027-03-13 12:11:00 UTC',
        '',
        'JOB           COUNT',
        'charge_cards  1',
        'send_email    1',
        '',
        'QUEUE    COUNT',
        'default  1',
        'mail     1',
        '',
        'ERROR CLASS  COUNT',
        'RangeError   1',
        'TypeError    1',
        '',
      ].join('\n'),
    );
  });
});
