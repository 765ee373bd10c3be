/**
 * Naming rules for the names that end up inside AWS resource names: the app (a prefix of every
 * resource), queues (SQS queue + Lambda function names) and jobs (EventBridge Scheduler schedule
 * names). Each rule is stricter than the AWS limit so that prefixes and suffixes always fit.
 *
 * - **Job names** — EventBridge Scheduler accepts schedule names matching `^[0-9a-zA-Z-_.]+$`,
 *   1..64 characters (API_CreateSchedule `Name`). A job becomes one schedule per compiled
 *   expression; a cron that splits (day-of-month + day-of-week) gets a `-2`, `-3`, … suffix, so
 *   4 characters are kept for `-NNN`: a job name is a letter followed by letters, digits, `_` or `-`,
 *   at most 60 characters. `.` is left out because job names also appear in metric dimensions,
 *   DynamoDB keys and run ids (`job@time`) where a dot reads as a path separator.
 * - **App name** — prefixes stacks, queues, functions, tables (`<app>-<env>-<queue>-worker`):
 *   lowercase letters, digits and `-`, starting with a letter, not ending with `-`, at most 20
 *   characters (lowercase because S3/CloudFormation-derived names are case-sensitive or lowercase-only).
 * - **Queue names** — SQS allows 80 characters of `[A-Za-z0-9_-]` and Lambda function names 64;
 *   with `<app(20)>-<env(10)>-<queue>-worker` the queue part gets at most 24 characters:
 *   a letter, then letters, digits, `_` or `-`.
 *
 * @example
 * isValidJobName('daily_report'); // true
 * isValidJobName('2fast');        // false: must start with a letter
 */
export const JOB_NAME_MAX_LENGTH = 60;
export const JOB_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;
export const JOB_NAME_RULE =
  `be 1 to ${JOB_NAME_MAX_LENGTH} characters: a letter, then letters, digits, "_" or "-" ` +
  `(it names EventBridge Scheduler schedules: 64 characters at most, 4 kept for a "-N" suffix)`;

export const APP_NAME_MAX_LENGTH = 20;
export const APP_NAME_PATTERN = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;
export const APP_NAME_RULE =
  `be 1 to ${APP_NAME_MAX_LENGTH} characters: lowercase letters, digits or "-", starting with a letter ` +
  `and not ending with "-" (it prefixes every AWS resource name)`;

export const QUEUE_NAME_MAX_LENGTH = 24;
export const QUEUE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;
export const QUEUE_NAME_RULE =
  `be 1 to ${QUEUE_NAME_MAX_LENGTH} characters: a letter, then letters, digits, "_" or "-" ` +
  `(it names an SQS queue and a Lambda function after the app and environment prefixes)`;

export function isValidJobName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= JOB_NAME_MAX_LENGTH && JOB_NAME_PATTERN.test(name);
}

export function isValidAppName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= APP_NAME_MAX_LENGTH && APP_NAME_PATTERN.test(name);
}

export function isValidQueueName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= QUEUE_NAME_MAX_LENGTH && QUEUE_NAME_PATTERN.test(name);
}

/**
 * `ExportWorker` -> `export_worker`, `cleanupSessions` -> `cleanup_sessions`,
 * `HTTPImport` -> `http_import`. The default job name of Worker classes and `@scheduled` methods.
 *
 * @example
 * snakeCase('ExportWorker'); // 'export_worker'
 */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}
