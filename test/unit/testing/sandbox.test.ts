import { afterEach, describe, expect, test } from 'vitest';
import { defineConfig } from '../../../shared/config/define-config.ts';
import { defineJob } from '../../../shared/config/define-job.ts';
import { getDefaultClient, setDefaultClient } from '../../../shared/config/default-client.ts';
import { Worker } from '../../../shared/config/worker.ts';
import { cancel, fail, retry } from '../../../shared/outcomes.ts';
import { createSandbox, virtualClock } from '../../../shared/testing/index.ts';
import type { JobContext, JobInfo } from '../../../shared/types.ts';

const T0 = '2027-01-04T00:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms);

const sent: unknown[] = [];
class WelcomeEmail extends Worker<{ to: string; locale?: string }> {
  override schedule() {
    return { queue: 'mail', maxRetries: 2, retryDelay: 1_000, retryJitter: 0 };
  }
  perform({ args }: JobContext<{ to: string; locale?: string }>) {
    if (args.to === 'bounce@example.com') throw new Error('mailbox does not exist');
    sent.push(args);
    return { delivered: args.to };
  }
}

const config = () =>
  defineConfig({
    app: 'test',
    queues: { default: 5, mail: 2 },
    jobs: [
      WelcomeEmail,
      defineJob({ name: 'nightly_cleanup', cron: '0 3 * * *', handler: () => 'cleaned' }),
      defineJob({ name: 'fan_out', handler: async () => void (await WelcomeEmail.enqueue({ to: 'fan@example.com' })) }),
    ],
  });

afterEach(() => {
  sent.length = 0;
  setDefaultClient(undefined);
});

describe('manual mode', () => {
  test('enqueued jobs are recorded and wait until drain()', async () => {
    // Prepare
    const sandbox = createSandbox(config(), { mode: 'manual', clock: virtualClock(T0) });
    // Act
    await WelcomeEmail.enqueue({ to: 'a@example.com', locale: 'fr' });
    await sandbox.clock.advance(0);
    const sentBeforeDrain = [...sent];
    await sandbox.drain();
    // Assess
    expect(sentBeforeDrain).toEqual([]);
    expect(sent).toEqual([{ to: 'a@example.com', locale: 'fr' }]);
    expect(sandbox.enqueued()).toEqual([
      {
        job: 'welcome_email',
        queue: 'mail',
        args: { to: 'a@example.com', locale: 'fr' },
        runId: expect.any(String),
        source: 'enqueue',
        priority: 0,
        delayMs: 0,
        enqueuedAt: at(0),
      },
    ]);
  });

  test('advance() fires schedules and runs what falls due', async () => {
    const sandbox = createSandbox(config(), { clock: virtualClock(T0) });
    await sandbox.advance([3, 'hours']);
    sandbox.assertEnqueued({ job: 'nightly_cleanup' });
    expect((await sandbox.runtime.history('nightly_cleanup')).map((e) => [e.result, e.scheduledAt])).toEqual([['ok', at(3 * 3_600_000)]]);
  });
});

describe('inline mode', () => {
  test('enqueue runs the job to completion before it resolves, retries included', async () => {
    const sandbox = createSandbox(config(), { mode: 'inline', clock: virtualClock(T0) });
    await WelcomeEmail.enqueue({ to: 'bounce@example.com' });
    expect((await sandbox.runtime.history('welcome_email')).map((e) => e.result)).toEqual(['error', 'retry', 'retry']);
    expect(sandbox.clock.now()).toBe(at(3_000).getTime()); // 1 s + 2 s of backoff
    expect(await sandbox.runtime.deadLetter.list()).toHaveLength(1);
  });

  test('a job that enqueues another job: both have run when the outer enqueue resolves', async () => {
    const sandbox = createSandbox(config(), { mode: 'inline', clock: virtualClock(T0) });
    await sandbox.enqueue('fan_out');
    expect(sent).toEqual([{ to: 'fan@example.com' }]);
  });
});

describe('assertEnqueued and refuteEnqueued', () => {
  test('match on worker, job name, queue, and args as a subset', async () => {
    const sandbox = createSandbox(config(), { clock: virtualClock(T0) });
    await WelcomeEmail.enqueue({ to: 'a@example.com', locale: 'fr' });
    expect(sandbox.assertEnqueued({ worker: WelcomeEmail, args: { to: 'a@example.com' } }).args).toEqual({ to: 'a@example.com', locale: 'fr' });
    sandbox.assertEnqueued({ job: 'welcome_email', queue: 'mail' });
    sandbox.refuteEnqueued({ worker: WelcomeEmail, args: { to: 'b@example.com' } });
    sandbox.refuteEnqueued({ job: 'nightly_cleanup' });
  });

  test('a failed assertEnqueued lists what was enqueued', async () => {
    const sandbox = createSandbox(config(), { clock: virtualClock(T0) });
    await WelcomeEmail.enqueue({ to: 'a@example.com' });
    await sandbox.enqueue('nightly_cleanup', {}, { delay: 5_000 });
    expect(() => sandbox.assertEnqueued({ worker: WelcomeEmail, args: { to: 'b@example.com' } })).toThrow(
      'assertEnqueued: expected a job matching {"job":"welcome_email","args":{"to":"b@example.com"}} to have been enqueued, but none was. ' +
        'Enqueued (2):\n' +
        '  - welcome_email on "mail" with {"to":"a@example.com"} (enqueue)\n' +
        '  - nightly_cleanup on "default" with {} (enqueue, delay 5000 ms)',
    );
  });

  test('a failed assertEnqueued with nothing enqueued says so', async () => {
    const sandbox = createSandbox(config(), { clock: virtualClock(T0) });
    expect(() => sandbox.assertEnqueued({ job: 'nightly_cleanup' })).toThrow(
      'assertEnqueued: expected a job matching {"job":"nightly_cleanup"} to have been enqueued, but none was. Nothing was enqueued.',
    );
  });

  test('a failed refuteEnqueued lists the matches', async () => {
    const sandbox = createSandbox(config(), { clock: virtualClock(T0) });
    await WelcomeEmail.enqueue({ to: 'a@example.com' });
    expect(() => sandbox.refuteEnqueued({ worker: WelcomeEmail })).toThrow(
      'refuteEnqueued: expected no job matching {"job":"welcome_email"} to have been enqueued, but found 1. Matching (1):\n' +
        '  - welcome_email on "mail" with {"to":"a@example.com"} (enqueue)',
    );
  });

  test('a job name that does not exist is an error, so a typo cannot make refuteEnqueued pass', async () => {
    const sandbox = createSandbox(config(), { clock: virtualClock(T0) });
    expect(() => sandbox.refuteEnqueued({ job: 'welcom_email' })).toThrow(
      'job "welcom_email" not found: refuteEnqueued names a job that is neither in the config nor ever enqueued; known jobs: welcome_email, nightly_cleanup, fan_out',
    );
  });
});

