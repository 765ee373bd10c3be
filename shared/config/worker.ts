/**
 * The class style of defining a job: `perform` is the handler, `schedule()` returns the options,
 * and the lifecycle hooks are methods.
 */
import { ConfigError, jobIssue } from '../errors.ts';
import type { EnqueueOptions, EnqueueResult, JobContext, JobDefinition, JobInfo, JobOptions } from '../types.ts';
import { defineJob } from './define-job.ts';
import { getDefaultClient } from './default-client.ts';
import { snakeCase } from './names.ts';

/** What `schedule()` may return: any job option, and a name replacing the class-derived one. */
export type WorkerSchedule = JobOptions & { readonly name?: string };

/** A concrete Worker subclass (what goes into a config's `jobs`). */
export type WorkerClass<A = any> = (new () => Worker<A>) & { readonly jobName: string };

/** The `args` type of a Worker subclass instance. */
export type WorkerArgs<W> = W extends Worker<infer A> ? A : never;

/** One instance per Worker class: hooks and `perform` are bound to it for the class's lifetime. */
const instances = new WeakMap<Function, Worker<any>>();
const definitions = new WeakMap<Function, JobDefinition<any>>();

/**
 * Base class of class-style jobs. The job name is the class name in snake_case
 * (`ExportWorker` -> `export_worker`) unless `schedule()` returns a `name`.
 * Without `cron`/`every` in `schedule()`, the job is on-demand (`enqueue`).
 *
 * The hooks are optional; under `noImplicitOverride`, mark them `override`.
 *
 * @example
 * import { Worker, retry, type JobContext } from 'om-scheduler';
 *
 * export class ExportWorker extends Worker<{ userId: string }> {
 *   override schedule() {
 *     return { queue: 'exports', maxRetries: 5, timeout: [5, 'minutes'] as const };
 *   }
 *   async perform({ args, attempt }: JobContext<{ userId: string }>) {
 *     if (await rateLimited()) return retry(30_000);
 *     await exportUser(args.userId);
 *   }
 *   override onFailure(job: JobInfo, error: Error) {
 *     alert(`${job.name} failed: ${error.message}`);
 *   }
 * }
 *
 * // config: jobs: [ExportWorker]; anywhere after the runtime is created:
 * await ExportWorker.enqueue({ userId: 'u1' });
 */
export abstract class Worker<A = Record<string, unknown>> {
  /** The job's code. Return nothing/a value (success) or an outcome (`retry`, `cancel`, `discard`, `fail`); throw to fail. */
  abstract perform(ctx: JobContext<A>): unknown;

  /** Job options (`cron`, `every`, `queue`, `maxRetries`, …) and optionally `name`. @default on-demand, all defaults */
  schedule?(): WorkerSchedule;

  /** Before each attempt. */
  onStart?(job: JobInfo, ctx: JobContext<A>): unknown;
  /** After a successful attempt, with what `perform` returned. */
  onSuccess?(job: JobInfo, result: unknown, ctx: JobContext<A>): unknown;
  /** After the final failure (retries exhausted), before the dead-letter insert. */
  onFailure?(job: JobInfo, error: Error, ctx: JobContext<A>): unknown;
  /** When the run is cancelled (`cancel(reason)` outcome or `cancelJob`). */
  onCancel?(job: JobInfo, reason: string, ctx: JobContext<A>): unknown;

  /** The job name: `schedule().name`, else the class name in snake_case. */
  static get jobName(): string {
    return workerJobName(this as unknown as WorkerClass);
  }

  /**
   * Enqueues an on-demand run through the bound runtime client (see `setDefaultClient`).
   *
   * @example
   * await ExportWorker.enqueue({ userId: 'u1' }, { delay: [10, 'seconds'] });
   */
  static async enqueue<W extends Worker<any>>(
    this: (abstract new () => W) & { readonly jobName: string },
    args: WorkerArgs<W>,
    opts?: EnqueueOptions,
  ): Promise<EnqueueResult> {
    return getDefaultClient().enqueue(this.jobName, args, opts);
  }

  /**
   * This class as a checked, frozen {@link JobDefinition} — the same object on every call.
   * Throws `ConfigError` when `schedule()` returns invalid options.
   *
   * @example
   * const def = ExportWorker.toJobDefinition();
   * def.name; // 'export_worker'
   */
  static toJobDefinition<W extends Worker<any>>(this: abstract new () => W): JobDefinition<WorkerArgs<W>> {
    let def = definitions.get(this);
    if (!def) {
      def = defineJob(workerDefinition(this as unknown as WorkerClass));
      definitions.set(this, def);
    }
    return def as JobDefinition<WorkerArgs<W>>;
  }
}

/** True for a concrete subclass of {@link Worker} (the class itself, not an instance). */
export function isWorkerClass(value: unknown): value is WorkerClass {
  return typeof value === 'function' && value.prototype instanceof Worker;
}

function workerInstance(cls: WorkerClass): Worker<any> {
  let instance = instances.get(cls);
  if (!instance) {
    if (cls === (Worker as unknown)) {
      throw new ConfigError(jobIssue('(Worker)', 'class', 'Worker', 'be a subclass of Worker, not Worker itself'));
    }
    instance = new (cls as new () => Worker<any>)();
    instances.set(cls, instance);
  }
  return instance;
}

function workerJobName(cls: WorkerClass): string {
  const name = workerInstance(cls).schedule?.().name;
  return name ?? snakeCase(cls.name);
}

/**
 * The unchecked job definition of a Worker class: `schedule()` options, `perform` as handler,
 * hooks bound to the one instance. `defineConfig` checks it with the rest of the config so all
 * issues surface together.
 */
export function workerDefinition(cls: WorkerClass): JobDefinition<any> {
  const instance = workerInstance(cls);
  const options = instance.schedule?.() ?? {};
  const def: Record<string, unknown> = {
    ...options,
    name: options.name ?? snakeCase(cls.name),
    handler: (ctx: JobContext<any>) => instance.perform(ctx),
  };
  for (const hook of ['onStart', 'onSuccess', 'onFailure', 'onCancel'] as const) {
    const fn = instance[hook];
    if (typeof fn === 'function') def[hook] = (fn as (...a: unknown[]) => unknown).bind(instance);
  }
  return def as unknown as JobDefinition<any>;
}
