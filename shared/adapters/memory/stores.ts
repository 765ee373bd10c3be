/**
 * In-memory stores: the local engine's adapters of the store ports. Product code with the
 * same semantics as the DynamoDB adapters (checked by the same conformance suites).
 * Everything is copied on the way in and out, so callers cannot mutate stored state.
 */
import type {
  AttemptClaim,
  AttemptLedger,
  DeadLetterQuery,
  DeadLetterStore,
  HistoryQuery,
  HistoryStore,
  JobCounters,
  JobStateRecord,
  JobStateStore,
  LockStore,
  RunRecord,
  RunRecordEntry,
  RunRegistry,
  Stores,
} from '../../ports.ts';
import type { DeadLetterEntry, HistoryEntry } from '../../types.ts';

export class MemoryLockStore implements LockStore {
  private readonly locks = new Map<string, { owner: string; expiresAtMs: number }>();

  async acquire(key: string, owner: string, nowMs: number, expiresAtMs: number): Promise<boolean> {
    const held = this.locks.get(key);
    if (held && held.expiresAtMs > nowMs) return false;
    this.locks.set(key, { owner, expiresAtMs });
    return true;
  }

  async release(key: string, owner: string): Promise<boolean> {
    const held = this.locks.get(key);
    if (!held || held.owner !== owner) return false;
    this.locks.delete(key);
    return true;
  }

  async extend(key: string, owner: string, expiresAtMs: number): Promise<boolean> {
    const held = this.locks.get(key);
    if (!held || held.owner !== owner) return false;
    held.expiresAtMs = expiresAtMs;
    return true;
  }

  async get(key: string, nowMs: number): Promise<{ owner: string; expiresAtMs: number } | undefined> {
    const held = this.locks.get(key);
    if (!held || held.expiresAtMs <= nowMs) return undefined;
    return { ...held };
  }

  /** Drops expired keys (the TTL sweep DynamoDB does on its own). */
  sweep(nowMs: number): number {
    let n = 0;
    for (const [k, v] of this.locks) if (v.expiresAtMs <= nowMs && this.locks.delete(k)) n++;
    return n;
  }
}

const copyHistory = (e: HistoryEntry): HistoryEntry => ({
  ...e,
  startedAt: new Date(e.startedAt),
  finishedAt: new Date(e.finishedAt),
  ...(e.scheduledAt ? { scheduledAt: new Date(e.scheduledAt) } : {}),
  ...(e.nextAttemptAt ? { nextAttemptAt: new Date(e.nextAttemptAt) } : {}),
  ...(e.error ? { error: { ...e.error } } : {}),
});

export interface MemoryHistoryStoreOptions {
  /** Entries kept per job (oldest dropped first), like the DynamoDB TTL keeps history bounded. @default 1000 */
  readonly maxEntriesPerJob?: number;
}

export class MemoryHistoryStore implements HistoryStore {
  /** Oldest first per job (appends are O(1)); listed newest first. */
  private readonly entries = new Map<string, HistoryEntry[]>();
  private readonly counters = new Map<string, JobCounters>();
  private readonly maxPerJob: number;

  constructor(opts: MemoryHistoryStoreOptions = {}) {
    this.maxPerJob = opts.maxEntriesPerJob ?? 1000;
  }

  async append(entry: HistoryEntry): Promise<void> {
    let list = this.entries.get(entry.jobName);
    if (!list) this.entries.set(entry.jobName, (list = []));
    list.push(copyHistory(entry));
    // Trim in chunks so appends stay amortised O(1).
    if (list.length > this.maxPerJob * 1.25) list.splice(0, list.length - this.maxPerJob);
  }

  async list(jobName: string, query: HistoryQuery = {}): Promise<HistoryEntry[]> {
    const list = this.entries.get(jobName) ?? [];
    const limit = Math.min(query.limit ?? this.maxPerJob, this.maxPerJob);
    const out: HistoryEntry[] = [];
    // Reversed first so that entries with equal start times list the later-appended one first.
    const ordered = [...list].reverse().sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
    for (const e of ordered) {
      if (out.length >= limit) break;
      if (query.sinceMs !== undefined && e.startedAt.getTime() < query.sinceMs) break;
      out.push(copyHistory(e));
    }
    return out;
  }

  async recordResult(jobName: string, update: RunRecord): Promise<void> {
    const prev = this.counters.get(jobName) ?? { runCount: 0, errorCount: 0, lastRunAtMs: null, lastResult: null, lastError: null };
    const isError = update.result === 'error' || update.result === 'timeout';
    this.counters.set(jobName, {
      runCount: prev.runCount + 1,
      errorCount: prev.errorCount + (isError ? 1 : 0),
      lastRunAtMs: update.atMs,
      lastResult: update.result,
      lastError: update.error ? { ...update.error } : isError ? null : prev.lastError,
    });
  }

  async getCounters(jobName: string): Promise<JobCounters | undefined> {
    const c = this.counters.get(jobName);
    return c && { ...c, lastError: c.lastError && { ...c.lastError } };
  }

  async deleteJob(jobName: string): Promise<void> {
    this.entries.delete(jobName);
    this.counters.delete(jobName);
  }
}

const copyDeadLetter = (e: DeadLetterEntry): DeadLetterEntry => ({
  ...e,
  error: { ...e.error },
  args: structuredClone(e.args),
  firstFailedAt: new Date(e.firstFailedAt),
  lastFailedAt: new Date(e.lastFailedAt),
  ...(e.scheduledAt ? { scheduledAt: new Date(e.scheduledAt) } : {}),
});

