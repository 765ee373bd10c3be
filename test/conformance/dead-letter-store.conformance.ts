/**
 * DeadLetterStore conformance: entries listed newest first by `lastFailedAt`, filters,
 * pruning by age and by count.
 *
 * `count`, `trimTo`, `deleteBefore` and an unfiltered `list` act on the whole store, so
 * `setup()` must return an EMPTY store of its own for each test (a fresh table, or one the
 * harness clears); the suite cannot isolate those calls by key.
 */
import { describe, expect, test } from 'vitest';
import type { DeadLetterStore } from '../../shared/ports.ts';
import type { DeadLetterEntry } from '../../shared/types.ts';
import { aDeadLetterEntry } from './fixtures.ts';
import { type HarnessBase, uniqueName, useHarness } from './harness.ts';

export interface DeadLetterStoreHarness extends HarnessBase {
  /** An empty store used by this test alone. */
  readonly deadLetters: DeadLetterStore;
  /** Epoch ms the tests build their times from. */
  now(): number;
}

/**
 * Registers the DeadLetterStore conformance suite for one adapter.
 *
 * @example
 * describeDeadLetterStoreConformance('memory', async () => ({ deadLetters: new MemoryDeadLetterStore(), now: () => Date.now() }));
 */
export function describeDeadLetterStoreConformance(adapterName: string, setup: () => Promise<DeadLetterStoreHarness>): void {
  describe(`DeadLetterStore conformance (${adapterName})`, () => {
    const harness = useHarness(setup);

    /** Puts entries failing last at t, t+1 s, t+2 s, … (in the order given); returns them. */
    async function putEntries(overrides: ReadonlyArray<Partial<DeadLetterEntry>>): Promise<DeadLetterEntry[]> {
      const { deadLetters, now } = harness();
      const t = now();
      const entries = overrides.map((o, i) => aDeadLetterEntry(uniqueName('dl'), t + i * 1_000, o));
      for (const e of entries) await deadLetters.put(e);
      return entries;
    }

    test('an entry round-trips exactly, with Dates as Dates and args as given', async () => {
      // Prepare
      const { deadLetters, now } = harness();
      const t = now();
      const entry = aDeadLetterEntry(uniqueName('dl'), t, {
        args: { ids: [1, 2, 3], customer: { name: 'Zoë', vip: true, note: null } },
        runId: 'send_invoice@2026-01-05T10:00:00.000Z',
        scheduledAt: new Date(t - 60_000),
      });
      // Act
      await deadLetters.put(entry);
      const got = await deadLetters.get(entry.id);
      // Assess
      expect(got).toEqual(entry);
      expect(got!.firstFailedAt).toBeInstanceOf(Date);
      expect(got!.lastFailedAt).toBeInstanceOf(Date);
      expect(got!.scheduledAt).toBeInstanceOf(Date);
    });

    test('an entry without a stack trace keeps stacktrace null', async () => {
      const { deadLetters, now } = harness();
      const entry = aDeadLetterEntry(uniqueName('dl'), now(), { stacktrace: null, args: undefined });
      await deadLetters.put(entry);
      expect(await deadLetters.get(entry.id)).toEqual(entry);
    });

    test('getting an unknown id returns undefined', async () => {
      expect(await harness().deadLetters.get(uniqueName('dl'))).toBeUndefined();
    });

    test('putting an entry with an existing id replaces it', async () => {
      const { deadLetters, now } = harness();
      const t = now();
      const id = uniqueName('dl');
      await deadLetters.put(aDeadLetterEntry(id, t, { attempts: 1 }));
      const replacement = aDeadLetterEntry(id, t + 1_000, { attempts: 2 });
      await deadLetters.put(replacement);
      expect(await deadLetters.get(id)).toEqual(replacement);
      expect(await deadLetters.count()).toBe(1);
    });

    test('list returns entries newest first by lastFailedAt, whatever the insertion order', async () => {
      // Prepare
      const { deadLetters, now } = harness();
      const t = now();
      const [older, newest, middle] = [
        aDeadLetterEntry(uniqueName('dl'), t),
        aDeadLetterEntry(uniqueName('dl'), t + 2_000),
        aDeadLetterEntry(uniqueName('dl'), t + 1_000),
      ];
      for (const e of [older, newest, middle]) await deadLetters.put(e);
      // Act
      const listed = await deadLetters.list();
      // Assess
      expect(listed).toEqual([newest, middle, older]);
    });

    test('an empty store lists nothing and counts zero', async () => {
      const { deadLetters } = harness();
      expect(await deadLetters.list()).toEqual([]);
      expect(await deadLetters.count()).toBe(0);
    });

    test('limit returns only the newest entries', async () => {
      const entries = await putEntries([{}, {}, {}, {}]);
      expect(await harness().deadLetters.list({ limit: 2 })).toEqual([entries[3], entries[2]]);
    });

    test.each([
      { filter: 'queue', query: { queue: 'imports' } },
      { filter: 'errorClass', query: { errorClass: 'TimeoutError' } },
      { filter: 'jobName', query: { jobName: 'sync_inventory' } },
    ])('list filters by $filter', async ({ query }) => {
      // Prepare
      const entries = await putEntries([
        { queue: 'imports', errorClass: 'TimeoutError', jobName: 'sync_inventory' },
        { queue: 'default', errorClass: 'TypeError', jobName: 'send_invoice' },
        { queue: 'imports', errorClass: 'TimeoutError', jobName: 'sync_inventory' },
      ]);
      // Act
      const listed = await harness().deadLetters.list(query);
      // Assess
      expect(listed).toEqual([entries[2], entries[0]]);
    });

    test('filters combine with each other and with limit', async () => {
      const entries = await putEntries([
        { queue: 'imports', errorClass: 'TimeoutError' },
        { queue: 'imports', errorClass: 'TypeError' },
        { queue: 'default', errorClass: 'TimeoutError' },
        { queue: 'imports', errorClass: 'TimeoutError' },
        { queue: 'imports', errorClass: 'TimeoutError' },
      ]);
      const listed = await harness().deadLetters.list({ queue: 'imports', errorClass: 'TimeoutError', limit: 2 });
      expect(listed).toEqual([entries[4], entries[3]]);
    });

    test('delete removes an entry and reports whether it existed', async () => {
      // Prepare
      const [gone, kept] = await putEntries([{}, {}]);
      const { deadLetters } = harness();
      // Act
      const first = await deadLetters.delete(gone!.id);
      const second = await deadLetters.delete(gone!.id);
      // Assess
      expect([first, second]).toEqual([true, false]);
      expect(await deadLetters.get(gone!.id)).toBeUndefined();
      expect(await deadLetters.list()).toEqual([kept]);
    });

    test('deleteBefore removes entries whose last failure is strictly before the cutoff and returns how many', async () => {
      // Prepare: failures at t, t+1 s, t+2 s, t+3 s
      const entries = await putEntries([{}, {}, {}, {}]);
      const { deadLetters } = harness();
      const cutoff = entries[2]!.lastFailedAt.getTime();
      // Act
      const removed = await deadLetters.deleteBefore(cutoff);
      // Assess: the entry failing exactly at the cutoff stays
      expect(removed).toBe(2);
      expect(await deadLetters.list()).toEqual([entries[3], entries[2]]);
    });

    test('deleteBefore with nothing old enough removes nothing', async () => {
      const entries = await putEntries([{}, {}]);
      expect(await harness().deadLetters.deleteBefore(entries[0]!.lastFailedAt.getTime())).toBe(0);
      expect(await harness().deadLetters.count()).toBe(2);
    });

    test('trimTo keeps the newest entries and returns how many it removed', async () => {
      // Prepare: inserted in an order unrelated to age
      const { deadLetters, now } = harness();
      const t = now();
      const byAge = [0, 1, 2, 3, 4].map((i) => aDeadLetterEntry(uniqueName('dl'), t + i * 1_000));
      for (const i of [3, 0, 4, 1, 2]) await deadLetters.put(byAge[i]!);
      // Act
      const removed = await deadLetters.trimTo(2);
      // Assess
      expect(removed).toBe(3);
      expect(await deadLetters.list()).toEqual([byAge[4], byAge[3]]);
      expect(await deadLetters.count()).toBe(2);
    });

    test('trimTo a size the store is already within removes nothing', async () => {
      await putEntries([{}, {}, {}]);
      expect(await harness().deadLetters.trimTo(3)).toBe(0);
      expect(await harness().deadLetters.trimTo(10)).toBe(0);
      expect(await harness().deadLetters.count()).toBe(3);
    });

    test('trimTo zero empties the store', async () => {
      await putEntries([{}, {}]);
      expect(await harness().deadLetters.trimTo(0)).toBe(2);
      expect(await harness().deadLetters.count()).toBe(0);
    });

    test('count follows puts and deletes', async () => {
      const [a] = await putEntries([{}, {}, {}]);
      const { deadLetters } = harness();
      expect(await deadLetters.count()).toBe(3);
      await deadLetters.delete(a!.id);
      expect(await deadLetters.count()).toBe(2);
    });

    test('entries returned by the store are copies: mutating one does not change the store', async () => {
      const [entry] = await putEntries([{ args: { list: [1] } }]);
      const { deadLetters } = harness();
      const got = await deadLetters.get(entry!.id);
      (got!.args as { list: number[] }).list.push(2);
      got!.lastFailedAt.setTime(0);
      expect(await deadLetters.get(entry!.id)).toEqual(entry);
    });
  });
}
