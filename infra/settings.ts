/**
 * Per-environment deploy settings, read from the `om-scheduler` key of the `cdk.json` context.
 * Everything a user can get wrong here fails synth with one line naming the environment and the
 * field, never with a stack trace.
 */
import { ConfigError, OmSchedulerError, type ConfigIssue } from '../shared/errors.ts';
import { ENV_NAME_RULE, isValidEnvName } from '../shared/naming.ts';

/** The context key in `cdk.json` that holds the settings. */
export const SETTINGS_CONTEXT_KEY = 'om-scheduler';

/** The config file the CDK app loads when neither the settings nor `-c configFile=` name one. */
export const DEFAULT_CONFIG_FILE = 'examples/app/scheduler.config.ts';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
export const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export interface AlarmThresholds {
  /** Alarm when a queue's oldest message is older than this (seconds). @default 900 */
  readonly oldestMessageAgeSeconds: number;
  /** Alarm when a worker reports at least this many invocation errors in 5 minutes. @default 1 */
  readonly workerErrors: number;
  /** Alarm when a worker is throttled at least this many times in 5 minutes. @default 1 */
  readonly throttles: number;
}

/** The resolved settings of one environment. */
export interface EnvironmentSettings {
  /** The environment's name (`-c env=`, else `defaultEnvironment`). */
  readonly name: string;
  /** AWS account. @default `CDK_DEFAULT_ACCOUNT`, else environment-agnostic */
  readonly account?: string;
  /** AWS region. @default `CDK_DEFAULT_REGION`, else 'us-east-1' */
  readonly region: string;
  /** Config module the app deploys (relative to the working directory). @default {@link DEFAULT_CONFIG_FILE} */
  readonly configFile: string;
  /** Per-queue concurrency that replaces the config's value in this environment. @default {} */
  readonly queueConcurrency: Readonly<Record<string, number>>;
  /**
   * Set each worker's reserved concurrency to its queue concurrency. New AWS accounts (a
   * concurrency quota of 10) cannot reserve any; turn it off there. @default true
   */
  readonly reserveConcurrency: boolean;
  readonly alarms: AlarmThresholds;
  /** Subscribe this address to a new alarm topic (`names.alarmTopic`). @default none */
  readonly alarmEmail?: string;
  /** Send alarms to this existing SNS topic instead. @default none (alarms have no action) */
  readonly alarmTopicArn?: string;
  /** History items expire after this many days (DynamoDB TTL). @default 30 */
  readonly historyTtlDays: number;
  /** Worker log retention; one of {@link LOG_RETENTION_DAYS}. @default 30 */
  readonly logRetentionDays: number;
  /** @default 'INFO' */
  readonly logLevel: LogLevel;
  /** Keep the table, queues and logs when the stack is deleted (deletion protection on). @default true */
  readonly retainData: boolean;
}

/** Defaults of every optional setting (`region` and `account` come from the CDK environment). */
export const DEFAULT_SETTINGS = Object.freeze({
  configFile: DEFAULT_CONFIG_FILE,
  queueConcurrency: Object.freeze({}) as Readonly<Record<string, number>>,
  reserveConcurrency: true,
  alarms: Object.freeze({ oldestMessageAgeSeconds: 900, workerErrors: 1, throttles: 1 }),
  historyTtlDays: 30,
  logRetentionDays: 30,
  logLevel: 'INFO' as LogLevel,
  retainData: true,
});

