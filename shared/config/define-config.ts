/**
 * `defineConfig`: the whole definition of an app — queues, dead-letter store, jobs, workflows —
 * checked as one and resolved into the form both engines and the CDK app consume.
 */
import { parseDuration } from '../duration.ts';
import { ConfigError, type ConfigIssue, type ConfigSubject } from '../errors.ts';
import type { DeadLetterConfig, DeadLetterEntry, JobDefinition, ResolvedConfig, ResolvedJob } from '../types.ts';
import {
  DEAD_LETTER_DEFAULTS,
  DEFAULT_APP_NAME,
  DEFAULT_QUEUES,
  MAX_QUEUE_CONCURRENCY,
  MIN_QUEUE_CONCURRENCY,
} from './job-defaults.ts';
import { APP_NAME_RULE, QUEUE_NAME_RULE, isValidAppName, isValidQueueName } from './names.ts';
import { closestName } from './suggest.ts';
import { checkJob, isPlainObject, type ResolvedJobBody } from './validate-job.ts';
import { Worker, isWorkerClass, workerDefinition, type WorkerClass } from './worker.ts';

export { JOB_DEFAULTS } from './job-defaults.ts';

/** Anything `jobs` accepts: a `defineJob` result, a Worker subclass, or the array `jobsOf` returns. */
export type JobLike = JobDefinition<any> | WorkerClass | readonly JobDefinition<any>[];

/** A config as users write it. Every field is optional. */
export interface ConfigInput {
  /**
   * Prefix of every AWS resource name: 1-20 lowercase letters, digits or `-`, starting with a
   * letter. Name it before deploying: two apps with the default name would share resources.
   * @default 'omsched'
   */
  readonly app?: string;
  /** Queue name -> concurrency (1..1000). A `default` queue (10) is added when missing. @default { default: 10 } */
  readonly queues?: Readonly<Record<string, number>>;
  /** The dead-letter store; `false` turns it off. @default { enabled: true, maxAge: [30, 'days'], maxEntries: 10_000 } */
  readonly deadLetter?: boolean | DeadLetterConfig;
  /** @default [] */
  readonly jobs?: readonly JobLike[];
  /** Built workflow definitions (`workflow(...).build()`). @default [] */
  readonly workflows?: readonly unknown[];
}

const CONFIG_KEYS = ['app', 'queues', 'deadLetter', 'jobs', 'workflows'] as const;
const DEAD_LETTER_KEYS = ['enabled', 'maxAge', 'maxEntries', 'onDeadLetter'] as const;

/** What is valid for config-level fields (exported for tests and docs). */
export const CONFIG_RULES = {
  config: 'be an object: { app, queues, deadLetter, jobs, workflows }',
  app: APP_NAME_RULE,
  queues: 'be an object mapping queue names to concurrency, e.g. { default: 10, imports: 20 }',
  queueName: QUEUE_NAME_RULE,
  concurrency: `be an integer from ${MIN_QUEUE_CONCURRENCY} to ${MAX_QUEUE_CONCURRENCY}`,
  deadLetter: 'be true, false or an object { enabled, maxAge, maxEntries, onDeadLetter }',
  deadLetterEnabled: 'be true or false',
  deadLetterMaxAge: "be a duration above 0: ms, or [n, unit] such as [30, 'days']",
  deadLetterMaxEntries: 'be an integer of 1 or more',
  deadLetterOnDeadLetter: 'be a function (entry) => void',
  jobs: 'be an array of jobs',
  jobItem: 'be a job: defineJob({...}), a Worker subclass, or the spread of jobsOf(Class)',
  workflows: 'be an array of built workflows',
} as const;

/** `be a known config option (did you mean \`queues\`?)` */
function unknownKeyRule(what: string, key: string, known: readonly string[]): string {
  const suggestion = closestName(key, known);
  return suggestion ? `be a known ${what} option (did you mean \`${suggestion}\`?)` : `be a known ${what} option (one of: ${known.join(', ')})`;
}

const RESOLVED = Symbol.for('om-scheduler.resolvedConfig');

/** True for what `defineConfig` returned (as opposed to a raw `ConfigInput`). */
export function isResolvedConfig(value: unknown): value is ResolvedConfig {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[RESOLVED] === true;
}

