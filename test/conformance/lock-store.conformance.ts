/**
 * LockStore conformance: conditional, expiring keys (tick claims, unique locks).
 * Times are passed explicitly, so no clock is needed — only a realistic "now".
 */
import { describe, expect, test } from 'vitest';
import type { LockStore } from '../../shared/ports.ts';
import { type HarnessBase, uniqueName, useHarness } from './harness.ts';

export interface LockStoreHarness extends HarnessBase {
  readonly locks: LockStore;
  /** Epoch ms the tests build their times from. */
  now(): number;
}

/**
 * Registers the LockStore conformance suite for one adapter.
 *
 * @example
 * describeLockStoreConformance('memory', async () => ({ locks: new MemoryLockStore(), now: () => Date.now() }));
 */
export function describeLockStoreConformance(adapterName: string, setup: () => Promise<LockStoreHarness>): void {
  describe(`LockStore conformance (${adapterName})`, () => {
    const harness = useHarness(setup);

    test('acquiring an absent key succeeds and get reports the owner and expiry', async () => {
      // Prepare
      const { locks, now } = harness();
      const key = uniqueName('lock');
      const t = now();
      // Act
      const acquired = await locks.acquire(key, 'worker-a', t, t + 60_000);
      // Assess
      expect(acquired).toBe(true);
      expect(await locks.get(key, t)).toEqual({ owner: 'worker-a', expiresAtMs: t + 60_000 });
    });

    test('getting a key that was never acquired returns undefined', async () => {
      const { locks, now } = harness();
      expect(await locks.get(uniqueName('lock'), now())).toBeUndefined();
    });

    test.each([
      { who: 'another owner', owner: 'worker-b' },
      { who: 'the same owner (locks are not re-entrant)', owner: 'worker-a' },
    ])('acquiring a held key is refused for $who and leaves the holder in place', async ({ owner }) => {
      // Prepare
      const { locks, now } = harness();
      const key = uniqueName('lock');
      const t = now();
      await locks.acquire(key, 'worker-a', t, t + 60_000);
      // Act
      const acquired = await locks.acquire(key, owner, t + 1_000, t + 120_000);
      // Assess
      expect(acquired).toBe(false);
      expect(await locks.get(key, t + 1_000)).toEqual({ owner: 'worker-a', expiresAtMs: t + 60_000 });
    });

    test('a key whose expiry has passed can be acquired by another owner', async () => {
      // Prepare
      const { locks, now } = harness();
      const key = uniqueName('lock');
      const t = now();
      await locks.acquire(key, 'worker-a', t, t + 1_000);
      // Act
      const acquired = await locks.acquire(key, 'worker-b', t + 1_001, t + 61_001);
      // Assess
      expect(acquired).toBe(true);
      expect(await locks.get(key, t + 1_001)).toEqual({ owner: 'worker-b', expiresAtMs: t + 61_001 });
    });

    test('get treats an expired key as absent', async () => {
      const { locks, now } = harness();
      const key = uniqueName('lock');
      const t = now();
      await locks.acquire(key, 'worker-a', t, t + 1_000);
      expect(await locks.get(key, t + 999)).toEqual({ owner: 'worker-a', expiresAtMs: t + 1_000 });
      expect(await locks.get(key, t + 1_001)).toBeUndefined();
    });

    test('the owner releases its key, after which anyone can acquire it', async () => {
      // Prepare
      const { locks, now } = harness();
      const key = uniqueName('lock');
      const t = now();
      await locks.acquire(key, 'worker-a', t, t + 60_000);
      // Act
      const released = await locks.release(key, 'worker-a');
      // Assess
      expect(released).toBe(true);
      expect(await locks.get(key, t)).toBeUndefined();
      expect(await locks.acquire(key, 'worker-b', t, t + 60_000)).toBe(true);
    });

    test('release by someone who is not the owner returns false and keeps the key held', async () => {
      const { locks, now } = harness();
      const key = uniqueName('lock');
      const t = now();
      await locks.acquire(key, 'worker-a', t, t + 60_000);
      expect(await locks.release(key, 'worker-b')).toBe(false);
      expect(await locks.get(key, t)).toEqual({ owner: 'worker-a', expiresAtMs: t + 60_000 });
    });

    test('releasing a key nobody holds returns false', async () => {
      const { locks } = harness();
      expect(await locks.release(uniqueName('lock'), 'worker-a')).toBe(false);
    });

    test('the owner extends its key, which then stays held past the original expiry', async () => {
      // Prepare
      const { locks, now } = harness();
      const key = uniqueName('lock');
      const t = now();
      await locks.acquire(key, 'worker-a', t, t + 1_000);
      // Act
      const extended = await locks.extend(key, 'worker-a', t + 300_000);
      // Assess
      expect(extended).toBe(true);
      expect(await locks.get(key, t + 2_000)).toEqual({ owner: 'worker-a', expiresAtMs: t + 300_000 });
      expect(await locks.acquire(key, 'worker-b', t + 2_000, t + 62_000)).toBe(false);
    });

    test('extend by someone who is not the owner returns false and leaves the expiry unchanged', async () => {
      const { locks, now } = harness();
      const key = uniqueName('lock');
      const t = now();
      await locks.acquire(key, 'worker-a', t, t + 1_000);
      expect(await locks.extend(key, 'worker-b', t + 300_000)).toBe(false);
      expect(await locks.get(key, t)).toEqual({ owner: 'worker-a', expiresAtMs: t + 1_000 });
    });

    test('extending a key nobody holds returns false and does not create it', async () => {
      const { locks, now } = harness();
      const key = uniqueName('lock');
      expect(await locks.extend(key, 'worker-a', now() + 60_000)).toBe(false);
      expect(await locks.get(key, now())).toBeUndefined();
    });

    test('twenty concurrent acquires of one key: exactly one wins, and get names the winner', async () => {
      // Prepare
      const { locks, now } = harness();
      const key = uniqueName('lock');
      const t = now();
      const owners = Array.from({ length: 20 }, (_, i) => `worker-${i}`);
      // Act
      const results = await Promise.all(owners.map((owner) => locks.acquire(key, owner, t, t + 60_000)));
      // Assess
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = owners[results.indexOf(true)];
      expect(await locks.get(key, t)).toEqual({ owner: winner, expiresAtMs: t + 60_000 });
    });

    test('twenty concurrent acquires of an expired key: exactly one wins', async () => {
      const { locks, now } = harness();
      const key = uniqueName('lock');
      const t = now();
      await locks.acquire(key, 'crashed-worker', t, t + 1_000);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => locks.acquire(key, `worker-${i}`, t + 5_000, t + 65_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    test('keys are independent: holding one does not block another', async () => {
      const { locks, now } = harness();
      const t = now();
      const [a, b] = [uniqueName('lock'), uniqueName('lock')];
      expect(await locks.acquire(a, 'worker-a', t, t + 60_000)).toBe(true);
      expect(await locks.acquire(b, 'worker-b', t, t + 60_000)).toBe(true);
    });
  });
}
