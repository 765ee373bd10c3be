/**
 * The decorator style: `@scheduled(options)` on methods of a plain class, collected by `jobsOf`.
 * TC39 standard decorators (TypeScript 5, no `experimentalDecorators`); Node 20 has no
 * `Symbol.metadata`, so the options ride on the method function itself under a private symbol.
 */
import { ConfigError, jobIssue, type ConfigIssue } from '../errors.ts';
import type { JobContext, JobDefinition, JobHooks, JobOptions } from '../types.ts';
import { adoptChecked } from './define-job.ts';
import { snakeCase } from './names.ts';
import { checkJob } from './validate-job.ts';

/** Options of `@scheduled`: any job option, hooks, and a name replacing the method-derived one. */
export type ScheduledOptions = JobOptions & JobHooks & { readonly name?: string };

const SCHEDULED = Symbol('om-scheduler.scheduled');

interface ScheduledMark {
  readonly options: ScheduledOptions;
  readonly methodName: string;
}

type Marked = { [SCHEDULED]?: ScheduledMark };

/**
 * Marks a method as a job. The job name is the method name in snake_case
 * (`cleanupSessions` -> `cleanup_sessions`) unless `name` is given; the method receives the
 * job context and is bound to one instance of its class.
 *
 * @example
 * import { defineConfig, jobsOf, scheduled, type JobContext } from 'om-scheduler';
 *
 * class MaintenanceJobs {
 *   @scheduled({ cron: '0 * * * *', unique: true })
 *   async cleanupSessions(ctx: JobContext) {}
 *
 *   @scheduled({ name: 'vacuum', every: [6, 'hours'], queue: 'maintenance' })
 *   async vacuumDatabase() {}
 * }
 *
 * export default defineConfig({ queues: { default: 10, maintenance: 1 }, jobs: [...jobsOf(MaintenanceJobs)] });
 */
export function scheduled(options: ScheduledOptions = {}) {
  return function decorate<This, F extends (this: This, ctx: JobContext<any>) => unknown>(
    method: F,
    context: ClassMethodDecoratorContext<This, F>,
  ): F {
    // Legacy decorators call (target, key, descriptor): the second argument is a string.
    if (typeof context !== 'object' || context === null || context.kind !== 'method') {
      throw new TypeError(
        '@scheduled is a TypeScript 5 standard decorator for class methods; turn off `experimentalDecorators` ' +
          'and put it on a method',
      );
    }
    const methodName = String(context.name);
    const label = options.name ?? snakeCase(methodName);
    if (context.private || context.static || typeof context.name === 'symbol') {
      const what = context.private ? 'a private method' : context.static ? 'a static method' : 'a symbol-named method';
      throw new ConfigError(jobIssue(label, '@scheduled', methodName, `decorate a public instance method, not ${what}`));
    }
    (method as Marked)[SCHEDULED] = { options, methodName };
    return method;
  };
}

/**
 * The jobs declared with `@scheduled` on `Class` (and its base classes), as checked, frozen
 * definitions whose handlers and hooks are bound to one instance of `Class`. Throws one
 * `ConfigError` listing the issues of every method.
 *
 * @example
 * const jobs = jobsOf(MaintenanceJobs);
 * jobs.map((j) => j.name); // ['cleanup_sessions', 'vacuum']
 */
export function jobsOf(Class: new () => object): JobDefinition<any>[] {
  const instance = new Class() as Record<string, unknown>;
  const raw: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (let proto = Object.getPrototypeOf(instance); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (seen.has(key) || key === 'constructor') continue;
      seen.add(key);
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      const fn = descriptor?.value as (Marked & ((...a: unknown[]) => unknown)) | undefined;
      const mark = typeof fn === 'function' ? fn[SCHEDULED] : undefined;
      if (!mark || !fn) continue;
      const { name, ...options } = mark.options;
      const def: Record<string, unknown> = { ...options, name: name ?? snakeCase(mark.methodName), handler: fn.bind(instance) };
      for (const hook of ['onStart', 'onSuccess', 'onFailure', 'onCancel'] as const) {
        const h = options[hook];
        if (typeof h === 'function') def[hook] = h.bind(instance);
      }
      raw.push(def);
    }
  }
  const issues: ConfigIssue[] = [];
  const jobs: JobDefinition<any>[] = [];
  for (const def of raw) {
    const result = checkJob(def);
    if (result.ok) jobs.push(adoptChecked(def as unknown as JobDefinition<any>, result.job));
    else issues.push(...result.issues);
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return jobs;
}
