/**
 * A worker that dies mid-run (a Lambda killed, a process crash) loses nothing: its attempt was
 * claimed but never recorded, so the claim expires (timeout + margin), the message comes back
 * after the queue's visibility timeout (≥ 6 × the function timeout on AWS), and the next worker
 * runs it. This is what the AWS worker relies on; here the same core runs on memory adapters.
 */
import { describe, expect, test } from 'vitest';
import { virtualClock } from '../../../shared/adapters/clock.ts';
import { MemoryQueue } from '../../../shared/adapters/memory/queue.ts';
import { MemoryScheduler } from '../../../shared/adapters/memory/scheduler.ts';
import { createMemoryStores } from '../../../shared/adapters/memory/stores.ts';
import { defineConfig } from '../../../shared/config/define-config.ts';
import { defineJob } from '../../../shared/config/define-job.ts';
import { configMaterializer, createJobRegistry } from '../../../shared/engine/job-registry.ts';
import { JobRunner, LOCK_MARGIN_MS } from '../../../shared/engine/job-runner.ts';
import { silentLogger } from '../../../shared/engine/logger.ts';
import { enqueueMessage } from '../../../shared/messages.ts';
import { Telemetry } from '../../../shared/telemetry.ts';
import type { JobHandler } from '../../../shared/types.ts';
import { T0 } from './harness.ts';

const TIMEOUT_MS = 30_000;
const VISIBILITY_MS = 6 * TIMEOUT_MS;

function setup(opts: { handler?: JobHandler; cancelPollMs?: number } = {}) {
  const clock = virtualClock(T0);
  const runs: string[] = [];
  const config = defineConfig({
    app: 'test',
    jobs: [defineJob({ name: 'charge_card', timeout: TIMEOUT_MS, handler: opts.handler ?? (({ args }) => void runs.push((args as { order: string }).order)) })],
  });
  const stores = createMemoryStores();
  const queue = new MemoryQueue({ clock, queues: config.queues });
  const worker = (nodeId: string) =>
    new JobRunner({
      clock,
      random: () => 0.5,
      stores,
      queue,
      scheduler: new MemoryScheduler({ clock, queue }),
      telemetry: new Telemetry(),
      jobs: createJobRegistry({ jobs: config.jobs, jobState: stores.jobState, materialize: configMaterializer(config) }),
      deadLetter: config.deadLetter,
      nodeId,
      logger: silentLogger,
      ...(opts.cancelPollMs ? { cancelPollMs: opts.cancelPollMs } : {}),
    });
  return { clock, stores, queue, runs, worker };
}

describe('a worker dying mid-run', () => {
  test('the message comes back after the visibility timeout and the next worker runs it; nothing is lost or run twice', async () => {
    // Prepare: worker A takes the message and claims the attempt, then dies before recording it.
    const { clock, stores, queue, runs, worker } = setup();
    await queue.send('default', enqueueMessage('charge_card', { order: 'o-17' }, clock.now()));
    const [taken] = await queue.receive('default', 1, VISIBILITY_MS);
    const now = clock.now();
    const begun = await stores.ledger.begin(
      { key: `run:${taken!.message.runId}:1`, owner: `node-a/${taken!.message.runId}/1`, nowMs: now, expiresAtMs: now + TIMEOUT_MS + LOCK_MARGIN_MS },
      { runId: taken!.message.runId, jobName: 'charge_card', queue: 'default', attempt: 1, startedAtMs: now, expiresAtMs: now + TIMEOUT_MS + LOCK_MARGIN_MS },
    );
    expect(begun).toBe(true);
    // (worker A is gone: no finish, no ack)

    // Act: the message becomes visible again once its visibility timeout passes.
    await clock.advance(VISIBILITY_MS);
    const [back] = await queue.receive('default', 1, VISIBILITY_MS);
    const report = await worker('node-b').process(back!.message, { queue: 'default' });
    await queue.ack('default', back!.receipt);

    // Assess
    expect(back!.receiveCount).toBe(2);
    expect(report).toMatchObject({ status: 'ran', result: 'ok', runId: taken!.message.runId, attempt: 1 });
    expect(runs).toEqual(['o-17']);
    expect(await stores.history.list('charge_card')).toHaveLength(1);
    expect(await stores.runs.list(clock.now())).toEqual([]);
    expect(await queue.counts('default')).toEqual({ pending: 0, inFlight: 0, delayed: 0 });
  });

  test('a copy delivered while the claim is still held is skipped, and the run still happens once later', async () => {
    // Prepare: A claimed the attempt and is (as far as anyone knows) still running.
    const { clock, stores, queue, runs, worker } = setup();
    const message = enqueueMessage('charge_card', { order: 'o-18' }, clock.now());
    const now = clock.now();
    await stores.ledger.begin(
      { key: `run:${message.runId}:1`, owner: 'node-a', nowMs: now, expiresAtMs: now + TIMEOUT_MS + LOCK_MARGIN_MS },
      { runId: message.runId, jobName: 'charge_card', queue: 'default', attempt: 1, startedAtMs: now, expiresAtMs: now + TIMEOUT_MS + LOCK_MARGIN_MS },
    );

    // Act: a duplicate delivery now, and the redelivery after the claim expired.
    const early = await worker('node-b').process(message, { queue: 'default' });
    await clock.advance(TIMEOUT_MS + LOCK_MARGIN_MS);
    const late = await worker('node-c').process(message, { queue: 'default' });

    // Assess
    expect([early.status, late.status]).toEqual(['duplicate', 'ran']);
    expect(runs).toEqual(['o-18']);
  });
});

describe('a worker polling for cancel requests (the AWS worker does)', () => {
  test('a failed poll neither crashes the worker nor stops polling: the next poll still sees the cancel', async () => {
    // Prepare: a run that waits for its signal; the registry's first read fails.
    const { clock, stores, worker } = setup({
      cancelPollMs: 1_000,
      handler: ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    });
    const realGet = stores.runs.get.bind(stores.runs);
    let failures = 0;
    stores.runs.get = async (runId, nowMs) => {
      if (failures++ === 0) throw new Error('ThrottlingException: rate exceeded');
      return realGet(runId, nowMs);
    };
    const message = enqueueMessage('charge_card', {}, clock.now());
    const running = worker('node-a').process(message, { queue: 'default' });
    await clock.advance(1_000); // first poll: fails
    await stores.runs.requestCancel(message.runId, 'customer asked');
    // Act
    await clock.advance(1_000); // second poll: sees the request
    const report = await running;
    // Assess
    expect(failures).toBe(2);
    expect(report).toMatchObject({ status: 'ran', result: 'cancelled' });
  });
});
