/**
 * The key design of the one table (`pk`, `sk`, `ttl`, GSI `gsi1` on `gsi1pk`/`gsi1sk`): pure
 * functions, so the layout documented in `index.ts` is the layout the adapters write.
 *
 * A `namespace` prefixes every partition key (table and index), so several logical stores can
 * share one table — the conformance suites use it to get an empty dead-letter store per test.
 */

/** Partitions of the sparse "running" index: runs spread over this many GSI partitions. */
export const DEFAULT_RUN_SHARDS = 4;

/** Sort-key prefix of history items (the counters item of a job sits in the same partition). */
export const HISTORY_SK_PREFIX = 'H#';
export const COUNTERS_SK = 'COUNTERS';

export interface TableKey {
  readonly pk: string;
  readonly sk: string;
}

export interface KeySpaceOptions {
  /** Prefix of every partition key, e.g. `test_3fa2c09b1e#`. @default '' */
  readonly namespace?: string;
  /** GSI partitions of running runs. @default DEFAULT_RUN_SHARDS */
  readonly runShards?: number;
}

/**
 * Builds every key of the table.
 *
 * @example
 * const keys = new KeySpace();
 * keys.lock('unique:sync');        // { pk: 'LOCK#unique:sync', sk: 'LOCK' }
 * keys.history('sync', startedAt, 'r1', 1).sk; // 'H#2027-01-04T06:00:00.000Z#r1#1'
 */
export class KeySpace {
  readonly namespace: string;
  readonly runShards: number;

  constructor(opts: KeySpaceOptions = {}) {
    this.namespace = opts.namespace ?? '';
    this.runShards = Math.max(1, Math.floor(opts.runShards ?? DEFAULT_RUN_SHARDS));
  }

  /** A lock or attempt claim. A claim item doubles as the running-registry item of its attempt. */
  lock(key: string): TableKey {
    return { pk: `${this.namespace}LOCK#${key}`, sk: 'LOCK' };
  }

  /** A run registered directly through `RunRegistry.start` (not through the ledger). */
  run(runId: string): TableKey {
    return { pk: `${this.namespace}RUN#${runId}`, sk: 'RUN' };
  }

  /** The GSI partition a running run is indexed under (sparse: finished runs drop out). */
  runningIndexPk(runId: string): string {
    return this.runningShardPk(shardOf(runId, this.runShards));
  }

  runningShardPk(shard: number): string {
    return `${this.namespace}RUNNING#${shard}`;
  }

  /** Every GSI partition of running runs, for `list`. */
  runningShardPks(): string[] {
    return Array.from({ length: this.runShards }, (_, i) => this.runningShardPk(i));
  }

  /** Partition of one job's history and counters. */
  jobPartition(jobName: string): string {
    return `${this.namespace}JOB#${jobName}`;
  }

  /** A history entry: newest first is a descending Query on the sort key. */
  history(jobName: string, startedAtMs: number, runId: string, attempt: number): TableKey {
    return { pk: this.jobPartition(jobName), sk: historySkFrom(startedAtMs) + `#${runId}#${attempt}` };
  }

  counters(jobName: string): TableKey {
    return { pk: this.jobPartition(jobName), sk: COUNTERS_SK };
  }

  /** Every job-state record sits in one partition: one Query lists them all (few, rarely written). */
  get jobStatePartition(): string {
    return `${this.namespace}JOBS`;
  }

  jobState(name: string): TableKey {
    return { pk: this.jobStatePartition, sk: name };
  }

  deadLetter(id: string): TableKey {
    return { pk: `${this.namespace}DL#${id}`, sk: 'DL' };
  }

  /** GSI partition of every dead-letter entry; its sort key orders them by last failure. */
  get deadLetterIndexPk(): string {
    return `${this.namespace}DL`;
  }
}

/** ISO instants sort lexicographically in time order (years 0000-9999). */
export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/** The smallest history sort key of entries that started at or after `ms`. */
export function historySkFrom(ms: number): string {
  return `${HISTORY_SK_PREFIX}${isoOf(ms)}`;
}

/** `gsi1sk` of a dead-letter entry: ties on the instant order by id, like the memory store. */
export function deadLetterIndexSk(lastFailedAtMs: number, id: string): string {
  return `${isoOf(lastFailedAtMs)}#${id}`;
}

/** DynamoDB TTL is epoch seconds; rounded up so an item never disappears before its expiry. */
export function ttlOf(ms: number): number {
  return Math.ceil(ms / 1000);
}

/** FNV-1a over the run id: a stable shard in 0..shards-1. */
export function shardOf(runId: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < runId.length; i++) {
    h ^= runId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
}
