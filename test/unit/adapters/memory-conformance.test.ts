/**
 * Every port conformance suite, run against the local engine's in-memory adapters on a
 * virtual clock. The AWS adapters plug into the same suites (see test/conformance/README.md).
 */
import { realClock, virtualClock } from '../../../shared/adapters/clock.ts';
import {
  createMemoryStores,
  MemoryDeadLetterStore,
  MemoryHistoryStore,
  MemoryJobStateStore,
  MemoryLockStore,
  MemoryRunRegistry,
} from '../../../shared/adapters/memory/stores.ts';
import { MemoryQueue } from '../../../shared/adapters/memory/queue.ts';
import { MemoryScheduler } from '../../../shared/adapters/memory/scheduler.ts';
import { describeClockConformance } from '../../conformance/clock.conformance.ts';
import { describeDeadLetterStoreConformance } from '../../conformance/dead-letter-store.conformance.ts';
import type { Capabilities } from '../../conformance/harness.ts';
import { describeHistoryStoreConformance } from '../../conformance/history-store.conformance.ts';
import { describeJobStateStoreConformance } from '../../conformance/job-state-store.conformance.ts';
import { describeAttemptLedgerConformance } from '../../conformance/attempt-ledger.conformance.ts';
import { describeLockStoreConformance } from '../../conformance/lock-store.conformance.ts';
import { describeQueueControlConformance } from '../../conformance/queue-control.conformance.ts';
import { describeQueueConformance } from '../../conformance/queue.conformance.ts';
import { describeRunRegistryConformance } from '../../conformance/run-registry.conformance.ts';
import { describeSchedulerConformance } from '../../conformance/scheduler.conformance.ts';

/** Not on a minute boundary, so "the next minute" is never "now". */
const START = '2026-01-05T10:00:30.250Z';
const MEMORY: Capabilities = { virtualTime: true, recurringTicks: true, strictOrder: true };

/** A fresh virtual clock with the harness time controls. */
function virtualTime() {
  const clock = virtualClock(START);
  return { clock, now: () => clock.now(), advance: (ms: number) => clock.advance(ms), capabilities: MEMORY };
}

describeLockStoreConformance('memory', async () => ({ locks: new MemoryLockStore(), ...virtualTime() }));
describeHistoryStoreConformance('memory', async () => ({ history: new MemoryHistoryStore(), ...virtualTime() }));
describeDeadLetterStoreConformance('memory', async () => ({ deadLetters: new MemoryDeadLetterStore(), ...virtualTime() }));
describeJobStateStoreConformance('memory', async () => ({ jobState: new MemoryJobStateStore(), ...virtualTime() }));
describeRunRegistryConformance('memory', async () => ({ runs: new MemoryRunRegistry(), ...virtualTime() }));
describeAttemptLedgerConformance('memory', async () => ({ ...createMemoryStores(), ...virtualTime() }));

describeQueueConformance('memory', async () => {
  const time = virtualTime();
  const queue = new MemoryQueue({ clock: time.clock, queues: { jobs: 10, other: 1 } });
  return { queue, queueName: 'jobs', otherQueueName: 'other', ...time };
});

describeQueueControlConformance('memory', async () => {
  const control = new MemoryQueue({ clock: virtualClock(START), queues: { imports: 5 } });
  return { control, queueName: 'imports', configuredConcurrency: 5 };
});

describeSchedulerConformance('memory', async () => {
  const time = virtualTime();
  const queue = new MemoryQueue({ clock: time.clock, queues: { ticks: 1 } });
  const scheduler = new MemoryScheduler({ clock: time.clock, queue });
  return { scheduler, queue, queueName: 'ticks', ...time, cleanup: async () => scheduler.stopAll() };
});

describeClockConformance('virtual clock', async () => {
  const clock = virtualClock(START);
  return { clock, advance: (ms) => clock.advance(ms), runUntilIdle: () => clock.runUntilIdle(), capabilities: MEMORY };
});

describeClockConformance('real clock', async () => {
  const clock = realClock();
  return { clock, advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
});
