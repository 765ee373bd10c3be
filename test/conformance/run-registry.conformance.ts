/**
 * RunRegistry conformance: runs in progress, cooperative cancel requests, and the safety
 * expiry that makes a crashed worker's entry disappear.
 *
 * `list()` returns every run in the registry; the suite looks only at its own (unique) run
 * ids, so a shared registry works.
 */
import { describe, expect, test } from 'vitest';
import type { RunRecordEntry, RunRegistry } from '../../shared/ports.ts';
import { aRunEntry } from './fixtures.ts';
import { type HarnessBase, uniqueName, useHarness } from './harness.ts';

export interface RunRegistryHarness extends HarnessBase {
  readonly runs: RunRegistry;
  /** Epoch ms the tests build their times from. */
  now(): number;
}

/**
 * Registers the RunRegistry conformance suite for one adapter.
 *
 * @example
 * describeRunRegistryConformance('memory', async () => ({ runs: new MemoryRunRegistry(), now: () => Date.now() }));
 */
export function describeRunRegistryConformance(adapterName: string, setup: () => Promise<RunRegistryHarness>): void {
  describe(`RunRegistry conformance (${adapterName})`, () => {
    const harness = useHarness(setup);

    /** The runs of `runIds` in `list(nowMs)`, sorted by run id. */
    async function listed(runIds: readonly string[], nowMs: number): Promise<RunRecordEntry[]> {
      const all = await harness().runs.list(nowMs);
      return all.filter((r) => runIds.includes(r.runId)).sort((a, b) => a.runId.localeCompare(b.runId));
    }

    test('a started run is listed and can be read back exactly', async () => {
      // Prepare
      const { runs, now } = harness();
      const t = now();
      const entry = aRunEntry(uniqueName('run'), t, t + 90_000, { attempt: 2, scheduledAtMs: t - 1_000 });
      // Act
      await runs.start(entry);
      // Assess
      expect(await runs.get(entry.runId, t)).toEqual(entry);
      expect(await listed([entry.runId], t)).toEqual([entry]);
    });

    test('getting an unknown run returns undefined', async () => {
      const { runs, now } = harness();
      expect(await runs.get(uniqueName('run'), now())).toBeUndefined();
    });

    test('a finished run is no longer listed nor found', async () => {
      // Prepare
      const { runs, now } = harness();
      const t = now();
      const [done, running] = [aRunEntry(uniqueName('run_a'), t, t + 90_000), aRunEntry(uniqueName('run_b'), t, t + 90_000)];
      await runs.start(done);
      await runs.start(running);
      // Act
      await runs.finish(done.runId);
      // Assess
      expect(await runs.get(done.runId, t)).toBeUndefined();
      expect(await listed([done.runId, running.runId], t)).toEqual([running]);
    });

    test('finishing an unknown run resolves', async () => {
      await expect(harness().runs.finish(uniqueName('run'))).resolves.toBeUndefined();
    });

    test('requestCancel marks a known run with the reason and returns true', async () => {
      // Prepare
      const { runs, now } = harness();
      const t = now();
      const entry = aRunEntry(uniqueName('run'), t, t + 90_000);
      await runs.start(entry);
      // Act
      const found = await runs.requestCancel(entry.runId, 'operator asked');
      // Assess
      expect(found).toBe(true);
      expect(await runs.get(entry.runId, t)).toEqual({ ...entry, cancelRequested: 'operator asked' });
      expect(await listed([entry.runId], t)).toEqual([{ ...entry, cancelRequested: 'operator asked' }]);
    });

    test('requestCancel of an unknown run returns false and registers nothing', async () => {
      const { runs, now } = harness();
      const runId = uniqueName('run');
      expect(await runs.requestCancel(runId, 'operator asked')).toBe(false);
      expect(await runs.get(runId, now())).toBeUndefined();
    });

    test('requestCancel of a finished run returns false', async () => {
      const { runs, now } = harness();
      const t = now();
      const entry = aRunEntry(uniqueName('run'), t, t + 90_000);
      await runs.start(entry);
      await runs.finish(entry.runId);
      expect(await runs.requestCancel(entry.runId, 'too late')).toBe(false);
    });

    test('a run past its safety expiry disappears from list and get', async () => {
      // Prepare: a worker that crashed without calling finish
      const { runs, now } = harness();
      const t = now();
      const crashed = aRunEntry(uniqueName('run_a'), t, t + 1_000);
      const alive = aRunEntry(uniqueName('run_b'), t, t + 90_000);
      await runs.start(crashed);
      await runs.start(alive);
      // Act
      const later = t + 1_001;
      // Assess
      expect(await listed([crashed.runId, alive.runId], t + 999)).toEqual([crashed, alive]);
      expect(await listed([crashed.runId, alive.runId], later)).toEqual([alive]);
      expect(await runs.get(crashed.runId, later)).toBeUndefined();
      expect(await runs.get(alive.runId, later)).toEqual(alive);
    });

    test('starting a run id again replaces the entry (the next attempt of the same run)', async () => {
      const { runs, now } = harness();
      const t = now();
      const runId = uniqueName('run');
      await runs.start(aRunEntry(runId, t, t + 90_000, { attempt: 1 }));
      const second = aRunEntry(runId, t + 5_000, t + 95_000, { attempt: 2 });
      await runs.start(second);
      expect(await listed([runId], t + 5_000)).toEqual([second]);
    });
  });
}
