/**
 * The bits of `cdk.json` the CLI reads — the `om-scheduler` context value the CDK app deploys
 * from (`{ configFile?, defaults?, environments: { [env]: { configFile?, region?, ... } } }`,
 * see infra/settings.ts) — so `omsched status --env dev` needs no `--config` in a project
 * whose CDK app already names its config file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { OmSchedulerError } from '../../errors.ts';

/** The `cdk.json` context key holding the settings (the same as infra's SETTINGS_CONTEXT_KEY). */
export const CDK_SETTINGS_KEY = 'om-scheduler';

export interface CdkContext {
  /** Absolute path of the cdk.json read. */
  readonly file: string;
  /** Environment names `environments` defines, when it defines any. */
  readonly envs?: readonly string[];
  /** Raw settings: `configFile`, `defaults`, `environments`. */
  readonly settings: Readonly<Record<string, unknown>>;
}

/** What an environment's settings say about where it is and what it runs. */
export interface CdkEnvironment {
  /** The config file, resolved against cdk.json's directory (environment, else defaults, else top level). */
  readonly configPath?: string;
  /** The environment's region (environment, else defaults). */
  readonly region?: string;
}

/**
 * Reads `cdk.json` in `cwd`: undefined when there is none; a one-line `CDK_JSON_INVALID` error
 * when it is not a JSON object.
 *
 * @example
 * // cdk.json: { "context": { "om-scheduler": { "configFile": "scheduler.config.ts", "environments": { "dev": {} } } } }
 * readCdkContext(process.cwd())?.envs; // ['dev']
 */
export function readCdkContext(cwd: string): CdkContext | undefined {
  const file = join(resolve(cwd), 'cdk.json');
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new OmSchedulerError('CDK_JSON_INVALID', `${file} is not valid JSON: ${message}`);
  }
  if (!isRecord(parsed)) throw new OmSchedulerError('CDK_JSON_INVALID', `${file} must hold a JSON object`);
  const context = isRecord(parsed['context']) ? parsed['context'] : {};
  const settings = isRecord(context[CDK_SETTINGS_KEY]) ? context[CDK_SETTINGS_KEY] : {};
  const environments = settings['environments'];
  return { file, settings, ...(isRecord(environments) ? { envs: Object.keys(environments) } : {}) };
}

/**
 * The config file and region cdk.json gives environment `env`, in the CDK app's precedence:
 * the environment's own value, else `defaults`, else (config file only) the top level.
 *
 * @example
 * cdkEnvironment(readCdkContext(process.cwd())!, 'dev');
 * // { configPath: '/repo/examples/app/scheduler.config.ts', region: 'us-east-1' }
 */
export function cdkEnvironment(context: CdkContext, env: string): CdkEnvironment {
  const s = context.settings;
  const defaults = isRecord(s['defaults']) ? s['defaults'] : {};
  const environments = isRecord(s['environments']) ? s['environments'] : {};
  const own = isRecord(environments[env]) ? environments[env] : {};
  const configFile = [own['configFile'], defaults['configFile'], s['configFile']].find(isNonEmptyString);
  const region = [own['region'], defaults['region']].find(isNonEmptyString);
  return {
    ...(configFile !== undefined ? { configPath: resolve(dirname(context.file), configFile) } : {}),
    ...(region !== undefined ? { region } : {}),
  };
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
