/**
 * JobStateStore conformance: the runtime state of jobs (paused flag, runtime-inserted
 * definitions), one record per job name.
 *
 * `list()` returns every record in the store; the suite looks only at its own (unique) names,
 * so a shared store works.
 */
import { describe, expect, test } from 'vitest';
import type { JobStateRecord, JobStateStore } from '../../shared/ports.ts';
import { aJobState } from './fixtures.ts';
import { type HarnessBase, uniqueName, useHarness } from './harness.ts';

export interface JobStateStoreHarness extends HarnessBase {
  readonly jobState: JobStateStore;
  /** Epoch ms the tests build their times from. */
  now(): number;
}

/**
 * Registers the JobStateStore conformance suite for one adapter.
 *
 * @example
 * describeJobStateStoreConformance('memory', async () => ({ jobState: new MemoryJobStateStore(), now: () => Date.now() }));
 */
export function describeJobStateStoreConformance(adapterName: string, setup: () => Promise<JobStateStoreHarness>): void {
  describe(`JobStateStore conformance (${adapterName})`, () => {
    const harness = useHarness(setup);

    /** The records of `names` in `list()`, sorted by name. */
    async function listed(names: readonly string[]): Promise<JobStateRecord[]> {
      const all = await harness().jobState.list();
      return all.filter((r) => names.includes(r.name)).sort((a, b) => a.name.localeCompare(b.name));
    }

    test('a record round-trips exactly, including a runtime definition', async () => {
      // Prepare
      const { jobState, now } = harness();
      const record = aJobState(uniqueName('job'), now(), {
        paused: true,
        definition: { cron: ['0 6 * * *'], queue: 'imports', maxRetries: 5, timeout: [5, 'minutes'], meta: { team: 'ops', weight: 1.5 } },
        handlerRef: 'import_orders',
      });
      // Act
      await jobState.put(record);
      // Assess
      expect(await jobState.get(record.name)).toEqual(record);
    });

    test('a deleted-job tombstone round-trips', async () => {
      const { jobState, now } = harness();
      const record = aJobState(uniqueName('job'), now(), { deleted: true });
      await jobState.put(record);
      expect(await jobState.get(record.name)).toEqual(record);
    });

    test('getting an unknown job returns undefined', async () => {
      expect(await harness().jobState.get(uniqueName('job'))).toBeUndefined();
    });

    test('put overwrites the record of the same name as a whole', async () => {
      // Prepare
      const { jobState, now } = harness();
      const name = uniqueName('job');
      const t = now();
      await jobState.put(aJobState(name, t, { paused: true, definition: { queue: 'imports' }, handlerRef: 'import_orders' }));
      // Act
      const replacement = aJobState(name, t + 1_000, { paused: false });
      await jobState.put(replacement);
      // Assess: no field of the old record survives
      expect(await jobState.get(name)).toEqual(replacement);
      expect(await listed([name])).toEqual([replacement]);
    });

    test('list returns every record put', async () => {
      const { jobState, now } = harness();
      const t = now();
      const records = [aJobState(uniqueName('job_a'), t), aJobState(uniqueName('job_b'), t, { paused: true })];
      for (const r of records) await jobState.put(r);
      expect(await listed(records.map((r) => r.name))).toEqual(records);
    });

    test('delete removes the record of that name only', async () => {
      // Prepare
      const { jobState, now } = harness();
      const t = now();
      const [gone, kept] = [aJobState(uniqueName('job_a'), t), aJobState(uniqueName('job_b'), t)];
      await jobState.put(gone);
      await jobState.put(kept);
      // Act
      await jobState.delete(gone.name);
      // Assess
      expect(await jobState.get(gone.name)).toBeUndefined();
      expect(await jobState.get(kept.name)).toEqual(kept);
      expect(await listed([gone.name, kept.name])).toEqual([kept]);
    });

    test('deleting an unknown job resolves', async () => {
      await expect(harness().jobState.delete(uniqueName('job'))).resolves.toBeUndefined();
    });
  });
}
