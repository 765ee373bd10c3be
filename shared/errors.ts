/**
 * One error hierarchy for the whole kit. Every error has a stable `code`; configuration
 * errors carry the job (or queue), the field, the value received and what would be valid.
 */
export class OmSchedulerError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Where a configuration problem sits: a job, a queue, a workflow or the config itself. */
export type ConfigSubject =
  | { readonly kind: 'job'; readonly name: string }
  | { readonly kind: 'queue'; readonly name: string }
  | { readonly kind: 'workflow'; readonly name: string }
  | { readonly kind: 'config' };

export interface ConfigIssue {
  readonly subject: ConfigSubject;
  /** Field path as the user wrote it, e.g. `cron`, `retryJitter`, `queues.imports`. */
  readonly field: string;
  /** The value received, as given. */
  readonly value: unknown;
  /** What is valid, phrased to follow "must": e.g. `be an integer from 0 to 9`. */
  readonly expected: string;
}

/** Renders a value for a message: strings quoted, functions/undefined named, objects as JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function describeSubject(subject: ConfigSubject): string {
  switch (subject.kind) {
    case 'job':
      return `job "${subject.name}"`;
    case 'queue':
      return `queue "${subject.name}"`;
    case 'workflow':
      return `workflow "${subject.name}"`;
    case 'config':
      return 'config';
  }
}

/** `job "daily_report": \`priority\` must be an integer from 0 to 9, got: 12` */
export function formatIssue(issue: ConfigIssue): string {
  return `${describeSubject(issue.subject)}: \`${issue.field}\` must ${issue.expected}, got: ${formatValue(issue.value)}`;
}

/**
 * A definition the kit cannot accept. Thrown at definition/plan/synth time, before anything
 * is created. `issues` lists every problem found; the message lists them one per line.
 */
export class ConfigError extends OmSchedulerError {
  readonly issues: readonly ConfigIssue[];
  constructor(issues: ConfigIssue | readonly ConfigIssue[]) {
    const list = Array.isArray(issues) ? (issues as readonly ConfigIssue[]) : [issues as ConfigIssue];
    super('CONFIG_INVALID', list.map(formatIssue).join('\n'));
    this.issues = list;
  }
  /** The first issue's subject name, for convenience. */
  get jobName(): string | undefined {
    const s = this.issues[0]?.subject;
    return s && s.kind === 'job' ? s.name : undefined;
  }
  get field(): string | undefined {
    return this.issues[0]?.field;
  }
}

/** Shorthand for a single job issue. */
export function jobIssue(job: string, field: string, value: unknown, expected: string): ConfigIssue {
  return { subject: { kind: 'job', name: job }, field, value, expected };
}

/** A runtime call named something that does not exist (job, queue, dead-letter entry, run). */
export class NotFoundError extends OmSchedulerError {
  constructor(what: string, name: string, hint?: string) {
    super('NOT_FOUND', `${what} "${name}" not found${hint ? `: ${hint}` : ''}`);
  }
}

/** A runtime call that conflicts with current state (e.g. inserting a job that exists). */
export class ConflictError extends OmSchedulerError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}

/** Raised inside a run when its timeout elapses; the handler's abort signal fires with it. */
export class JobTimeoutError extends OmSchedulerError {
  constructor(job: string, timeoutMs: number) {
    super('JOB_TIMEOUT', `job "${job}" timed out after ${timeoutMs} ms`);
  }
}

/** The failure a handler reports with `fail(reason)` (or a non-Error value it throws). */
export class JobFailedError extends OmSchedulerError {
  constructor(message: string) {
    super('JOB_FAILED', message);
  }
}

/** Abort reason when a run is cancelled through the client. */
export class JobCancelledError extends OmSchedulerError {
  readonly reason: string;
  constructor(job: string, reason: string) {
    super('JOB_CANCELLED', `job "${job}" cancelled: ${reason}`);
    this.reason = reason;
  }
}

/** A queue message that cannot be parsed or names a job that is not deployed. */
export class InvalidMessageError extends OmSchedulerError {
  constructor(message: string) {
    super('INVALID_MESSAGE', message);
  }
}
