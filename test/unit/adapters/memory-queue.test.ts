/**
 * What the local engine's queue adds to QueuePort (the port itself is covered by
 * memory-conformance.test.ts): `onAvailable`, the wake-up call the in-process worker pool
 * waits on instead of polling, and the synchronous hot-path views.
 */
import { describe, expect, test } from 'vitest';
import { virtualClock } from '../../../shared/adapters/clock.ts';
import { MemoryQueue } from '../../../shared/adapters/memory/queue.ts';
import { NotFoundError } from '../../../shared/errors.ts';
import { enqueueMessage } from '../../../shared/messages.ts';

function setup() {
  const clock = virtualClock('2026-01-05T10:00:00Z');
  const queue = new MemoryQueue({ clock, queues: { default: 2, imports: 5 } });
  const wakeUps: string[] = [];
  queue.onAvailable('default', () => wakeUps.push(`wake at +${clock.now() - Date.parse('2026-01-05T10:00:00Z')}`));
  const message = enqueueMessage('send_invoice', { invoiceId: 42 }, clock.now(), { runId: 'run-1' });
  return { clock, queue, wakeUps, message };
}

describe('MemoryQueue.onAvailable', () => {
  test('a send wakes the listener at once', async () => {
    const { queue, wakeUps, message } = setup();
    await queue.send('default', message);
    expect(wakeUps).toEqual(['wake at +0']);
  });

  test('a delayed send wakes the listener when the delay expires, not when sent', async () => {
    // Prepare
    const { clock, queue, wakeUps, message } = setup();
    // Act
    await queue.send('default', message, { delayMs: 5_000 });
    const beforeExpiry = [...wakeUps];
    await clock.advance(5_000);
    // Assess
    expect(beforeExpiry).toEqual([]);
    expect(wakeUps).toEqual(['wake at +5000']);
  });

  test('a nack with a delay wakes the listener when the delay expires', async () => {
    // Prepare
    const { clock, queue, wakeUps, message } = setup();
    await queue.send('default', message);
    const [received] = await queue.receive('default', 1, 60_000);
    // Act
    await queue.nack('default', received!.receipt, 2_000);
    await clock.advance(2_000);
    // Assess
    expect(wakeUps).toEqual(['wake at +0', 'wake at +2000']);
  });

  test('a nack without delay wakes the listener at once', async () => {
    const { queue, wakeUps, message } = setup();
    await queue.send('default', message);
    const [received] = await queue.receive('default', 1, 60_000);
    await queue.nack('default', received!.receipt, 0);
    expect(wakeUps).toEqual(['wake at +0', 'wake at +0']);
  });

  test('a visibility timeout that expires wakes the listener (the message is back)', async () => {
    const { clock, queue, wakeUps, message } = setup();
    await queue.send('default', message);
    await queue.receive('default', 1, 30_000);
    await clock.advance(30_000);
    expect(wakeUps).toEqual(['wake at +0', 'wake at +30000']);
  });

  test('receive and ack do not wake the listener', async () => {
    const { clock, queue, wakeUps, message } = setup();
    await queue.send('default', message);
    const [received] = await queue.receive('default', 1, 30_000);
    await queue.ack('default', received!.receipt);
    await clock.advance(60_000);
    expect(wakeUps).toEqual(['wake at +0']);
  });

  test('resume and setConcurrency wake the listener (more work may start); pause does not', async () => {
    const { queue, wakeUps } = setup();
    await queue.pause('default');
    await queue.resume('default');
    await queue.setConcurrency('default', 4);
    expect(wakeUps).toEqual(['wake at +0', 'wake at +0']);
  });

  test('messages on another queue do not wake the listener', async () => {
    const { queue, wakeUps, message } = setup();
    await queue.send('imports', message);
    expect(wakeUps).toEqual([]);
  });

  test('the returned function unsubscribes the listener', async () => {
    // Prepare
    const { queue, message } = setup();
    const calls: string[] = [];
    const off = queue.onAvailable('imports', () => calls.push('woken'));
    await queue.send('imports', message);
    // Act
    off();
    await queue.send('imports', message);
    // Assess
    expect(calls).toEqual(['woken']);
  });

  test('listening on an unknown queue throws NotFoundError naming the known queues', () => {
    const { queue } = setup();
    expect(() => queue.onAvailable('reports', () => {})).toThrow(new NotFoundError('queue', 'reports', 'known queues: default, imports'));
    expect(() => queue.onAvailable('reports', () => {})).toThrow('queue "reports" not found: known queues: default, imports');
  });
});

describe('MemoryQueue synchronous views and declare', () => {
  test('countsSync and stateSync match the async port methods', async () => {
    // Prepare
    const { queue, message } = setup();
    await queue.send('default', message);
    await queue.send('default', message, { delayMs: 1_000 });
    await queue.receive('default', 1, 60_000);
    await queue.pause('default');
    // Act + Assess
    expect(queue.countsSync('default')).toEqual(await queue.counts('default'));
    expect(queue.countsSync('default')).toEqual({ pending: 0, inFlight: 1, delayed: 1 });
    expect(queue.stateSync('default')).toEqual({ paused: true, concurrency: 2 });
  });

  test('declare adds a queue at run time and leaves an existing one untouched', async () => {
    // Prepare
    const { queue, message } = setup();
    await queue.send('default', message);
    // Act
    queue.declare('reports', 3);
    queue.declare('default', 99);
    // Assess
    expect(queue.names()).toEqual(['default', 'imports', 'reports']);
    expect(await queue.getState('reports')).toEqual({ paused: false, concurrency: 3 });
    expect(await queue.getState('default')).toEqual({ paused: false, concurrency: 2 });
    expect(await queue.counts('default')).toEqual({ pending: 1, inFlight: 0, delayed: 0 });
  });

  test('a priority outside 0..9 is clamped into the nearest lane', async () => {
    const { queue, clock } = setup();
    const msg = (runId: string) => enqueueMessage('send_invoice', undefined, clock.now(), { runId });
    await queue.send('default', msg('low'), { priority: 42 });
    await queue.send('default', msg('mid'), { priority: 9 });
    await queue.send('default', msg('high'), { priority: -3 });
    const received = await queue.receive('default', 10, 60_000);
    expect(received.map((r) => r.message.runId)).toEqual(['high', 'low', 'mid']);
  });

  test('without a priority option, the message’s own priority decides its lane', async () => {
    const { queue, clock } = setup();
    await queue.send('default', enqueueMessage('a', undefined, clock.now(), { runId: 'p7', priority: 7 }));
    await queue.send('default', enqueueMessage('a', undefined, clock.now(), { runId: 'p1', priority: 1 }));
    await queue.send('default', enqueueMessage('a', undefined, clock.now(), { runId: 'none' }));
    const received = await queue.receive('default', 10, 60_000);
    expect(received.map((r) => r.message.runId)).toEqual(['none', 'p1', 'p7']);
  });
});
