/**
 * Which jobs exist right now: the config's jobs, overlaid with the job-state store's records
 * (runtime inserts, updates, deletes, pauses). Both engines resolve a message's job here, so
 * a job paused or updated through any client is seen by every worker sharing the store.
 */
import { resolveJob } from '../config/define-config.ts';
import type { JobStateRecord, JobStateStore } from '../ports.ts';
import type { JobDefinition, JobHandler, JobHooks, ResolvedConfig, ResolvedJob } from '../types.ts';

/** A job as the engine runs it, with its pause state. */
export interface RegisteredJob {
  readonly job: ResolvedJob;
  readonly paused: boolean;
}

/** Resolves job names to runnable jobs. */
export interface JobRegistry {
  /** The job named `name`, or `undefined` when no such job exists (or it was deleted). */
  get(name: string): Promise<RegisteredJob | undefined>;
  /** Every live job, config jobs first (in config order), then runtime-inserted ones by name. */
  list(): Promise<RegisteredJob[]>;
  /** Forgets the cached resolution of `name` (after this process changed its record or code). */
  invalidate(name: string): void;
}

export interface JobRegistryOptions {
  /** The config's jobs. */
  readonly jobs: readonly ResolvedJob[];
  readonly jobState: JobStateStore;
  /**
   * Builds the runnable job of a record that carries a `definition` (a runtime-inserted job,
   * or a config job changed by `update`). `base` is the config job of that name, if any.
   * Return `undefined` when the record's handler cannot be found.
   */
  readonly materialize: (record: JobStateRecord, base: ResolvedJob | undefined) => ResolvedJob | undefined;
}

/**
 * @example
 * const registry = createJobRegistry({ jobs: config.jobs, jobState: stores.jobState, materialize });
 * const found = await registry.get('daily_report'); // { job, paused } | undefined
 */
export function createJobRegistry(opts: JobRegistryOptions): JobRegistry {
  const configJobs = new Map(opts.jobs.map((j) => [j.name, j] as const));
  // Materializing validates a definition again; cache per record version.
  const cache = new Map<string, { readonly updatedAtMs: number; readonly job: ResolvedJob | undefined }>();

  const fromRecord = (record: JobStateRecord | undefined, name: string): RegisteredJob | undefined => {
    if (record?.deleted) return undefined;
    const base = configJobs.get(name);
    let job = base;
    if (record?.definition) {
      const hit = cache.get(name);
      if (hit && hit.updatedAtMs === record.updatedAtMs) job = hit.job;
      else {
        job = opts.materialize(record, base);
        cache.set(name, { updatedAtMs: record.updatedAtMs, job });
      }
    }
    return job ? { job, paused: record?.paused ?? false } : undefined;
  };

  return {
    async get(name) {
      return fromRecord(await opts.jobState.get(name), name);
    },
    async list() {
      const records = new Map((await opts.jobState.list()).map((r) => [r.name, r] as const));
      const out: RegisteredJob[] = [];
      for (const name of configJobs.keys()) {
        const found = fromRecord(records.get(name), name);
        if (found) out.push(found);
      }
      const extra = [...records.keys()].filter((n) => !configJobs.has(n)).sort();
      for (const name of extra) {
        const found = fromRecord(records.get(name), name);
        if (found) out.push(found);
      }
      return out;
    },
    invalidate(name) {
      cache.delete(name);
    },
  };
}

/** Code that runs a job: a handler and its hooks. */
export interface JobCode {
  readonly handler: JobHandler<any>;
  readonly hooks: JobHooks;
}

/**
 * The standard `materialize` for {@link createJobRegistry}: a record's stored options are
 * validated again with `resolveJob` against `config`, and its code is, in order, what
 * `inlineCode(name)` returns (the local runtime's runtime-given handlers), the config job the
 * record's `handlerRef` names, or the config job of the same name (an updated config job).
 * Records whose code cannot be found resolve to `undefined` (the AWS worker only has deployed code).
 *
 * @example
 * const registry = createJobRegistry({ jobs: config.jobs, jobState: stores.jobState, materialize: configMaterializer(config) });
 */
export function configMaterializer(
  config: ResolvedConfig,
  inlineCode: (name: string) => JobCode | undefined = () => undefined,
): JobRegistryOptions['materialize'] {
  const configJobs = new Map(config.jobs.map((j) => [j.name, j] as const));
  return (record, base) => {
    const ref = record.handlerRef ? configJobs.get(record.handlerRef) : undefined;
    const code = inlineCode(record.name) ?? ref ?? (record.handlerRef ? undefined : base);
    if (!code) return undefined;
    const def = { ...record.definition, name: record.name, handler: code.handler, ...code.hooks } as JobDefinition<any>;
    return resolveJob(def, config, base && !record.handlerRef ? base.origin : 'runtime');
  };
}
