/**
 * The core runner used directly, as the AWS worker will: adapters in, a report out, the
 * caller maps the disposition (delete vs. batch item failure).
 */
import { describe, expect, test } from 'vitest';
import { virtualClock } from '../../../shared/adapters/clock.ts';
import { MemoryQueue } from '../../../shared/adapters/memory/queue.ts';
import { MemoryScheduler } from '../../../shared/adapters/memory/scheduler.ts';
import { createMemoryStores } from '../../../shared/adapters/memory/stores.ts';
import { defineConfig } from '../../../shared/config/define-config.ts';
import { defineJob } from '../../../shared/config/define-job.ts';
import { configMaterializer, createJobRegistry } from '../../../shared/engine/job-registry.ts';
import { JobRunner } from '../../../shared/engine/job-runner.ts';
import { silentLogger } from '../../../shared/engine/logger.ts';
import { enqueueMessage } from '../../../shared/messages.ts';
import { Telemetry } from '../../../shared/telemetry.ts';
import type { JobContext } from '../../../shared/types.ts';
import { T0_MS, deferred, harness } from './harness.ts';

function core(handler: (ctx: JobContext) => unknown) {
  const clock = virtualClock(T0_MS);
  const config = defineConfig({ app: 'test', jobs: [defineJob({ name: 'work', maxRetries: 2, retryJitter: 0, handler })] });
  const stores = createMemoryStores();
  const queue = new MemoryQueue({ clock, queues: config.queues });
  const runner = new JobRunner({
    clock,
    random: () => 0.5,
    stores,
    queue,
    scheduler: new MemoryScheduler({ clock, queue }),
    telemetry: new Telemetry(),
    jobs: createJobRegistry({ jobs: config.jobs, jobState: stores.jobState, materialize: () => undefined }),
    deadLetter: config.deadLetter,
    nodeId: 'worker-1',
    logger: silentLogger,
  });
  return { clock, stores, queue, runner };
}

describe('the core runner on memory adapters', () => {
  test('a successful message reports ran / ok / ack', async () => {
    const { runner } = core(() => 'done');
    const report = await runner.process(enqueueMessage('work', { a: 1 }, T0_MS, { runId: 'r1' }), { queue: 'default' });
    expect(report).toMatchObject({ status: 'ran', disposition: 'ack', jobName: 'work', runId: 'r1', attempt: 1, result: 'ok', value: 'done' });
  });

  test('a JSON string body is accepted, as SQS delivers it', async () => {
    const { runner } = core(() => 'done');
    const report = await runner.process(JSON.stringify(enqueueMessage('work', {}, T0_MS)), { queue: 'default' });
    expect(report.result).toBe('ok');
  });

  test('a failing attempt queues the next attempt on the queue port with the backoff delay', async () => {
    const { runner, queue, clock } = core(() => { throw new Error('flaky'); });
    const report = await runner.process(enqueueMessage('work', {}, T0_MS, { runId: 'r1' }), { queue: 'default' });
    expect(report).toMatchObject({ result: 'retry', nextAttemptAt: new Date(T0_MS + 1_000) });
    expect(await queue.counts('default')).toEqual({ pending: 0, inFlight: 0, delayed: 1 });
    await clock.advance(1_000);
    const [next] = await queue.receive('default', 1, 60_000);
    expect(next!.message).toMatchObject({ runId: 'r1', attempt: 2, source: 'retry', firstFailedAt: new Date(T0_MS).toISOString() });
  });

  test('when a store fails mid-run the report says redeliver, and the redelivery runs again', async () => {
    // Prepare
    let runs = 0;
    const { runner, stores } = core(() => void runs++);
    const append = stores.history.append.bind(stores.history);
    let broken = true;
    stores.history.append = async (entry) => {
      if (broken) throw new Error('DynamoDB throttled');
      return append(entry);
    };
    const message = enqueueMessage('work', {}, T0_MS, { runId: 'r1' });
    // Act
    const first = await runner.process(message, { queue: 'default' });
    broken = false;
    const second = await runner.process(message, { queue: 'default' });
    // Assess
    expect(first).toMatchObject({ status: 'infrastructureError', disposition: 'redeliver' });
    expect(first.error!.message).toBe('DynamoDB throttled');
    expect(second).toMatchObject({ status: 'ran', result: 'ok' });
    expect(runs).toBe(2);
  });
});

test('with cancelPollMs, a cancel requested through another runtime on the same stores reaches the running attempt', async () => {
  // Prepare
  const clock = virtualClock(T0_MS);
  const stores = createMemoryStores();
  const started = deferred();
  const job = defineJob({ name: 'long', timeout: [5, 'minutes'], handler: () => (started.resolve(), new Promise(() => {})) });
  const worker = await harness({ jobs: [job] }, { clock, stores, nodeId: 'a', cancelPollMs: 1_000 });
  const admin = await harness({ jobs: [job] }, { clock, stores, nodeId: 'b' });
  await worker.rt.enqueue('long');
  await started.promise;
  // Act
  expect(await admin.rt.cancelJob('long', { reason: 'from admin' })).toBe(1);
  await clock.advance(1_000);
  // Assess
  expect((await worker.rt.history('long')).map((e) => [e.result, e.durationMs, e.error?.message])).toEqual([
    ['cancelled', 1_000, 'job "long" cancelled: from admin'],
  ]);
});

describe('the job registry', () => {
  test('resolves config jobs, runtime records naming a deployed handler, pauses and deletes from the shared store', async () => {
    // Prepare: what an AWS worker sees — deployed code only, state in the store.
    const config = defineConfig({ app: 'test', jobs: [defineJob({ name: 'report', handler: () => 'r' }), defineJob({ name: 'old', handler: () => {} })] });
    const stores = createMemoryStores();
    const registry = createJobRegistry({ jobs: config.jobs, jobState: stores.jobState, materialize: configMaterializer(config) });
    // Act
    await stores.jobState.put({ name: 'report_eu', paused: false, handlerRef: 'report', definition: { cron: '0 8 * * *', timezone: 'Europe/Paris' }, updatedAtMs: 1 });
    await stores.jobState.put({ name: 'inline_elsewhere', paused: false, definition: { every: [1, 'hour'] }, updatedAtMs: 1 });
    await stores.jobState.put({ name: 'report', paused: true, updatedAtMs: 2 });
    await stores.jobState.put({ name: 'old', paused: false, deleted: true, updatedAtMs: 3 });
    // Assess
    const eu = await registry.get('report_eu');
    expect(eu?.job).toMatchObject({ name: 'report_eu', origin: 'runtime', timezone: 'Europe/Paris', cron: ['0 8 * * *'] });
    expect(eu?.job.handler({} as JobContext)).toBe('r');
    expect((await registry.get('report'))?.paused).toBe(true);
    expect(await registry.get('old')).toBeUndefined();
    expect(await registry.get('inline_elsewhere')).toBeUndefined();
    expect((await registry.list()).map((r) => r.job.name)).toEqual(['report', 'report_eu']);
  });
});