const newestFirst = (a: DeadLetterEntry, b: DeadLetterEntry): number =>
  b.lastFailedAt.getTime() - a.lastFailedAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export class MemoryDeadLetterStore implements DeadLetterStore {
  private readonly entries = new Map<string, DeadLetterEntry>();

  async put(entry: DeadLetterEntry): Promise<void> {
    this.entries.set(entry.id, copyDeadLetter(entry));
  }

  async get(id: string): Promise<DeadLetterEntry | undefined> {
    const e = this.entries.get(id);
    return e && copyDeadLetter(e);
  }

  async list(query: DeadLetterQuery = {}): Promise<DeadLetterEntry[]> {
    const matches = [...this.entries.values()].filter(
      (e) =>
        (query.queue === undefined || e.queue === query.queue) &&
        (query.errorClass === undefined || e.errorClass === query.errorClass) &&
        (query.jobName === undefined || e.jobName === query.jobName),
    );
    matches.sort(newestFirst);
    return matches.slice(0, query.limit ?? matches.length).map(copyDeadLetter);
  }

  async delete(id: string): Promise<boolean> {
    return this.entries.delete(id);
  }

  async deleteBefore(beforeMs: number): Promise<number> {
    let n = 0;
    for (const [id, e] of this.entries) if (e.lastFailedAt.getTime() < beforeMs && this.entries.delete(id)) n++;
    return n;
  }

  async trimTo(max: number): Promise<number> {
    const excess = this.entries.size - Math.max(0, max);
    if (excess <= 0) return 0;
    const oldest = [...this.entries.values()].sort(newestFirst).slice(-excess);
    for (const e of oldest) this.entries.delete(e.id);
    return oldest.length;
  }

  async count(): Promise<number> {
    return this.entries.size;
  }
}

export class MemoryJobStateStore implements JobStateStore {
  private readonly records = new Map<string, JobStateRecord>();

  async get(name: string): Promise<JobStateRecord | undefined> {
    const r = this.records.get(name);
    return r && structuredClone(r);
  }

  async put(record: JobStateRecord): Promise<void> {
    this.records.set(record.name, structuredClone(record));
  }

  async delete(name: string): Promise<void> {
    this.records.delete(name);
  }

  async list(): Promise<JobStateRecord[]> {
    return [...this.records.values()].map((r) => structuredClone(r));
  }
}

export class MemoryRunRegistry implements RunRegistry {
  private readonly runs = new Map<string, RunRecordEntry>();

  async start(entry: RunRecordEntry): Promise<void> {
    this.runs.set(entry.runId, { ...entry });
  }

  async finish(runId: string): Promise<void> {
    this.runs.delete(runId);
  }

  async list(nowMs: number): Promise<RunRecordEntry[]> {
    const out: RunRecordEntry[] = [];
    for (const [id, r] of this.runs) {
      if (r.expiresAtMs <= nowMs) this.runs.delete(id);
      else out.push({ ...r });
    }
    return out.sort((a, b) => a.startedAtMs - b.startedAtMs);
  }

  async get(runId: string, nowMs: number): Promise<RunRecordEntry | undefined> {
    const r = this.runs.get(runId);
    return r && r.expiresAtMs > nowMs ? { ...r } : undefined;
  }

  async requestCancel(runId: string, reason: string): Promise<boolean> {
    const r = this.runs.get(runId);
    if (!r) return false;
    this.runs.set(runId, { ...r, cancelRequested: reason });
    return true;
  }
}

/**
 * The attempt ledger over the memory stores. Its steps are in-memory operations that cannot
 * fail halfway, and each claim/run key belongs to one attempt, so composing them is as good
 * as the single DynamoDB transaction it stands for.
 */
export class MemoryAttemptLedger implements AttemptLedger {
  constructor(
    private readonly locks: LockStore,
    private readonly runs: RunRegistry,
    private readonly history: HistoryStore,
  ) {}

  async begin(claim: AttemptClaim & { nowMs: number; expiresAtMs: number }, run: RunRecordEntry): Promise<boolean> {
    if (!(await this.locks.acquire(claim.key, claim.owner, claim.nowMs, claim.expiresAtMs))) return false;
    await this.runs.start(run);
    return true;
  }

  async finish(done: Parameters<AttemptLedger['finish']>[0]): Promise<void> {
    await this.history.append(done.history);
    await this.history.recordResult(done.history.jobName, done.record);
    await this.locks.extend(done.claim.key, done.claim.owner, done.claim.retainUntilMs);
    await this.runs.finish(done.runId);
    if (done.unique) {
      if (done.unique.untilMs === null) await this.locks.release(done.unique.key, done.unique.owner);
      else await this.locks.extend(done.unique.key, done.unique.owner, done.unique.untilMs);
    }
  }

  async abandon(claim: AttemptClaim, runId: string, unique?: { key: string; owner: string }): Promise<void> {
    await this.locks.release(claim.key, claim.owner);
    await this.runs.finish(runId);
    if (unique) await this.locks.release(unique.key, unique.owner);
  }
}

/**
 * Every store the engine needs, in memory.
 *
 * @example
 * const stores = createMemoryStores();
 * const rt = createLocalRuntime(config, { stores }); // share `stores` between runtimes to model several nodes
 */
export function createMemoryStores(opts: MemoryHistoryStoreOptions = {}): Stores {
  const locks = new MemoryLockStore();
  const history = new MemoryHistoryStore(opts);
  const runs = new MemoryRunRegistry();
  return {
    ledger: new MemoryAttemptLedger(locks, runs, history),
    locks,
    history,
    deadLetters: new MemoryDeadLetterStore(),
    jobState: new MemoryJobStateStore(),
    runs,
  };
}
