import { describe, expect, test } from 'vitest';
import { InvalidMessageError } from '../../../shared/errors.ts';
import { JOB_METRICS } from '../../../shared/metric-names.ts';
import { enqueueMessage, scheduleTargetInput, tickMessage } from '../../../shared/messages.ts';
import { WORKER_ENV } from '../../../shared/naming.ts';
import type { JobStateRecord, JobStateStore } from '../../../shared/ports.ts';
import { cachedJobStateStore } from '../../../functions/worker/cached-job-state.ts';
import { BODY_HEAD_CHARS, MAX_BODY_BYTES, decideRecord, waitTimeOf } from '../../../functions/worker/record-to-message.ts';
import { forEachBounded } from '../../../functions/worker/sqs-worker.ts';
import { metricsOf } from '../../../functions/worker/telemetry-metrics.ts';
import { readWorkerEnv } from '../../../functions/worker/worker-env.ts';

const SENT = Date.parse('2027-01-04T06:00:07.120Z');
const NOW = SENT + 50;
const record = (body: string, attributes: Record<string, string> = { SentTimestamp: String(SENT) }) => ({ body, attributes: attributes as never });

describe('what the worker makes of an SQS record', () => {
  test('a run message is passed on as it was sent', () => {
    const message = enqueueMessage('send_email', { to: 'a@example.com' }, SENT, { runId: 'r1' });
    expect(decideRecord(record(JSON.stringify(message)), NOW)).toEqual({ kind: 'message', message });
  });

  test('a scheduler tick becomes the tick’s run message', () => {
    const body = JSON.stringify({ v: 1, tick: true, job: 'daily_report', scheduledAt: '2027-01-04T06:00:00Z' });
    expect(decideRecord(record(body), NOW)).toEqual({ kind: 'message', message: tickMessage('daily_report', Date.parse('2027-01-04T06:00:00Z'), NOW) });
  });

  test('a tick whose scheduled time the emulator left unsubstituted falls back to the send time, floored to the minute', () => {
    // Prepare: exactly the Target.Input the schedules carry
    const body = scheduleTargetInput('daily_report');
    // Act
    const decision = decideRecord(record(body), NOW);
    // Assess
    expect(decision).toEqual({ kind: 'message', message: tickMessage('daily_report', Date.parse('2027-01-04T06:00:00.000Z'), NOW) });
  });

  test('a small malformed body is passed raw, so the core dead-letters it with its parse error', () => {
    expect(decideRecord(record('not json'), NOW)).toEqual({ kind: 'raw', body: 'not json' });
  });

  test('a body over 1 MiB is dead-lettered by the worker with a shortened copy and a clear reason', () => {
    // Prepare
    const body = JSON.stringify({ v: 1, job: 'import_orders', pad: 'x'.repeat(MAX_BODY_BYTES) });
    const bytes = Buffer.byteLength(body);
    // Act
    const decision = decideRecord(record(body), NOW);
    // Assess
    expect(decision).toEqual({
      kind: 'undeliverable',
      jobName: 'import_orders',
      error: new InvalidMessageError(`message body is ${bytes} bytes, over the 1048576-byte limit; its first 1024 characters are kept in args.bodyHead`),
      args: { bodyHead: body.slice(0, BODY_HEAD_CHARS), bytes },
    });
  });

  test('a large malformed body is dead-lettered shortened, naming the parse error', () => {
    const body = JSON.stringify({ v: 2, job: 'sync', pad: 'y'.repeat(70_000) });
    const decision = decideRecord(record(body), NOW);
    expect(decision.kind).toBe('undeliverable');
    expect(decision.kind === 'undeliverable' && decision.error.message).toBe(
      `message field \`v\` is invalid: expected 1, got 2 (body of ${Buffer.byteLength(body)} bytes; its first 1024 characters are kept in args.bodyHead)`,
    );
  });

  test.each([
    { what: 'time from send to first receive', attributes: { SentTimestamp: String(SENT), ApproximateFirstReceiveTimestamp: String(SENT + 30) }, expected: 30 },
    { what: 'time from send to now when the first receive is unknown', attributes: { SentTimestamp: String(SENT) }, expected: 50 },
    { what: 'nothing without a send time', attributes: {}, expected: undefined },
  ])('the queue wait time is the $what', ({ attributes, expected }) => {
    expect(waitTimeOf({ attributes: attributes as never }, NOW)).toBe(expected);
  });
});

