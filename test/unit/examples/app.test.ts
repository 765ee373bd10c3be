/**
 * The example app (examples/app), tested the way a user tests their own jobs: with the
 * `om-scheduler/testing` sandbox on a virtual clock, never waiting in real time.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createSandbox, virtualClock, type Sandbox } from 'om-scheduler/testing';
import config from '../../../examples/app/scheduler.config.ts';
import { ExportWorker } from '../../../examples/app/jobs/export-worker.ts';
import { WebhookWorker } from '../../../examples/app/jobs/webhook-worker.ts';
import { configureServices, services } from '../../../examples/app/services.ts';
import { clockSleep } from '../../../examples/demo/story.ts';

describe('the demo shop, in the testing sandbox', () => {
  let sandbox: Sandbox;
  const log: string[] = [];

  beforeEach(async () => {
    // Prepare: Monday 2027-01-04 06:55 UTC; the app's "work" takes virtual time.
    const clock = virtualClock('2027-01-04T06:55:00Z');
    log.length = 0;
    configureServices({ reset: true, sleep: clockSleep(clock), log: (line) => log.push(line) });
    sandbox = await createSandbox(config, { mode: 'manual', clock });
  });

  afterEach(async () => {
    await sandbox.stop();
  });

  test('an export enqueued with args waits in manual mode, then runs its hooks on drain', async () => {
    // Act
    await ExportWorker.enqueue({ userId: 'u_1042' });
    sandbox.assertEnqueued({ worker: ExportWorker, args: { userId: 'u_1042' }, queue: 'exports' });
    await sandbox.drain();

    // Assess
    expect(services.storage.files.get('exports/u_1042.csv.gz')).toBe(1_400);
    expect(log).toEqual([
      'export_worker.onStart: exporting orders of u_1042',
      'export_worker.onSuccess: 1400 rows -> exports/u_1042.csv.gz; emailing the download link',
    ]);
  });

  test('a webhook delivery is retried with exponential backoff (15 s, 30 s) and succeeds on attempt 3', async () => {
    // Act
    await WebhookWorker.enqueue({ deliveryId: 'dlv_9', url: 'https://hooks.acme.example/orders', event: 'order.paid' });
    await sandbox.drain();

    // Assess: history is newest first; the sandbox's jitter source gives exact delays.
    const history = await sandbox.runtime.history('deliver_webhook');
    expect(history.map((h) => [h.attempt, h.result])).toEqual([
      [3, 'ok'],
      [2, 'retry'],
      [1, 'retry'],
    ]);
    expect(history.map((h) => h.startedAt.toISOString())).toEqual([
      '2027-01-04T06:55:45.000Z',
      '2027-01-04T06:55:15.000Z',
      '2027-01-04T06:55:00.000Z',
    ]);
  });

  test('one attempt of the partner import fails while the partner is down, and the next is due 20 s later', async () => {
    // Act
    const attempt = await sandbox.performJob('import_partner_feed', { feed: 'spring.csv' });

    // Assess
    expect(attempt.result).toBe('retry');
    expect(attempt.error?.message).toBe('partner-feed.example answered HTTP 502: Bad Gateway while fetching spring.csv');
    expect(attempt.nextAttemptAt).toEqual(new Date('2027-01-04T06:55:20.000Z'));
  });

  test('in the first hour the weekly report runs once, at Monday 08:00 Berlin time', async () => {
    // Act
    await sandbox.advance([1, 'hour']);

    // Assess
    const status = await sandbox.runtime.status('weekly_report');
    expect(status).toMatchObject({ runCount: 1, lastResult: 'ok', nextRunAt: new Date('2027-01-11T07:00:00.000Z') });
    expect(log).toContain('weekly_report: 312 orders, €18734 — mailed to team@demo-shop.example');
  });
});