/**
 * Checks the whole config and resolves it: defaults applied, durations in ms, schedules
 * compiled. Every problem found anywhere — app, queues, dead letters, each job — is reported
 * together in one {@link ConfigError} (one line per issue); nothing is returned on error.
 *
 * @example
 * import { defineConfig, defineJob } from 'om-scheduler';
 *
 * export default defineConfig({
 *   app: 'my-app',
 *   queues: { default: 10, exports: 2 },
 *   deadLetter: { maxAge: [14, 'days'] },
 *   jobs: [
 *     defineJob({ name: 'daily_report', cron: '0 6 * * *', handler: async () => {} }),
 *     defineJob({ name: 'export_user', queue: 'exports', handler: async ({ args }) => {} }),
 *   ],
 * });
 */
export function defineConfig(input: ConfigInput): ResolvedConfig {
  if (isResolvedConfig(input)) return input;
  const issues: ConfigIssue[] = [];
  const configIssue = (field: string, value: unknown, expected: string, subject: ConfigSubject = { kind: 'config' }): void => {
    issues.push({ subject, field, value, expected });
  };
  if (!isPlainObject(input)) throw new ConfigError({ subject: { kind: 'config' }, field: 'config', value: input, expected: CONFIG_RULES.config });
  const raw = input as Record<string, unknown>;

  for (const key of Object.keys(raw)) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) configIssue(key, raw[key], unknownKeyRule('config', key, CONFIG_KEYS));
  }

  const app = raw['app'] ?? DEFAULT_APP_NAME;
  if (!isValidAppName(app)) configIssue('app', raw['app'], CONFIG_RULES.app);

  // Queues
  const queues: Record<string, number> = {};
  if (raw['queues'] === undefined) Object.assign(queues, DEFAULT_QUEUES);
  else if (!isPlainObject(raw['queues'])) configIssue('queues', raw['queues'], CONFIG_RULES.queues);
  else {
    for (const [name, concurrency] of Object.entries(raw['queues'])) {
      const subject: ConfigSubject = { kind: 'queue', name };
      if (!isValidQueueName(name)) configIssue('name', name, CONFIG_RULES.queueName, subject);
      const ok = typeof concurrency === 'number' && Number.isInteger(concurrency) && concurrency >= MIN_QUEUE_CONCURRENCY && concurrency <= MAX_QUEUE_CONCURRENCY;
      if (!ok) configIssue('concurrency', concurrency, CONFIG_RULES.concurrency, subject);
      queues[name] = concurrency as number;
    }
    // Jobs default to the `default` queue, so it always exists.
    if (!('default' in queues)) queues['default'] = DEFAULT_QUEUES['default']!;
  }
  const queueNames = Object.keys(queues);

  const deadLetter = resolveDeadLetter(raw['deadLetter'], configIssue);

  // Jobs
  const jobs: ResolvedJob[] = [];
  const firstIndexByName = new Map<string, string>();
  const rawJobs = raw['jobs'];
  if (rawJobs !== undefined && !Array.isArray(rawJobs)) configIssue('jobs', rawJobs, CONFIG_RULES.jobs);
  else {
    for (const { item, path } of flattenJobs(rawJobs ?? [])) {
      const def = toDefinition(item, path, issues);
      if (def === undefined) continue;
      const result = checkJob(def, { queues: queueNames, fallbackName: path });
      const name = (def as { name?: unknown }).name;
      if (typeof name === 'string' && name !== '') {
        const first = firstIndexByName.get(name);
        if (first !== undefined) {
          issues.push({
            subject: { kind: 'job', name },
            field: 'name',
            value: name,
            expected: `be unique within the config (${first} has the same name)`,
          });
        } else firstIndexByName.set(name, path);
      }
      if (result.ok) jobs.push(withOrigin(result.job, 'config'));
      else issues.push(...result.issues);
    }
  }

  const workflows = raw['workflows'] ?? [];
  if (!Array.isArray(workflows)) configIssue('workflows', workflows, CONFIG_RULES.workflows);

  if (issues.length > 0) throw new ConfigError(issues);

  const config: ResolvedConfig = {
    app: app as string,
    queues: Object.freeze(queues),
    deadLetter,
    jobs: Object.freeze(jobs),
    workflows: Object.freeze([...(workflows as unknown[])]),
  };
  Object.defineProperty(config, RESOLVED, { value: true, enumerable: false });
  return Object.freeze(config);
}

/**
 * Checks one job against a resolved config (its queues) and resolves it — what the runtime's
 * `insert`/`update` use, so a runtime-added job is held to the same rules and messages.
 * Throws `ConfigError` listing all the job's issues.
 *
 * @example
 * const job = resolveJob({ name: 'adhoc', every: [1, 'hours'], handler }, config);
 * job.origin; // 'runtime'
 */
