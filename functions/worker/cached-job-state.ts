/**
 * A JobStateStore that answers reads from one cached `list()` (a single Query) refreshed at
 * most every `ttlMs` — so the worker resolves a message's job without a DynamoDB call per
 * message. A pause or update made through the client is seen within `ttlMs`.
 */
import type { JobStateRecord, JobStateStore } from '../../shared/ports.ts';

/** @default cache lifetime of the worker's job-state reads */
export const DEFAULT_JOB_STATE_CACHE_MS = 5_000;

/**
 * @example
 * const jobState = cachedJobStateStore(stores.jobState, 5_000, Date.now);
 * await jobState.get('daily_report'); // one Query for all records, then cached for 5 s
 */
export function cachedJobStateStore(
  inner: JobStateStore,
  ttlMs: number,
  now: () => number,
  /**
   * The config's job names. Any other name missing from the cache is read through (one
   * GetItem), so a job inserted at runtime a moment ago is found instead of dead-lettered as
   * unknown; config jobs without a record cost nothing.
   */
  configJobs: ReadonlySet<string> = new Set(),
): JobStateStore {
  let cache: { readonly atMs: number; readonly records: Promise<Map<string, JobStateRecord>> } | undefined;
  const all = (): Promise<Map<string, JobStateRecord>> => {
    const t = now();
    if (!cache || t - cache.atMs >= ttlMs) {
      const records = inner.list().then((list) => new Map(list.map((r) => [r.name, r] as const)));
      cache = { atMs: t, records };
      // A failed read must not be cached.
      records.catch(() => {
        if (cache?.records === records) cache = undefined;
      });
    }
    return cache.records;
  };
  return {
    async get(name) {
      const cached = await all();
      let r = cached.get(name);
      if (!r && !configJobs.has(name)) {
        r = await inner.get(name);
        if (r) cached.set(name, r);
      }
      return r && structuredClone(r);
    },
    async list() {
      return [...(await all()).values()].map((r) => structuredClone(r));
    },
    async put(record) {
      await inner.put(record);
      cache = undefined;
    },
    async delete(name) {
      await inner.delete(name);
      cache = undefined;
    },
  };
}
