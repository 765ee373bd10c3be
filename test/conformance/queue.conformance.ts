/**
 * QueuePort conformance: SQS semantics — at-least-once delivery with visibility timeouts,
 * delayed sends, nack with delay, priority (lower first), counts, purge, unknown queues.
 *
 * Delays and visibility timeouts are whole seconds (1 s), which SQS can express; the
 * "not yet, 1 ms before" checks run only on a virtual clock (`virtualTime`).
 */
import { describe, expect, test } from 'vitest';
import { NotFoundError } from '../../shared/errors.ts';
import type { QueuePort, ReceivedMessage } from '../../shared/ports.ts';
import { aFullRunMessage, aRunMessage } from './fixtures.ts';
import { type HarnessBase, type TimeControl, hasCapability, requireCapability, uniqueName, useHarness } from './harness.ts';

export interface QueueHarness extends HarnessBase, TimeControl {
  readonly queue: QueuePort;
  /** An existing, empty queue used by this test alone. */
  readonly queueName: string;
  /** A second existing, empty queue, to check that queues do not share messages. */
  readonly otherQueueName: string;
}

/** Long enough that nothing becomes visible again during a test that does not advance. */
const LONG_VISIBILITY_MS = 60_000;

/**
 * Registers the QueuePort conformance suite for one adapter.
 *
 * @example
 * describeQueueConformance('memory', async () => {
 *   const clock = virtualClock();
 *   const queue = new MemoryQueue({ clock, queues: { a: 1, b: 1 } });
 *   return { queue, queueName: 'a', otherQueueName: 'b', now: clock.now, advance: (ms) => clock.advance(ms), capabilities: { virtualTime: true } };
 * });
 */