const ENV_KEYS = [
  'account',
  'region',
  'configFile',
  'queueConcurrency',
  'reserveConcurrency',
  'alarms',
  'alarmEmail',
  'alarmTopicArn',
  'historyTtlDays',
  'logRetentionDays',
  'logLevel',
  'retainData',
] as const;
const ALARM_KEYS = ['oldestMessageAgeSeconds', 'workerErrors', 'throttles'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The environment names a context defines, in the order written. */
export function environmentNames(context: unknown): string[] {
  const environments = isObject(context) ? context['environments'] : undefined;
  return isObject(environments) ? Object.keys(environments) : [];
}

/**
 * Picks and checks the settings of environment `env` from the `om-scheduler` context value
 * (`{ configFile?, defaultEnvironment?, defaults?, environments: { [env]: {...} } }`); an environment's fields
 * override `defaults`, which override {@link DEFAULT_SETTINGS}. `overrides` (e.g. `-c configFile=`)
 * win over both. Without `env`, `defaultEnvironment` is used when set.
 *
 * @example
 * const settings = resolveEnvironmentSettings(
 *   { environments: { dev: { region: 'eu-west-1', logLevel: 'DEBUG' } } },
 *   'dev',
 * );
 * settings.logLevel; // 'DEBUG'
 */
export function resolveEnvironmentSettings(
  context: unknown,
  env: unknown,
  overrides: { readonly configFile?: string } = {},
): EnvironmentSettings {
  const known = environmentNames(context);
  const listed = known.length ? known.map((n) => `"${n}"`).join(', ') : 'none defined';
  if ((env === undefined || env === '') && isObject(context) && typeof context['defaultEnvironment'] === 'string') {
    // `cdk bootstrap` and `cdk list` run the app without `-c env=`: they get the default.
    env = context['defaultEnvironment'];
  }
  if (env === undefined || env === '') {
    throw new OmSchedulerError(
      'ENV_MISSING',
      `no environment selected: pass -c env=<name> (environments in cdk.json: ${listed})`,
    );
  }
  if (!isValidEnvName(env)) {
    throw new OmSchedulerError('ENV_INVALID', `environment name must ${ENV_NAME_RULE}, got: ${JSON.stringify(env)}`);
  }
  const environments = (context as { environments: Record<string, unknown> } | undefined)?.environments;
  const raw = known.includes(env) ? environments![env] : undefined;
  if (!isObject(raw)) {
    throw new OmSchedulerError(
      'ENV_UNKNOWN',
      `unknown environment "${env}": cdk.json context "${SETTINGS_CONTEXT_KEY}.environments" defines ${listed}`,
    );
  }
  const ctx = context as Record<string, unknown>;
  const defaults = isObject(ctx['defaults']) ? ctx['defaults'] : {};
  const merged: Record<string, unknown> = {
    ...(typeof ctx['configFile'] === 'string' ? { configFile: ctx['configFile'] } : {}),
    ...defaults,
    ...raw,
    alarms: { ...(isObject(defaults['alarms']) ? defaults['alarms'] : {}), ...(isObject(raw['alarms']) ? raw['alarms'] : {}) },
    ...(overrides.configFile ? { configFile: overrides.configFile } : {}),
  };
  return checkSettings(env, merged);
}

function checkSettings(env: string, s: Record<string, unknown>): EnvironmentSettings {
  const issues: ConfigIssue[] = [];
  const subject = { kind: 'config' } as const;
  const field = (name: string): string => `${SETTINGS_CONTEXT_KEY}.environments.${env}.${name}`;
  const bad = (name: string, value: unknown, expected: string): void => {
    issues.push({ subject, field: field(name), value, expected });
  };
  for (const key of Object.keys(s)) {
    if (!(ENV_KEYS as readonly string[]).includes(key)) bad(key, s[key], `be a known setting (one of: ${ENV_KEYS.join(', ')})`);
  }
  const optionalString = (name: string): string | undefined => {
    const v = s[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || v.length === 0) bad(name, v, 'be a non-empty string');
    return typeof v === 'string' && v.length > 0 ? v : undefined;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const v = s[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') bad(name, v, 'be true or false');
    return v === true;
  };
  const int = (name: string, v: unknown, fallback: number, min: number, max: number): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      bad(name, v, `be an integer from ${min} to ${max}`);
      return fallback;
    }
    return v;
  };

  const account = optionalString('account');
  if (account !== undefined && !/^\d{12}$/.test(account)) bad('account', account, 'be a 12-digit AWS account id');
  const region = optionalString('region');
  const configFile = optionalString('configFile') ?? DEFAULT_SETTINGS.configFile;
  const alarmEmail = optionalString('alarmEmail');
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(alarmEmail)) bad('alarmEmail', alarmEmail, 'be an e-mail address');
  const alarmTopicArn = optionalString('alarmTopicArn');
  if (alarmTopicArn !== undefined && !alarmTopicArn.startsWith('arn:')) bad('alarmTopicArn', alarmTopicArn, 'be an SNS topic ARN');

  const queueConcurrency: Record<string, number> = {};
  const qc = s['queueConcurrency'];
  if (qc !== undefined) {
    if (!isObject(qc)) bad('queueConcurrency', qc, 'be an object mapping queue names to concurrency, e.g. { "default": 2 }');
    else for (const [q, n] of Object.entries(qc)) queueConcurrency[q] = int(`queueConcurrency.${q}`, n, 1, 1, 1000);
  }

  const alarmsRaw = isObject(s['alarms']) ? s['alarms'] : {};
  for (const key of Object.keys(alarmsRaw)) {
    if (!(ALARM_KEYS as readonly string[]).includes(key)) bad(`alarms.${key}`, alarmsRaw[key], `be a known alarm threshold (one of: ${ALARM_KEYS.join(', ')})`);
  }
  const d = DEFAULT_SETTINGS.alarms;
  const alarms: AlarmThresholds = {
    oldestMessageAgeSeconds: int('alarms.oldestMessageAgeSeconds', alarmsRaw['oldestMessageAgeSeconds'], d.oldestMessageAgeSeconds, 60, 1_209_600),
    workerErrors: int('alarms.workerErrors', alarmsRaw['workerErrors'], d.workerErrors, 1, 1_000_000),
    throttles: int('alarms.throttles', alarmsRaw['throttles'], d.throttles, 1, 1_000_000),
  };

  const logRetentionDays = int('logRetentionDays', s['logRetentionDays'], DEFAULT_SETTINGS.logRetentionDays, 1, 3653);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    bad('logRetentionDays', logRetentionDays, `be one of the CloudWatch Logs retention periods: ${LOG_RETENTION_DAYS.join(', ')}`);
  }
  const logLevel = s['logLevel'] ?? DEFAULT_SETTINGS.logLevel;
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) bad('logLevel', logLevel, `be one of ${LOG_LEVELS.join(', ')}`);

  const settings: EnvironmentSettings = {
    name: env,
    ...(account ?? process.env['CDK_DEFAULT_ACCOUNT'] ? { account: account ?? process.env['CDK_DEFAULT_ACCOUNT'] } : {}),
    region: region ?? process.env['CDK_DEFAULT_REGION'] ?? 'us-east-1',
    configFile,
    queueConcurrency,
    reserveConcurrency: bool('reserveConcurrency', DEFAULT_SETTINGS.reserveConcurrency),
    alarms,
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(alarmTopicArn ? { alarmTopicArn } : {}),
    historyTtlDays: int('historyTtlDays', s['historyTtlDays'], DEFAULT_SETTINGS.historyTtlDays, 1, 3650),
    logRetentionDays,
    logLevel: logLevel as LogLevel,
    retainData: bool('retainData', DEFAULT_SETTINGS.retainData),
  };
  if (issues.length) throw new ConfigError(issues.length === 1 ? issues[0]! : issues);
  return settings;
}
