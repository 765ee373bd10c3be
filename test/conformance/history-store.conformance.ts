/**
 * HistoryStore conformance: run history listed newest first (by `startedAt`), and per-job
 * counters that stay exact under concurrent updates.
 */
import { describe, expect, test } from 'vitest';
import type { HistoryStore } from '../../shared/ports.ts';
import type { HistoryEntry } from '../../shared/types.ts';
import { aHistoryEntry } from './fixtures.ts';
import { type HarnessBase, uniqueName, useHarness } from './harness.ts';

export interface HistoryStoreHarness extends HarnessBase {
  readonly history: HistoryStore;
  /** Epoch ms the tests build their times from. */
  now(): number;
}

/**
 * Registers the HistoryStore conformance suite for one adapter.
 *
 * @example
 * describeHistoryStoreConformance('memory', async () => ({ history: new MemoryHistoryStore(), now: () => Date.now() }));
 */
export function describeHistoryStoreConformance(adapterName: string, setup: () => Promise<HistoryStoreHarness>): void {
  describe(`HistoryStore conformance (${adapterName})`, () => {
    const harness = useHarness(setup);

    /** Appends one entry per start time, in the order given; returns them. */
    async function appendRuns(job: string, startTimes: readonly number[]): Promise<HistoryEntry[]> {
      const entries = startTimes.map((t) => aHistoryEntry(job, t));
      for (const e of entries) await harness().history.append(e);
      return entries;
    }

    test('entries are listed newest first and round-trip with Dates as Dates', async () => {
      // Prepare
      const { history, now } = harness();
      const job = uniqueName('job');
      const t = now();
      const first = aHistoryEntry(job, t, { scheduledAt: new Date(t - 50), queue: 'default' });
      const second = aHistoryEntry(job, t + 1_000, {
        attempt: 2,
        result: 'retry',
        error: { type: 'Error', message: 'upstream 503' },
        nextAttemptAt: new Date(t + 3_000),
      });
      const third = aHistoryEntry(job, t + 5_000, { result: 'timeout', durationMs: 60_000, error: { type: 'JobTimeoutError', message: 'timed out' } });
      // Act
      for (const e of [first, second, third]) await history.append(e);
      const listed = await history.list(job);
      // Assess
      expect(listed).toEqual([third, second, first]);
      expect(listed[0]!.startedAt).toBeInstanceOf(Date);
      expect(listed[2]!.scheduledAt).toBeInstanceOf(Date);
      expect(listed[1]!.nextAttemptAt).toBeInstanceOf(Date);
    });

    test('entries appended out of order (concurrent runs finishing late) are still listed newest first', async () => {
      const { now } = harness();
      const job = uniqueName('job');
      const t = now();
      const [a, b, c] = await appendRuns(job, [t + 2_000, t, t + 1_000]);
      expect(await harness().history.list(job)).toEqual([a, c, b]);
    });

    test('limit returns only the newest entries', async () => {
      const { history, now } = harness();
      const job = uniqueName('job');
      const t = now();
      const entries = await appendRuns(job, [t, t + 1_000, t + 2_000, t + 3_000, t + 4_000]);
      expect(await history.list(job, { limit: 2 })).toEqual([entries[4], entries[3]]);
    });

    test('sinceMs returns only entries that started at or after it', async () => {
      const { history, now } = harness();
      const job = uniqueName('job');
      const t = now();
      const entries = await appendRuns(job, [t, t + 1_000, t + 2_000]);
      expect(await history.list(job, { sinceMs: t + 1_000 })).toEqual([entries[2], entries[1]]);
      expect(await history.list(job, { sinceMs: t + 500 })).toEqual([entries[2], entries[1]]);
    });

    test('limit and sinceMs combine', async () => {
      const { history, now } = harness();
      const job = uniqueName('job');
      const t = now();
      const entries = await appendRuns(job, [t, t + 1_000, t + 2_000, t + 3_000]);
      expect(await history.list(job, { sinceMs: t + 500, limit: 2 })).toEqual([entries[3], entries[2]]);
    });

    test('a job with no runs has an empty history and no counters', async () => {
      const { history } = harness();
      const job = uniqueName('job');
      expect(await history.list(job)).toEqual([]);
      expect(await history.getCounters(job)).toBeUndefined();
    });

    test('histories of different jobs are isolated', async () => {
      const { history, now } = harness();
      const [jobA, jobB] = [uniqueName('job'), uniqueName('job')];
      const t = now();
      const [a] = await appendRuns(jobA, [t]);
      const [b] = await appendRuns(jobB, [t + 1_000]);
      expect(await history.list(jobA)).toEqual([a]);
      expect(await history.list(jobB)).toEqual([b]);
    });

    test('recordResult counts runs and errors and keeps the last run, result and error', async () => {
      // Prepare
      const { history, now } = harness();
      const job = uniqueName('job');
      const t = now();
      // Act
      await history.recordResult(job, { atMs: t, result: 'ok' });
      await history.recordResult(job, { atMs: t + 1_000, result: 'error', error: { type: 'TypeError', message: 'x is undefined' } });
      // Assess
      expect(await history.getCounters(job)).toEqual({
        runCount: 2,
        errorCount: 1,
        lastRunAtMs: t + 1_000,
        lastResult: 'error',
        lastError: { type: 'TypeError', message: 'x is undefined' },
      });
    });

    test.each([
      { result: 'ok', errorCount: 0 },
      { result: 'error', errorCount: 1 },
      { result: 'timeout', errorCount: 1 },
      { result: 'retry', errorCount: 0 },
      { result: 'cancelled', errorCount: 0 },
      { result: 'discarded', errorCount: 0 },
    ] as const)('a run with result $result adds $errorCount to errorCount', async ({ result, errorCount }) => {
      const { history, now } = harness();
      const job = uniqueName('job');
      const t = now();
      await history.recordResult(job, { atMs: t, result });
      expect(await history.getCounters(job)).toMatchObject({ runCount: 1, errorCount, lastRunAtMs: t, lastResult: result });
    });

    test('a success after a failure keeps the last error on record', async () => {
      const { history, now } = harness();
      const job = uniqueName('job');
      const t = now();
      await history.recordResult(job, { atMs: t, result: 'error', error: { type: 'Error', message: 'boom' } });
      await history.recordResult(job, { atMs: t + 1_000, result: 'ok' });
      expect(await history.getCounters(job)).toEqual({
        runCount: 2,
        errorCount: 1,
        lastRunAtMs: t + 1_000,
        lastResult: 'ok',
        lastError: { type: 'Error', message: 'boom' },
      });
    });

    test('fifty concurrent recordResult calls lose no update', async () => {
      // Prepare
      const { history, now } = harness();
      const job = uniqueName('job');
      const t = now();
      const updates = Array.from({ length: 50 }, (_, i) => ({
        atMs: t + i,
        result: i % 5 === 0 ? ('error' as const) : ('ok' as const),
      }));
      // Act
      await Promise.all(updates.map((u) => history.recordResult(job, u)));
      // Assess
      expect(await history.getCounters(job)).toMatchObject({ runCount: 50, errorCount: 10 });
    });

    test('deleteJob removes the history and counters of that job only', async () => {
      // Prepare
      const { history, now } = harness();
      const [gone, kept] = [uniqueName('job'), uniqueName('job')];
      const t = now();
      await appendRuns(gone, [t, t + 1_000]);
      const [keptEntry] = await appendRuns(kept, [t]);
      await history.recordResult(gone, { atMs: t, result: 'ok' });
      await history.recordResult(kept, { atMs: t, result: 'ok' });
      // Act
      await history.deleteJob(gone);
      // Assess
      expect(await history.list(gone)).toEqual([]);
      expect(await history.getCounters(gone)).toBeUndefined();
      expect(await history.list(kept)).toEqual([keptEntry]);
      expect(await history.getCounters(kept)).toMatchObject({ runCount: 1 });
    });

    test('deleting a job that has no history resolves', async () => {
      const { history } = harness();
      await expect(history.deleteJob(uniqueName('job'))).resolves.toBeUndefined();
    });
  });
}
