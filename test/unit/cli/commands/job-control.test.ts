/**
 * `omsched run-now JOB [--args JSON]`, `omsched pause JOB`, `omsched resume JOB` — each with `--env E`.
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

describe('omsched run-now', () => {
  test('enqueues a run with --args as the handler\'s ctx.args, and the run happens', async () => {
    // Act
    const { code, stdout, stderr } = await omsched(ops, ['run-now', 'send_email', ...TARGET, '--args', '{"to":"b@example.com"}', '--json']);
    await ops.clock.runUntilIdle();

    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toEqual({ env: 'dev', runId: expect.any(String), jobName: 'send_email', queue: 'mail', runAt: '2027-03-13T12:11:00.000Z' });
    const [latest] = await ops.rt.history('send_email', { limit: 1 });
    expect(latest).toMatchObject({ runId: out.runId, result: 'ok' });
  });

  test('without --json it says where the run went', async () => {
    // Act
    const { stdout } = await omsched(ops, ['run-now', 'sync_inventory', ...TARGET]);

    // Assess
    expect(stdout).toMatch(/^enqueued job "sync_inventory" on queue "default" in env "dev" as run [\w-]+\n$/);
  });

  test.each([
    ['bad JSON in --args is a usage error (exit 2)', ['send_email', '--args', '{to:b}'], 2, 'omsched: `--args` must be JSON, e.g. \'{"userId":"u1"}\', got: "{to:b}"\n'],
    ['an unknown job is not found (exit 1)', ['nope'], 1, 'omsched: job "nope" not found: known jobs: daily_report, sync_inventory, charge_cards, send_email\n'],
  ])('%s', async (_case, args, exitCode, message) => {
    // Act
    const { code, stdout, stderr } = await omsched(ops, ['run-now', ...args, ...TARGET]);

    // Assess
    expect(code).toBe(exitCode);
    expect(stderr).toBe(message);
    expect(stdout).toBe('');
  });
});

describe('omsched pause and resume', () => {
  test('pause stops the schedule: no runs while paused; resume starts it again', async () => {
    // Act
    const paused = await omsched(ops, ['pause', 'sync_inventory', ...TARGET, '--json']);
    await ops.clock.advance([10, 'minutes']);
    const runsWhilePaused = (await ops.rt.status('sync_inventory')).runCount;
    const resumed = await omsched(ops, ['resume', 'sync_inventory', ...TARGET]);
    await ops.clock.advance([10, 'minutes']);

    // Assess
    expect(paused.code).toBe(0);
    expect(JSON.parse(paused.stdout)).toEqual({ env: 'dev', job: 'sync_inventory', state: 'paused' });
    expect(runsWhilePaused).toBe(3);
    expect(resumed.stdout).toBe('job "sync_inventory" in env "dev" is now active\n');
    expect((await ops.rt.status('sync_inventory')).runCount).toBeGreaterThan(3);
  });

  test.each(['pause', 'resume'])('%s of an unknown job exits 1 naming the known jobs', async (command) => {
    // Act
    const { code, stderr } = await omsched(ops, [command, 'nope', ...TARGET]);

    // Assess
    expect(code).toBe(1);
    expect(stderr).toBe('omsched: job "nope" not found: known jobs: daily_report, sync_inventory, charge_cards, send_email\n');
  });
});