export function describeQueueConformance(adapterName: string, setup: () => Promise<QueueHarness>): void {
  describe(`QueuePort conformance (${adapterName})`, () => {
    const harness = useHarness(setup);

    /**
     * Receives until the queue returns nothing (SQS may return fewer than asked per call).
     * Messages stay invisible for `visibilityMs`.
     */
    async function receiveAll(visibilityMs = LONG_VISIBILITY_MS): Promise<ReceivedMessage[]> {
      const { queue, queueName } = harness();
      const out: ReceivedMessage[] = [];
      for (let i = 0; i < 50; i++) {
        const batch = await queue.receive(queueName, 10, visibilityMs);
        if (batch.length === 0) break;
        out.push(...batch);
      }
      return out;
    }

    test('a sent message is received once, with receiveCount 1, exactly as sent', async () => {
      // Prepare
      const { queue, queueName } = harness();
      const message = aFullRunMessage(uniqueName('job'));
      // Act
      await queue.send(queueName, message);
      const received = await receiveAll();
      // Assess
      expect(received).toEqual([{ message, receipt: expect.any(String), receiveCount: 1 }]);
    });

    test('a message without optional fields round-trips without gaining any', async () => {
      const { queue, queueName } = harness();
      const message = aRunMessage(uniqueName('job'));
      await queue.send(queueName, message);
      const [received] = await receiveAll();
      expect(received!.message).toStrictEqual(message);
    });

    test('receive returns at most `max` messages', async () => {
      // Prepare
      const { queue, queueName } = harness();
      const job = uniqueName('job');
      for (const n of [1, 2, 3]) await queue.send(queueName, aRunMessage(job, { runId: `run-${n}` }));
      // Act
      const firstBatch = await queue.receive(queueName, 2, LONG_VISIBILITY_MS);
      // Assess
      expect(firstBatch.length).toBeLessThanOrEqual(2);
      expect(firstBatch.length + (await receiveAll()).length).toBe(3);
    });

    test('an acked message is gone for good', async () => {
      // Prepare
      const { queue, queueName, advance } = harness();
      await queue.send(queueName, aRunMessage(uniqueName('job')));
      const [received] = await queue.receive(queueName, 1, 1_000);
      // Act
      await queue.ack(queueName, received!.receipt);
      await advance(2_000);
      // Assess
      expect(await queue.receive(queueName, 10, 1_000)).toEqual([]);
      expect(await queue.counts(queueName)).toEqual({ pending: 0, inFlight: 0, delayed: 0 });
    });

    test('acking the same receipt twice resolves', async () => {
      const { queue, queueName } = harness();
      await queue.send(queueName, aRunMessage(uniqueName('job')));
      const [received] = await queue.receive(queueName, 1, LONG_VISIBILITY_MS);
      await queue.ack(queueName, received!.receipt);
      await expect(queue.ack(queueName, received!.receipt)).resolves.toBeUndefined();
    });

    test('a received message stays invisible until its visibility timeout, then comes back with receiveCount 2', async () => {
      // Prepare
      const h = harness();
      const message = aRunMessage(uniqueName('job'));
      await h.queue.send(h.queueName, message);
      const [first] = await h.queue.receive(h.queueName, 1, 1_000);
      // Act + Assess: invisible while in flight
      expect(first).toMatchObject({ message, receiveCount: 1 });
      expect(await h.queue.receive(h.queueName, 10, 1_000)).toEqual([]);
      expect(await h.queue.counts(h.queueName)).toEqual({ pending: 0, inFlight: 1, delayed: 0 });
      if (hasCapability(h, 'virtualTime')) {
        await h.advance(999);
        expect(await h.queue.receive(h.queueName, 10, 1_000)).toEqual([]);
        await h.advance(1);
      } else {
        await h.advance(1_000);
      }
      // Assess: redelivered (never acked)
      const again = await receiveAll();
      expect(again).toEqual([{ message, receipt: expect.any(String), receiveCount: 2 }]);
    });

    test('nack with no delay makes the message receivable again at once', async () => {
      // Prepare
      const { queue, queueName } = harness();
      const message = aRunMessage(uniqueName('job'));
      await queue.send(queueName, message);
      const [first] = await queue.receive(queueName, 1, LONG_VISIBILITY_MS);
      // Act
      await queue.nack(queueName, first!.receipt, 0);
      // Assess
      expect(await receiveAll()).toEqual([{ message, receipt: expect.any(String), receiveCount: 2 }]);
    });

    test('nack with a delay hides the message until the delay has passed', async () => {
      // Prepare
      const h = harness();
      const message = aRunMessage(uniqueName('job'));
      await h.queue.send(h.queueName, message);
      const [first] = await h.queue.receive(h.queueName, 1, LONG_VISIBILITY_MS);
      // Act
      await h.queue.nack(h.queueName, first!.receipt, 1_000);
      // Assess: hidden (counted as in flight on SQS, as delayed in memory — either is fine)
      expect(await h.queue.receive(h.queueName, 10, LONG_VISIBILITY_MS)).toEqual([]);
      const counts = await h.queue.counts(h.queueName);
      expect({ pending: counts.pending, hidden: counts.inFlight + counts.delayed }).toEqual({ pending: 0, hidden: 1 });
      if (hasCapability(h, 'virtualTime')) {
        await h.advance(999);
        expect(await h.queue.receive(h.queueName, 10, LONG_VISIBILITY_MS)).toEqual([]);
        await h.advance(1);
      } else {
        await h.advance(1_000);
      }
      expect(await receiveAll()).toEqual([{ message, receipt: expect.any(String), receiveCount: 2 }]);
    });

    test('a message sent with delayMs is not receivable before the delay and counts as delayed', async () => {
      // Prepare
      const h = harness();
      const message = aRunMessage(uniqueName('job'));
      // Act
      await h.queue.send(h.queueName, message, { delayMs: 1_000 });
      // Assess
      expect(await h.queue.receive(h.queueName, 10, LONG_VISIBILITY_MS)).toEqual([]);
      expect(await h.queue.counts(h.queueName)).toEqual({ pending: 0, inFlight: 0, delayed: 1 });
      if (hasCapability(h, 'virtualTime')) {
        await h.advance(999);
        expect(await h.queue.receive(h.queueName, 10, LONG_VISIBILITY_MS)).toEqual([]);
        await h.advance(1);
      } else {
        await h.advance(1_000);
      }
      expect(await h.queue.counts(h.queueName)).toEqual({ pending: 1, inFlight: 0, delayed: 0 });
      expect(await receiveAll()).toEqual([{ message, receipt: expect.any(String), receiveCount: 1 }]);
    });

    test('counts report pending, in-flight and delayed messages separately', async () => {
      // Prepare
      const { queue, queueName } = harness();
      const job = uniqueName('job');
      await queue.send(queueName, aRunMessage(job, { runId: 'a' }));
      await queue.send(queueName, aRunMessage(job, { runId: 'b' }));
      await queue.send(queueName, aRunMessage(job, { runId: 'c' }), { delayMs: 2_000 });
      // Act
      await queue.receive(queueName, 1, LONG_VISIBILITY_MS);
      // Assess
      expect(await queue.counts(queueName)).toEqual({ pending: 1, inFlight: 1, delayed: 1 });
    });

    test('a message with a lower priority value is received first', async () => {
      // Prepare
      const h = harness();
      const job = uniqueName('job');
      const sends = [
        { runId: 'a', priority: 5 },
        { runId: 'b', priority: 0 },
        { runId: 'c', priority: 9 },
        { runId: 'd', priority: 0 },
        { runId: 'e', priority: 5 },
      ];
      for (const s of sends) await h.queue.send(h.queueName, aRunMessage(job, { runId: s.runId, priority: s.priority }), { priority: s.priority });
      // Act
      const received = await receiveAll();
      // Assess
      expect(received.map((r) => r.message.priority)).toEqual([0, 0, 5, 5, 9]);
      if (hasCapability(h, 'strictOrder')) {
        // Within one priority, first in first out.
        expect(received.map((r) => r.message.runId)).toEqual(['b', 'd', 'a', 'e', 'c']);
      }
    });

    test('messages of one priority are received first in, first out', async (ctx) => {
      requireCapability(ctx, harness(), 'strictOrder');
      const { queue, queueName } = harness();
      const job = uniqueName('job');
      const runIds = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
      for (const runId of runIds) await queue.send(queueName, aRunMessage(job, { runId }), { priority: 3 });
      expect((await receiveAll()).map((r) => r.message.runId)).toEqual(runIds);
    });

    test('queues do not share messages', async () => {
      const { queue, queueName, otherQueueName } = harness();
      await queue.send(queueName, aRunMessage(uniqueName('job')));
      expect(await queue.receive(otherQueueName, 10, LONG_VISIBILITY_MS)).toEqual([]);
      expect(await queue.counts(otherQueueName)).toEqual({ pending: 0, inFlight: 0, delayed: 0 });
      expect(await queue.counts(queueName)).toEqual({ pending: 1, inFlight: 0, delayed: 0 });
    });

    test('purge removes pending, in-flight and delayed messages', async () => {
      // Prepare
      const { queue, queueName, advance } = harness();
      const job = uniqueName('job');
      await queue.send(queueName, aRunMessage(job, { runId: 'a' }));
      await queue.send(queueName, aRunMessage(job, { runId: 'b' }));
      await queue.send(queueName, aRunMessage(job, { runId: 'c' }), { delayMs: 1_000 });
      await queue.receive(queueName, 1, 1_000);
      // Act
      await queue.purge(queueName);
      // Assess: nothing left, and nothing comes back once delays and visibility expire
      expect(await queue.counts(queueName)).toEqual({ pending: 0, inFlight: 0, delayed: 0 });
      await advance(2_000);
      expect(await queue.receive(queueName, 10, LONG_VISIBILITY_MS)).toEqual([]);
      expect(await queue.counts(queueName)).toEqual({ pending: 0, inFlight: 0, delayed: 0 });
    });

    const unknownQueueCalls: ReadonlyArray<{ op: string; call: (q: QueuePort, name: string) => Promise<unknown> }> = [
      { op: 'send', call: (q, name) => q.send(name, aRunMessage('some_job')) },
      { op: 'receive', call: (q, name) => q.receive(name, 1, 1_000) },
      { op: 'ack', call: (q, name) => q.ack(name, 'no-such-receipt') },
      { op: 'nack', call: (q, name) => q.nack(name, 'no-such-receipt', 0) },
      { op: 'counts', call: (q, name) => q.counts(name) },
      { op: 'purge', call: (q, name) => q.purge(name) },
    ];

    test.each(unknownQueueCalls)('$op on a queue that does not exist rejects with NotFoundError', async ({ call }) => {
      // Prepare
      const { queue } = harness();
      const name = uniqueName('missing');
      // Act
      const result = call(queue, name);
      // Assess
      await expect(result).rejects.toBeInstanceOf(NotFoundError);
      await expect(result).rejects.toThrow(`queue "${name}" not found`);
    });
  });
}
