/**
 * QueueControlPort conformance: consumption on/off and concurrency of a queue (the event
 * source mapping on AWS, the worker pool locally).
 */
import { describe, expect, test } from 'vitest';
import { NotFoundError } from '../../shared/errors.ts';
import type { QueueControlPort } from '../../shared/ports.ts';
import { type HarnessBase, uniqueName, useHarness } from './harness.ts';

export interface QueueControlHarness extends HarnessBase {
  readonly control: QueueControlPort;
  /** An existing queue, not paused, used by this test alone. */
  readonly queueName: string;
  /** The concurrency `queueName` was configured with. */
  readonly configuredConcurrency: number;
}

/**
 * Registers the QueueControlPort conformance suite for one adapter.
 *
 * @example
 * describeQueueControlConformance('memory', async () => ({
 *   control: new MemoryQueue({ clock: virtualClock(), queues: { imports: 5 } }),
 *   queueName: 'imports',
 *   configuredConcurrency: 5,
 * }));
 */
export function describeQueueControlConformance(adapterName: string, setup: () => Promise<QueueControlHarness>): void {
  describe(`QueueControlPort conformance (${adapterName})`, () => {
    const harness = useHarness(setup);

    test('a configured queue starts running at its configured concurrency', async () => {
      const { control, queueName, configuredConcurrency } = harness();
      expect(await control.getState(queueName)).toEqual({ paused: false, concurrency: configuredConcurrency });
    });

    test('pause stops consumption and keeps the concurrency', async () => {
      const { control, queueName, configuredConcurrency } = harness();
      await control.pause(queueName);
      expect(await control.getState(queueName)).toEqual({ paused: true, concurrency: configuredConcurrency });
    });

    test('pausing twice is the same as pausing once', async () => {
      const { control, queueName, configuredConcurrency } = harness();
      await control.pause(queueName);
      await control.pause(queueName);
      expect(await control.getState(queueName)).toEqual({ paused: true, concurrency: configuredConcurrency });
    });

    test('resume restarts consumption of a paused queue', async () => {
      const { control, queueName, configuredConcurrency } = harness();
      await control.pause(queueName);
      await control.resume(queueName);
      expect(await control.getState(queueName)).toEqual({ paused: false, concurrency: configuredConcurrency });
    });

    test('resuming a running queue leaves it running', async () => {
      const { control, queueName, configuredConcurrency } = harness();
      await control.resume(queueName);
      expect(await control.getState(queueName)).toEqual({ paused: false, concurrency: configuredConcurrency });
    });

    test('setConcurrency changes the concurrency and not the paused flag', async () => {
      // Prepare
      const { control, queueName } = harness();
      await control.pause(queueName);
      // Act
      await control.setConcurrency(queueName, 7);
      // Assess
      expect(await control.getState(queueName)).toEqual({ paused: true, concurrency: 7 });
    });

    test('a concurrency set while paused survives resume', async () => {
      const { control, queueName } = harness();
      await control.pause(queueName);
      await control.setConcurrency(queueName, 2);
      await control.resume(queueName);
      expect(await control.getState(queueName)).toEqual({ paused: false, concurrency: 2 });
    });

    const calls: ReadonlyArray<{ op: string; call: (c: QueueControlPort, name: string) => Promise<unknown> }> = [
      { op: 'pause', call: (c, name) => c.pause(name) },
      { op: 'resume', call: (c, name) => c.resume(name) },
      { op: 'setConcurrency', call: (c, name) => c.setConcurrency(name, 3) },
      { op: 'getState', call: (c, name) => c.getState(name) },
    ];

    test.each(calls)('$op on a queue that does not exist rejects with NotFoundError', async ({ call }) => {
      const { control } = harness();
      const name = uniqueName('missing');
      const result = call(control, name);
      await expect(result).rejects.toBeInstanceOf(NotFoundError);
      await expect(result).rejects.toThrow(`queue "${name}" not found`);
    });
  });
}
