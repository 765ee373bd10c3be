/**
 * AttemptLedger conformance: the two writes around every attempt. `begin` claims the attempt
 * and registers the run; `finish` stores history + counters, keeps the claim, ends the run and
 * releases or extends the unique lock; `abandon` gives everything up. The harness hands over the
 * finer stores the ledger writes to, so the suite can check what each call left behind.
 */
import { describe, expect, test } from 'vitest';
import type { AttemptLedger, HistoryStore, LockStore, RunRegistry } from '../../shared/ports.ts';
import { aHistoryEntry, aRunEntry } from './fixtures.ts';
import { type HarnessBase, uniqueName, useHarness } from './harness.ts';

export interface AttemptLedgerHarness extends HarnessBase {
  readonly ledger: AttemptLedger;
  /** The stores the ledger writes to (the same table on AWS). */
  readonly locks: LockStore;
  readonly runs: RunRegistry;
  readonly history: HistoryStore;
  now(): number;
}

/**
 * @example
 * const stores = createMemoryStores();
 * describeAttemptLedgerConformance('memory', async () => ({ ...stores, now: () => Date.now() }));
 */
export function describeAttemptLedgerConformance(adapterName: string, setup: () => Promise<AttemptLedgerHarness>): void {
  describe(`AttemptLedger conformance (${adapterName})`, () => {
    const harness = useHarness(setup);

    /** A fresh attempt: its claim, its running entry, and a history entry for when it ends. */
    function anAttempt() {
      const h = harness();
      const t = h.now();
      const job = uniqueName('job');
      const runId = uniqueName('run');
      const claim = { key: `run:${runId}:1`, owner: `node-a/${runId}/1` };
      const run = aRunEntry(runId, t, t + 120_000, { jobName: job });
      const entry = aHistoryEntry(job, t, { runId, durationMs: 250 });
      return { ...h, t, job, runId, claim, run, entry };
    }

    test('begin claims the attempt and registers the run as running', async () => {
      // Prepare
      const { ledger, locks, runs, t, claim, run } = anAttempt();
      // Act
      const began = await ledger.begin({ ...claim, nowMs: t, expiresAtMs: t + 120_000 }, run);
      // Assess
      expect(began).toBe(true);
      expect(await locks.get(claim.key, t)).toEqual({ owner: claim.owner, expiresAtMs: t + 120_000 });
      expect(await runs.get(run.runId, t)).toEqual(run);
    });

    test('a second begin of the same attempt (a duplicate delivery) is refused and changes nothing', async () => {
      // Prepare
      const { ledger, locks, t, claim, run } = anAttempt();
      await ledger.begin({ ...claim, nowMs: t, expiresAtMs: t + 120_000 }, run);
      // Act
      const again = await ledger.begin({ key: claim.key, owner: 'node-b/dup', nowMs: t + 10, expiresAtMs: t + 999_000 }, run);
      // Assess
      expect(again).toBe(false);
      expect(await locks.get(claim.key, t + 10)).toEqual({ owner: claim.owner, expiresAtMs: t + 120_000 });
    });

    test('of three concurrent begins of one attempt exactly one wins', async () => {
      const { ledger, t, claim, run } = anAttempt();
      const results = await Promise.all(
        ['a', 'b', 'c'].map((n) => ledger.begin({ key: claim.key, owner: `node-${n}`, nowMs: t, expiresAtMs: t + 120_000 }, run)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    test('finish stores the history entry and counters, keeps the claim, and ends the run', async () => {
      // Prepare
      const { ledger, locks, runs, history: historyStore, t, job, claim, run, entry } = anAttempt();
      await ledger.begin({ ...claim, nowMs: t, expiresAtMs: t + 120_000 }, run);
      // Act
      await ledger.finish({
        claim: { ...claim, retainUntilMs: t + 3_600_000 },
        runId: run.runId,
        history: entry,
        record: { atMs: t, result: 'ok' },
      });
      // Assess
      expect(await historyStore.list(job)).toEqual([entry]);
      expect(await historyStore.getCounters(job)).toEqual({ runCount: 1, errorCount: 0, lastRunAtMs: t, lastResult: 'ok', lastError: null });
      expect(await locks.get(claim.key, t + 3_000_000)).toEqual({ owner: claim.owner, expiresAtMs: t + 3_600_000 });
      expect(await runs.get(run.runId, t)).toBeUndefined();
    });

    test('after finish, a late duplicate of the attempt is still refused', async () => {
      const { ledger, t, claim, run, entry } = anAttempt();
      await ledger.begin({ ...claim, nowMs: t, expiresAtMs: t + 120_000 }, run);
      await ledger.finish({ claim: { ...claim, retainUntilMs: t + 3_600_000 }, runId: run.runId, history: entry, record: { atMs: t, result: 'ok' } });
      expect(await ledger.begin({ key: claim.key, owner: 'late', nowMs: t + 600_000, expiresAtMs: t + 720_000 }, run)).toBe(false);
    });

    test('finish counts an error and keeps its details as the last error', async () => {
      const { ledger, history: historyStore, t, job, claim, run, entry } = anAttempt();
      await ledger.begin({ ...claim, nowMs: t, expiresAtMs: t + 120_000 }, run);
      const error = { type: 'TypeError', message: 'boom' };
      await ledger.finish({
        claim: { ...claim, retainUntilMs: t + 60_000 },
        runId: run.runId,
        history: { ...entry, result: 'error', error },
        record: { atMs: t, result: 'error', error },
      });
      expect(await historyStore.getCounters(job)).toEqual({ runCount: 1, errorCount: 1, lastRunAtMs: t, lastResult: 'error', lastError: error });
    });

    test.each([
      { what: 'releases the unique lock when untilMs is null', untilMs: null, expected: undefined },
      { what: 'extends the unique lock to untilMs', untilMs: 900_000, expected: 900_000 },
    ])('finish $what', async ({ untilMs, expected }) => {
      // Prepare
      const { ledger, locks, t, job, claim, run, entry } = anAttempt();
      const unique = { key: `unique:${job}`, owner: run.runId };
      await ledger.begin({ ...claim, nowMs: t, expiresAtMs: t + 120_000 }, run);
      expect(await locks.acquire(unique.key, unique.owner, t, t + 120_000)).toBe(true);
      // Act
      await ledger.finish({
        claim: { ...claim, retainUntilMs: t + 60_000 },
        runId: run.runId,
        history: entry,
        record: { atMs: t, result: 'ok' },
        unique: { ...unique, untilMs: untilMs === null ? null : t + untilMs },
      });
      // Assess
      const held = await locks.get(unique.key, t + 1);
      expect(held).toEqual(expected === undefined ? undefined : { owner: unique.owner, expiresAtMs: t + expected });
    });

    test('abandon frees the claim, the run and the unique lock so a redelivery can run', async () => {
      // Prepare
      const { ledger, locks, runs, t, job, claim, run } = anAttempt();
      const unique = { key: `unique:${job}`, owner: run.runId };
      await ledger.begin({ ...claim, nowMs: t, expiresAtMs: t + 120_000 }, run);
      await locks.acquire(unique.key, unique.owner, t, t + 120_000);
      // Act
      await ledger.abandon(claim, run.runId, unique);
      // Assess
      expect(await locks.get(claim.key, t)).toBeUndefined();
      expect(await locks.get(unique.key, t)).toBeUndefined();
      expect(await runs.get(run.runId, t)).toBeUndefined();
      expect(await ledger.begin({ key: claim.key, owner: 'redelivery', nowMs: t + 1, expiresAtMs: t + 120_000 }, run)).toBe(true);
    });
  });
}
