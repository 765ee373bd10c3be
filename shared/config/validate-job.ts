/**
 * The one place a job definition is checked and resolved. `defineJob`, `@scheduled`/`jobsOf`,
 * `Worker`, `defineConfig` and the runtime's `insert`/`update` (through `resolveJob`) all come
 * here, so a mistake reads the same wherever it is made.
 *
 * Hand-written rather than zod: every message must follow one exact format
 * (`job "x": \`field\` must <what is valid>, got: <value>`), name the job, and carry
 * cross-field rules (retryMaxDelay ≥ retryDelay, uniquePeriod vs unique, unknown queue with the
 * list of valid ones, "did you mean") — a table of small checks says that more directly than
 * mapping zod issues back into it.
 */
import { parseDuration, formatMs } from '../duration.ts';
import { ConfigError, jobIssue, type ConfigIssue } from '../errors.ts';
import { compileSchedules } from '../schedule/compile.ts';
import type { CompiledSchedule, Every, JobHandler, JobHooks, OnError, ResolvedJob, RetryBackoff } from '../types.ts';
import { JOB_DEFAULTS, MAX_RETRIES_CAP, MAX_TIMEOUT_MS } from './job-defaults.ts';
import { JOB_NAME_RULE, isValidJobName } from './names.ts';
import { closestName } from './suggest.ts';

/** Every option a job definition may carry, in the order issues are reported. */
export const JOB_OPTION_NAMES = [
  'name',
  'handler',
  'cron',
  'every',
  'timezone',
  'queue',
  'timeout',
  'priority',
  'maxRetries',
  'retryDelay',
  'retryBackoff',
  'retryMaxDelay',
  'retryJitter',
  'unique',
  'uniquePeriod',
  'tags',
  'meta',
  'onError',
  'deadLetter',
  'global',
  'onStart',
  'onSuccess',
  'onFailure',
  'onCancel',
] as const;

const HOOK_NAMES = ['onStart', 'onSuccess', 'onFailure', 'onCancel'] as const;
const RETRY_BACKOFFS: readonly RetryBackoff[] = ['fixed', 'linear', 'exponential'];
const ON_ERRORS: readonly OnError[] = ['continue', 'stop', 'raise'];

const DURATION_HINT = "ms, or [n, unit] such as [5, 'minutes']";

/** What is valid, per field — exported so tests and docs quote the same words. */
export const JOB_RULES = {
  name: JOB_NAME_RULE,
  handler: 'be a function (ctx) => result',
  definition: 'be an object with at least `name` and `handler`',
  timeout: `be a duration above 0 and at most 15 minutes (Lambda's limit): ${DURATION_HINT}`,
  priority: 'be an integer from 0 to 9 (0 runs first)',
  maxRetries: `be an integer from 0 to ${MAX_RETRIES_CAP} (the kit's cap; dead-letter and retry by hand beyond that)`,
  retryDelay: `be a duration of 0 or more: ${DURATION_HINT}`,
  retryMaxDelay: `be a duration of 0 or more: ${DURATION_HINT}`,
  retryBackoff: `be one of ${RETRY_BACKOFFS.map((b) => `"${b}"`).join(', ')}`,
  retryJitter: 'be a number from 0 to 1 (a fraction of the delay)',
  uniquePeriod: `be a duration above 0: ${DURATION_HINT}`,
  uniquePeriodWithoutUnique: 'be left out when `unique` is false (a unique period implies `unique: true`)',
  tags: 'be an array of strings',
  meta: 'be a plain object',
  boolean: 'be true or false',
  onError: `be one of ${ON_ERRORS.map((o) => `"${o}"`).join(', ')}`,
  hook: 'be a function',
  queueName: 'be the name of a queue of the config (a string)',
} as const;

/** `be one of the config's queues: "default", "critical"` */
export function queueRule(queues: readonly string[]): string {
  return `be one of the config's queues: ${queues.map((q) => `"${q}"`).join(', ')}`;
}

/** `be at least \`retryDelay\` (5 s)` */
export function retryMaxDelayRule(retryDelayMs: number): string {
  return `be at least \`retryDelay\` (${formatMs(retryDelayMs)})`;
}

/** `be a known job option (did you mean \`maxRetries\`?)` or the list of options. */
export function unknownOptionRule(key: string, known: readonly string[] = JOB_OPTION_NAMES): string {
  const suggestion = closestName(key, known);
  return suggestion
    ? `be a known job option (did you mean \`${suggestion}\`?)`
    : `be a known job option (one of: ${known.join(', ')})`;
}

/** A resolved job before it is tied to a config (`origin` is set by the caller). */
export type ResolvedJobBody = Omit<ResolvedJob, 'origin'>;

