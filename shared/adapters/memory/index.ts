export { createMemoryStores, MemoryAttemptLedger, MemoryLockStore, MemoryHistoryStore, MemoryDeadLetterStore, MemoryJobStateStore, MemoryRunRegistry } from './stores.ts';
export type { MemoryHistoryStoreOptions } from './stores.ts';
export { MemoryQueue } from './queue.ts';
export type { MemoryQueueOptions } from './queue.ts';
export { MemoryScheduler } from './scheduler.ts';
export type { MemorySchedulerOptions } from './scheduler.ts';