describe('performJob', () => {
  test('runs one attempt and returns result, value and the history entry', async () => {
    const sandbox = createSandbox(config(), { clock: virtualClock(T0) });
    const outcome = await sandbox.performJob(WelcomeEmail, { to: 'a@example.com' });
    expect(outcome).toMatchObject({ result: 'ok', value: { delivered: 'a@example.com' }, error: undefined, nextAttemptAt: undefined });
    expect(outcome.history).toMatchObject({ jobName: 'welcome_email', attempt: 1, result: 'ok', startedAt: at(0) });
  });

  test('a failing attempt with retries left returns retry; the next attempt waits for drain()', async () => {
    const sandbox = createSandbox(config(), { clock: virtualClock(T0) });
    const outcome = await sandbox.performJob('welcome_email', { to: 'bounce@example.com' });
    expect(outcome.result).toBe('retry');
    expect(outcome.error?.message).toBe('mailbox does not exist');
    expect(outcome.nextAttemptAt).toEqual(at(1_000));
    expect((await sandbox.runtime.history('welcome_email')).map((e) => e.result)).toEqual(['retry']);
  });

  test('the final attempt can be performed directly: error, onFailure and a dead letter', async () => {
    const failures: string[] = [];
    const sandbox = createSandbox(
      defineConfig({
        jobs: [defineJob({ name: 'charge', maxRetries: 2, onFailure: (job: JobInfo, e: Error) => void failures.push(`${job.name}: ${e.message}`), handler: () => fail('card declined') })],
      }),
      { clock: virtualClock(T0) },
    );
    const outcome = await sandbox.performJob('charge', { orderId: 1 }, { attempt: 3 });
    expect(outcome.result).toBe('error');
    expect(failures).toEqual(['charge: card declined']);
    expect((await sandbox.runtime.deadLetter.list()).map((e) => [e.jobName, e.args, e.attempts])).toEqual([['charge', { orderId: 1 }, 3]]);
  });

  test.each([
    ['retry(ms)', () => retry(5_000), 'retry'],
    ['cancel', () => cancel('nope'), 'cancelled'],
  ] as const)('performs a job outside the config given as a definition: %s', async (_name, handler, expected) => {
    const sandbox = createSandbox(config(), { clock: virtualClock(T0) });
    const outcome = await sandbox.performJob(defineJob({ name: 'adhoc', handler }));
    expect(outcome.result).toBe(expected);
  });

  test('a handler ignoring its signal times out at the exact virtual instant', async () => {
    const sandbox = createSandbox(
      defineConfig({ jobs: [defineJob({ name: 'hang', timeout: [30, 'seconds'], maxRetries: 0, handler: () => new Promise(() => {}) })] }),
      { clock: virtualClock(T0) },
    );
    const outcome = await sandbox.performJob('hang');
    expect(outcome.result).toBe('timeout');
    expect(outcome.history.finishedAt).toEqual(at(30_000));
  });

  test("onError: 'raise' makes performJob reject with the job's error", async () => {
    const sandbox = createSandbox(
      defineConfig({ jobs: [defineJob({ name: 'loud', maxRetries: 0, onError: 'raise', handler: () => fail('kaboom') })] }),
      { clock: virtualClock(T0) },
    );
    await expect(sandbox.performJob('loud')).rejects.toThrow('kaboom');
  });

  test('an unknown job name throws NotFoundError listing the jobs', async () => {
    const sandbox = createSandbox(config(), { clock: virtualClock(T0) });
    await expect(sandbox.performJob('nope')).rejects.toThrow('job "nope" not found: known jobs: welcome_email, nightly_cleanup, fan_out');
  });
});

test('createSandbox binds Worker.enqueue to the sandbox and stop() unbinds it', async () => {
  const sandbox = createSandbox(config(), { clock: virtualClock(T0) });
  expect(getDefaultClient()).toBe(sandbox.client);
  await sandbox.stop();
  expect(() => getDefaultClient()).toThrow(/no runtime client is bound/);
});
