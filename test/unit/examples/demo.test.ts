/**
 * The demo (`npm start`) as a smoke test: the story runs in fast mode on its virtual clock and
 * every moment it promises a newcomer actually happens — retries with backoff, a dead letter
 * and its successful retry, a cancelled run, enqueues with args, and the closing tables.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { runDemo, type DemoReport } from '../../../examples/demo/story.ts';
import { stripAnsi } from '../../../examples/demo/palette.ts';

describe('the demo story (npm start -- --fast)', () => {
  let report: DemoReport;
  let output = '';

  beforeAll(async () => {
    // Prepare + Act: one run of the whole story, output captured.
    report = await runDemo({ fast: true, write: (text) => void (output += text) });
  });

  const eventsOf = (job: string, event: string) => report.events.filter((e) => e.job === job && e.event === event);

  test('the webhook delivery fails twice, is retried with growing backoff, and succeeds on attempt 3', () => {
    // Assess
    expect(eventsOf('deliver_webhook', 'job:stop').map((e) => [e.attempt, e.result])).toEqual([
      [1, 'retry'],
      [2, 'retry'],
      [3, 'ok'],
    ]);
    const delays = eventsOf('deliver_webhook', 'job:retry').map((e) => Number(e.detail));
    expect(delays).toHaveLength(2);
    // exponential from 15 s with ±20 % jitter: ~15 s, then ~30 s
    expect(delays[0]).toBeGreaterThanOrEqual(12_000);
    expect(delays[0]).toBeLessThanOrEqual(18_000);
    expect(delays[1]).toBeGreaterThanOrEqual(24_000);
    expect(delays[1]).toBeLessThanOrEqual(36_000);
  });

  test('the partner feed import is dead-lettered after 3 attempts, then retried from the store and succeeds', () => {
    // Assess
    const inserted = eventsOf('import_partner_feed', 'deadLetter:insert');
    expect(inserted.map((e) => e.attempt)).toEqual([3]);
    expect(eventsOf('import_partner_feed', 'deadLetter:retry').map((e) => e.detail)).toEqual([inserted[0]?.detail]);
    expect(eventsOf('import_partner_feed', 'job:stop').map((e) => e.result)).toEqual(['retry', 'retry', 'error', 'ok']);
    expect(report.deadLetters.map((e) => e.jobName)).not.toContain('import_partner_feed');
  });

  test('the big export is cancelled while running', () => {
    // Assess
    expect(eventsOf('export_worker', 'job:stop').map((e) => e.result)).toEqual(['ok', 'cancelled']);
    expect(output).toContain('export_worker.onCancel: export of u_2001 stopped (customer withdrew the request)');
  });

  test('the job that always fails stays in the dead-letter store', () => {
    // Assess
    expect(report.deadLetterStats.total).toBe(1);
    expect(report.deadLetterStats.byJob).toEqual({ sync_legacy_crm: 1 });
    expect(report.deadLetters[0]).toMatchObject({ jobName: 'sync_legacy_crm', attempts: 2, errorClass: 'CrmDecommissionedError' });
  });

  test('the weekly report fires at Monday 08:00 Berlin time (07:00 UTC) and is next due a week later', () => {
    // Assess
    const status = report.statuses.find((s) => s.name === 'weekly_report');
    expect(status).toMatchObject({ runCount: 1, errorCount: 0, lastResult: 'ok', nextRunAt: new Date('2027-01-11T07:00:00.000Z') });
    expect(output).toContain('07:00:00  ▶ weekly_report');
  });

  test('the story ends with the job, queue and dead-letter tables, without colour when not asked for', () => {
    // Assess
    expect(output).toBe(stripAnsi(output));
    expect(output).toMatch(/\nJobs\n {2}job +state +runs +errors +last result +last run +next run\n/);
    expect(output).toMatch(/\nQueues\n {2}queue +concurrency +running +pending +paused\n/);
    expect(output).toContain('Dead letters  total 1 · by job: sync_legacy_crm: 1');
    expect(Object.keys(report.queues)).toEqual(['default', 'critical', 'exports', 'webhooks']);
    expect(report.endedAt.toISOString()).toBe('2027-01-04T07:15:00.000Z');
  });
});