export function resolveJob(def: JobDefinition<any> | WorkerClass, config: ResolvedConfig, origin: 'config' | 'runtime' = 'runtime'): ResolvedJob {
  const issues: ConfigIssue[] = [];
  const definition = toDefinition(def, 'job', issues);
  if (definition === undefined) throw new ConfigError(issues);
  const result = checkJob(definition, { queues: Object.keys(config.queues) });
  if (!result.ok) throw new ConfigError(result.issues);
  return withOrigin(result.job, origin);
}

function withOrigin(job: ResolvedJobBody, origin: 'config' | 'runtime'): ResolvedJob {
  return Object.freeze({ ...job, origin });
}

/** `jobs` items in order with their path (`jobs[2]`, `jobs[3][0]` for an unspread `jobsOf`). */
function* flattenJobs(items: readonly unknown[]): Generator<{ item: unknown; path: string }> {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (Array.isArray(item)) {
      for (let j = 0; j < item.length; j++) yield { item: item[j], path: `jobs[${i}][${j}]` };
    } else yield { item, path: `jobs[${i}]` };
  }
}

/** A Worker class becomes its definition; objects pass through to `checkJob`; anything else is an issue. */
function toDefinition(item: unknown, path: string, issues: ConfigIssue[]): object | undefined {
  if (isWorkerClass(item)) {
    try {
      return workerDefinition(item);
    } catch (error) {
      if (error instanceof ConfigError) {
        issues.push(...error.issues);
        return undefined;
      }
      throw error;
    }
  }
  if (item instanceof Worker) {
    const name = item.constructor.name;
    issues.push({ subject: { kind: 'config' }, field: path, value: `[instance of ${name}]`, expected: `be the Worker class itself (${name}), not an instance` });
    return undefined;
  }
  if (typeof item === 'object' && item !== null) return item;
  const expected =
    typeof item === 'function' && item.name
      ? `${CONFIG_RULES.jobItem} (a class with @scheduled methods goes in as ...jobsOf(${item.name}))`
      : CONFIG_RULES.jobItem;
  issues.push({ subject: { kind: 'config' }, field: path, value: item, expected });
  return undefined;
}

function resolveDeadLetter(
  value: unknown,
  configIssue: (field: string, value: unknown, expected: string) => void,
): ResolvedConfig['deadLetter'] {
  if (value === undefined) return Object.freeze({ ...DEAD_LETTER_DEFAULTS });
  if (typeof value === 'boolean') return Object.freeze({ ...DEAD_LETTER_DEFAULTS, enabled: value });
  if (!isPlainObject(value)) {
    configIssue('deadLetter', value, CONFIG_RULES.deadLetter);
    return DEAD_LETTER_DEFAULTS;
  }
  for (const key of Object.keys(value)) {
    if (!(DEAD_LETTER_KEYS as readonly string[]).includes(key)) {
      configIssue(`deadLetter.${key}`, value[key], unknownKeyRule('deadLetter', key, DEAD_LETTER_KEYS));
    }
  }
  const { enabled, maxAge, maxEntries, onDeadLetter } = value;
  if (enabled !== undefined && typeof enabled !== 'boolean') configIssue('deadLetter.enabled', enabled, CONFIG_RULES.deadLetterEnabled);
  const maxAgeMs = maxAge === undefined ? DEAD_LETTER_DEFAULTS.maxAgeMs : parseDuration(maxAge);
  if (maxAgeMs === undefined || maxAgeMs <= 0) configIssue('deadLetter.maxAge', maxAge, CONFIG_RULES.deadLetterMaxAge);
  const entriesOk = maxEntries === undefined || (typeof maxEntries === 'number' && Number.isInteger(maxEntries) && maxEntries >= 1);
  if (!entriesOk) configIssue('deadLetter.maxEntries', maxEntries, CONFIG_RULES.deadLetterMaxEntries);
  if (onDeadLetter !== undefined && typeof onDeadLetter !== 'function') {
    configIssue('deadLetter.onDeadLetter', onDeadLetter, CONFIG_RULES.deadLetterOnDeadLetter);
  }
  return Object.freeze({
    enabled: (enabled as boolean | undefined) ?? DEAD_LETTER_DEFAULTS.enabled,
    maxAgeMs: maxAgeMs ?? DEAD_LETTER_DEFAULTS.maxAgeMs,
    maxEntries: (maxEntries as number | undefined) ?? DEAD_LETTER_DEFAULTS.maxEntries,
    ...(typeof onDeadLetter === 'function' ? { onDeadLetter: onDeadLetter as (entry: DeadLetterEntry) => unknown } : {}),
  });
}