export interface CheckJobOptions {
  /** The config's queue names; when absent (at `defineJob` time) only the type of `queue` is checked. */
  readonly queues?: readonly string[];
  /** How to call the job in messages when it has no usable name, e.g. `jobs[3]`. */
  readonly fallbackName?: string;
}

export type CheckJobResult =
  | { readonly ok: true; readonly job: ResolvedJobBody; readonly issues: readonly [] }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

/** Results of definitions already checked by `defineJob` (frozen, so they cannot change). */
const checkedDefinitions = new WeakMap<object, ResolvedJobBody>();

/** Marks a frozen definition as checked so later resolution skips the job-local work. */
export function rememberChecked(def: object, body: ResolvedJobBody): void {
  checkedDefinitions.set(def, body);
}

/** A label for messages: the name when it is a non-empty string, else the fallback. */
export function jobLabel(def: unknown, fallbackName = '(unnamed)'): string {
  const name = isPlainObject(def) ? def['name'] : undefined;
  return typeof name === 'string' && name !== '' ? name : fallbackName;
}

/**
 * Checks a job definition and resolves it with defaults. Never throws for user mistakes:
 * returns every issue found, so callers can merge issues of many jobs into one `ConfigError`.
 */
export function checkJob(def: unknown, opts: CheckJobOptions = {}): CheckJobResult {
  const label = jobLabel(def, opts.fallbackName);
  if (typeof def !== 'object' || def === null) {
    return { ok: false, issues: [jobIssue(label, 'definition', def, JOB_RULES.definition)] };
  }
  const known = checkedDefinitions.get(def);
  if (known) {
    const issues = checkQueueMembership(label, known.queue, opts.queues);
    return issues.length ? { ok: false, issues } : { ok: true, job: known, issues: [] };
  }
  const d = def as Record<string, unknown>;
  const issues: ConfigIssue[] = [];
  const add = (field: string, value: unknown, expected: string): void => {
    issues.push(jobIssue(label, field, value, expected));
  };
  const given = (key: string): boolean => d[key] !== undefined;

  if (!isValidJobName(d['name'])) add('name', d['name'], JOB_RULES.name);
  if (typeof d['handler'] !== 'function') add('handler', d['handler'], JOB_RULES.handler);

  // Schedules: the schedule compiler owns cron/every/timezone rules and their messages.
  let schedules: readonly CompiledSchedule[] = [];
  if (given('cron') || given('every') || given('timezone')) {
    try {
      schedules = compileSchedules(label, {
        cron: d['cron'] as string | readonly string[] | undefined,
        every: d['every'] as Every | undefined,
        timezone: d['timezone'] as string | undefined,
      });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.push(...error.issues);
    }
  }

  if (given('queue')) {
    if (typeof d['queue'] !== 'string') add('queue', d['queue'], opts.queues ? queueRule(opts.queues) : JOB_RULES.queueName);
    else issues.push(...checkQueueMembership(label, d['queue'], opts.queues));
  } else {
    issues.push(...checkQueueMembership(label, JOB_DEFAULTS.queue, opts.queues));
  }

  const timeoutMs = given('timeout') ? parseDuration(d['timeout']) : JOB_DEFAULTS.timeout;
  if (timeoutMs === undefined || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) add('timeout', d['timeout'], JOB_RULES.timeout);

  if (given('priority') && !isIntegerIn(d['priority'], 0, 9)) add('priority', d['priority'], JOB_RULES.priority);
  if (given('maxRetries') && !isIntegerIn(d['maxRetries'], 0, MAX_RETRIES_CAP)) add('maxRetries', d['maxRetries'], JOB_RULES.maxRetries);

  const retryDelayMs = given('retryDelay') ? parseDuration(d['retryDelay']) : JOB_DEFAULTS.retryDelay;
  const retryDelayOk = retryDelayMs !== undefined && retryDelayMs >= 0;
  if (!retryDelayOk) add('retryDelay', d['retryDelay'], JOB_RULES.retryDelay);

  if (given('retryBackoff') && !RETRY_BACKOFFS.includes(d['retryBackoff'] as RetryBackoff)) {
    add('retryBackoff', d['retryBackoff'], JOB_RULES.retryBackoff);
  }

  // Without an explicit cap, the default cap follows a longer retryDelay instead of contradicting it.
  let retryMaxDelayMs = Math.max(JOB_DEFAULTS.retryMaxDelay, retryDelayOk ? retryDelayMs : 0);
  if (given('retryMaxDelay')) {
    const ms = parseDuration(d['retryMaxDelay']);
    if (ms === undefined || ms < 0) add('retryMaxDelay', d['retryMaxDelay'], JOB_RULES.retryMaxDelay);
    else if (retryDelayOk && ms < retryDelayMs) add('retryMaxDelay', d['retryMaxDelay'], retryMaxDelayRule(retryDelayMs));
    else retryMaxDelayMs = ms;
  }

  if (given('retryJitter') && !isNumberIn(d['retryJitter'], 0, 1)) add('retryJitter', d['retryJitter'], JOB_RULES.retryJitter);

  for (const key of ['unique', 'deadLetter', 'global'] as const) {
    if (given(key) && typeof d[key] !== 'boolean') add(key, d[key], JOB_RULES.boolean);
  }

  let uniquePeriodMs: number | undefined;
  if (given('uniquePeriod')) {
    const ms = parseDuration(d['uniquePeriod']);
    if (ms === undefined || ms <= 0) add('uniquePeriod', d['uniquePeriod'], JOB_RULES.uniquePeriod);
    else if (d['unique'] === false) add('uniquePeriod', d['uniquePeriod'], JOB_RULES.uniquePeriodWithoutUnique);
    else uniquePeriodMs = ms;
  }

  if (given('tags') && !(Array.isArray(d['tags']) && d['tags'].every((t) => typeof t === 'string'))) add('tags', d['tags'], JOB_RULES.tags);
  if (given('meta') && !isPlainObject(d['meta'])) add('meta', d['meta'], JOB_RULES.meta);
  if (given('onError') && !ON_ERRORS.includes(d['onError'] as OnError)) add('onError', d['onError'], JOB_RULES.onError);
  for (const hook of HOOK_NAMES) {
    if (given(hook) && typeof d[hook] !== 'function') add(hook, d[hook], JOB_RULES.hook);
  }

  for (const key of Object.keys(d)) {
    if (!(JOB_OPTION_NAMES as readonly string[]).includes(key)) add(key, d[key], unknownOptionRule(key));
  }

  if (issues.length > 0) return { ok: false, issues };

  const hooks: { -readonly [K in keyof JobHooks]: JobHooks[K] } = {};
  for (const hook of HOOK_NAMES) if (given(hook)) hooks[hook] = d[hook] as never;
  const cron = d['cron'];
  const job: ResolvedJobBody = Object.freeze({
    name: d['name'] as string,
    queue: (d['queue'] as string | undefined) ?? JOB_DEFAULTS.queue,
    timezone: (d['timezone'] as string | undefined) ?? JOB_DEFAULTS.timezone,
    cron: Object.freeze(cron === undefined ? [] : typeof cron === 'string' ? [cron] : [...(cron as readonly string[])]),
    ...(given('every') ? { every: Object.freeze([...(d['every'] as Every)]) as unknown as Every } : {}),
    schedules: Object.freeze([...schedules]),
    timeoutMs: timeoutMs!,
    priority: (d['priority'] as number | undefined) ?? JOB_DEFAULTS.priority,
    maxRetries: (d['maxRetries'] as number | undefined) ?? JOB_DEFAULTS.maxRetries,
    retryDelayMs: retryDelayMs!,
    retryBackoff: (d['retryBackoff'] as RetryBackoff | undefined) ?? JOB_DEFAULTS.retryBackoff,
    retryMaxDelayMs,
    retryJitter: (d['retryJitter'] as number | undefined) ?? JOB_DEFAULTS.retryJitter,
    unique: (d['unique'] as boolean | undefined) ?? uniquePeriodMs !== undefined,
    ...(uniquePeriodMs === undefined ? {} : { uniquePeriodMs }),
    tags: Object.freeze([...((d['tags'] as readonly string[] | undefined) ?? JOB_DEFAULTS.tags)]),
    meta: Object.freeze({ ...((d['meta'] as Record<string, unknown> | undefined) ?? JOB_DEFAULTS.meta) }),
    onError: (d['onError'] as OnError | undefined) ?? JOB_DEFAULTS.onError,
    deadLetter: (d['deadLetter'] as boolean | undefined) ?? JOB_DEFAULTS.deadLetter,
    global: (d['global'] as boolean | undefined) ?? JOB_DEFAULTS.global,
    handler: d['handler'] as JobHandler<any>,
    hooks: Object.freeze(hooks),
  });
  return { ok: true, job, issues: [] };
}

function checkQueueMembership(label: string, queue: string, queues: readonly string[] | undefined): ConfigIssue[] {
  if (!queues || queues.includes(queue)) return [];
  return [jobIssue(label, 'queue', queue, queueRule(queues))];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isNumberIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}