describe('the worker’s metrics', () => {
  const meta = { job: 'sync', queue: 'default', attempt: 1, runId: 'r1', tags: [], meta: {} };

  test('a finished attempt counts a run and its duration, by job', () => {
    expect(metricsOf('job:stop', { measurements: { duration: 120 }, metadata: { ...meta, result: 'ok' } })).toEqual([
      { name: JOB_METRICS.runs, unit: 'Count', value: 1, dimensions: { job: 'sync' } },
      { name: JOB_METRICS.durationMs, unit: 'Milliseconds', value: 120, dimensions: { job: 'sync' } },
    ]);
  });

  test('a duplicate delivery counts as a duplicate; a paused tick counts nothing', () => {
    expect(metricsOf('job:skip', { measurements: { systemTime: 0 }, metadata: { ...meta, reason: 'duplicate' } })).toEqual([
      { name: 'JobDuplicates', unit: 'Count', value: 1, dimensions: { job: 'sync' } },
    ]);
    expect(metricsOf('job:skip', { measurements: { systemTime: 0 }, metadata: { ...meta, reason: 'paused' } })).toEqual([]);
  });

  test('a dead-letter insert counts by queue', () => {
    expect(metricsOf('deadLetter:insert', { measurements: { total: 3 }, metadata: { id: 'd', job: 'sync', queue: 'imports', errorClass: 'E', attempts: 4 } })).toEqual([
      { name: 'DeadLetters', unit: 'Count', value: 1, dimensions: { queue: 'imports' } },
    ]);
  });
});

describe('the worker’s container setup', () => {
  test('reads its settings from the WORKER_ENV variables', () => {
    const env = {
      [WORKER_ENV.app]: 'shop',
      [WORKER_ENV.env]: 'dev',
      [WORKER_ENV.table]: 'shop-dev-state',
      [WORKER_ENV.queue]: 'default',
      [WORKER_ENV.queues]: '{"default":{"url":"http://q/000/shop-dev-default","arn":"arn:aws:sqs:us-east-1:000:shop-dev-default"}}',
      [WORKER_ENV.scheduleGroup]: 'shop-dev',
      [WORKER_ENV.schedulerRoleArn]: 'arn:aws:iam::000:role/shop-dev-scheduler',
      [WORKER_ENV.logLevel]: 'debug',
    };
    expect(readWorkerEnv(env)).toEqual({
      app: 'shop',
      env: 'dev',
      table: 'shop-dev-state',
      queue: 'default',
      queues: { default: { url: 'http://q/000/shop-dev-default', arn: 'arn:aws:sqs:us-east-1:000:shop-dev-default' } },
      scheduleGroup: 'shop-dev',
      schedulerRoleArn: 'arn:aws:iam::000:role/shop-dev-scheduler',
      logLevel: 'DEBUG',
      metricsNamespace: 'OmScheduler/shop-dev',
    });
  });

  test('a missing variable is named in the error', () => {
    expect(() => readWorkerEnv({})).toThrow(
      'worker environment is missing OMSCHED_APP, OMSCHED_ENV, OMSCHED_TABLE, OMSCHED_QUEUE, OMSCHED_QUEUES, OMSCHED_SCHEDULE_GROUP, OMSCHED_SCHEDULER_ROLE_ARN (set by the om-scheduler CDK construct)',
    );
  });

  test('job-state reads come from one cached list, refreshed after the cache lifetime or a write', async () => {
    // Prepare
    let lists = 0;
    const records = new Map<string, JobStateRecord>([['sync', { name: 'sync', paused: true, updatedAtMs: 1 }]]);
    const inner: JobStateStore = {
      get: async () => { throw new Error('get must not be called'); },
      list: async () => { lists++; return [...records.values()]; },
      put: async (r) => void records.set(r.name, r),
      delete: async (n) => void records.delete(n),
    };
    let now = 0;
    const cached = cachedJobStateStore(inner, 5_000, () => now, new Set(['sync', 'other']));
    // Act + Assess
    expect(await cached.get('sync')).toEqual({ name: 'sync', paused: true, updatedAtMs: 1 });
    expect(await cached.get('other')).toBeUndefined();
    expect(lists).toBe(1);
    now = 5_000;
    await cached.get('sync');
    expect(lists).toBe(2);
    await cached.put({ name: 'sync', paused: false, updatedAtMs: 2 });
    expect(await cached.get('sync')).toEqual({ name: 'sync', paused: false, updatedAtMs: 2 });
    expect(lists).toBe(3);
  });

  test('a name that is no config job and not in the cache is read through, so a job inserted a moment ago is found', async () => {
    // Prepare: the cache was filled before the insert.
    const records = new Map<string, JobStateRecord>();
    const gets: string[] = [];
    const inner: JobStateStore = {
      get: async (n) => (gets.push(n), records.get(n)),
      list: async () => [...records.values()],
      put: async (r) => void records.set(r.name, r),
      delete: async (n) => void records.delete(n),
    };
    const cached = cachedJobStateStore(inner, 5_000, () => 0, new Set(['daily_report']));
    expect(await cached.get('daily_report')).toBeUndefined();
    records.set('nightly_sync', { name: 'nightly_sync', paused: false, handlerRef: 'daily_report', updatedAtMs: 1 });
    // Act
    const found = await cached.get('nightly_sync');
    await cached.get('daily_report');
    // Assess: one read-through for the new name; config jobs without a record cost nothing.
    expect(found).toEqual({ name: 'nightly_sync', paused: false, handlerRef: 'daily_report', updatedAtMs: 1 });
    expect(gets).toEqual(['nightly_sync']);
  });

  test('records of a batch run concurrently, never more than the bound at once', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachBounded([1, 2, 3, 4, 5], 2, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 1));
      running--;
      done.push(n);
    });
    expect({ peak, done: done.sort() }).toEqual({ peak: 2, done: [1, 2, 3, 4, 5] });
  });
});
