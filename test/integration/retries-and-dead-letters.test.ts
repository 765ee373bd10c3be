/**
 * Failures on the deployed app: retries with backoff, dead letters and retrying them, and
 * messages the worker cannot parse.
 */
import { randomUUID } from 'node:crypto';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { appSkipReason, eventually } from './helpers/emulator-context.ts';
import { connectDeployedApp, type DeployedApp } from './helpers/deployed-app.ts';

const skipReason = appSkipReason();

describe.skipIf(skipReason !== undefined)('retries and dead letters of the deployed app', () => {
  let app: DeployedApp;
  beforeAll(async () => {
    app = await connectDeployedApp();
  });
  afterAll(() => app?.close());

  test('a job that fails twice is retried after 1 s and 2 s, then succeeds on its third attempt', async () => {
    // Act
    const { runId } = await app.client.enqueue('it_flaky', {});

    // Assess
    const attempts = await eventually('the third attempt to succeed', 45_000, async () => {
      const runs = (await app.client.history('it_flaky')).filter((h) => h.runId === runId).reverse();
      return runs.some((h) => h.result === 'ok') ? runs : undefined;
    });
    expect(attempts.map((h) => [h.attempt, h.result === 'ok' ? 'ok' : 'failed'])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'ok'],
    ]);
    const gaps = [1, 2].map((i) => attempts[i]!.startedAt.getTime() - attempts[i - 1]!.finishedAt.getTime());
    expect(gaps[0]).toBeGreaterThanOrEqual(900);
    expect(gaps[1]).toBeGreaterThanOrEqual(1_900);
  });

  test('a run that fails its last retry becomes a dead letter, and retrying the dead letter succeeds', async () => {
    // Prepare: the job fails for the next 6 s (both attempts), then recovers.
    const failUntil = Date.now() + 6_000;

    // Act
    const { runId } = await app.client.enqueue('it_doomed', { failUntil });
    const entry = await eventually('the dead letter', 30_000, async () =>
      (await app.client.deadLetter.list({ jobName: 'it_doomed' })).find((e) => (e.args as { failUntil?: number })?.failUntil === failUntil),
    );
    await new Promise((r) => setTimeout(r, Math.max(0, failUntil - Date.now()) + 200));
    const retried = await app.client.deadLetter.retry(entry.id);

    // Assess
    expect(entry).toMatchObject({ jobName: 'it_doomed', queue: 'default', attempts: 2, error: { message: 'doomed: upstream is down' } });
    const ok = await eventually('the retried run to succeed', 30_000, async () =>
      (await app.client.history('it_doomed')).find((h) => h.runId === retried.runId && h.result === 'ok'),
    );
    expect(ok.runId).not.toBe(runId);
    await expect(app.client.deadLetter.get(entry.id)).rejects.toThrow();
  });

  test('a malformed message is dead-lettered instead of being retried forever', async () => {
    // Prepare
    const marker = randomUUID();

    // Act
    await app.sqs.send(new SendMessageCommand({ QueueUrl: app.queues.default!.url, MessageBody: `{"not":"a run message","marker":"${marker}"}` }));

    // Assess: a dead-letter entry that carries the body, or (last resort) the SQS redrive queue.
    const where = await eventually('the malformed message to be dead-lettered', 30_000, async () => {
      const entries = await app.client.deadLetter.list({ limit: 50 });
      if (entries.some((e) => JSON.stringify(e).includes(marker))) return 'dead-letter store';
      const redrive = app.queues.default!.url.replace(/[^/]+$/, app.names.redriveQueue('default'));
      const res = await app.sqs.send(new ReceiveMessageCommand({ QueueUrl: redrive, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
      return res.Messages?.some((m) => m.Body?.includes(marker)) ? 'redrive queue' : undefined;
    });
    expect(where).toBe('dead-letter store');
  });
});
