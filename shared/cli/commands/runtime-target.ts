/**
 * The flags every environment command shares — `--env`, `--config`, `--region`, `--endpoint`,
 * `--json` — and turning them into a loaded config plus a connected runtime client.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.ts';
import { ENV_NAME_RULE, isValidEnvName } from '../../naming.ts';
import type { ResolvedConfig, RuntimeClient } from '../../types.ts';
import { UsageError, flagIssue } from '../errors.ts';
import type { CliIo } from '../io.ts';
import { CDK_SETTINGS_KEY, cdkEnvironment, readCdkContext, type CdkContext } from './cdk-context.ts';
import type { CommandDeps, RuntimeTarget } from './deps.ts';

export interface TargetFlags {
  readonly env: string;
  readonly config?: string;
  readonly region?: string;
  readonly endpoint?: string;
  readonly json?: boolean;
}

const REGION_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** Adds the shared flags to `command`. `--env` is required (commander reports it, exit 2). */
export function addTargetOptions(command: Command, opts: { json?: boolean } = {}): Command {
  command
    .requiredOption('-e, --env <env>', 'environment to drive (lowercase letters/digits, e.g. dev, prod)')
    .option('-c, --config <file>', 'config file (default: the environment\'s configFile in cdk.json)')
    .option('--region <region>', 'AWS region (default: the environment\'s region in cdk.json, else AWS_REGION / your profile)')
    .option('--endpoint <url>', 'AWS endpoint URL, e.g. an emulator (default: AWS_ENDPOINT_URL)');
  if (opts.json !== false) command.option('--json', 'print JSON instead of a table');
  return command;
}

/** The checked target and which config file to load. Pure checks: nothing is loaded yet. */
export interface ParsedTarget {
  readonly target: RuntimeTarget;
  readonly configPath: string;
}

/**
 * Checks `--env`, `--region` and `--endpoint` and finds the config file (`--config`, else
 * the environment's `configFile` in cdk.json). The region defaults to the environment's in
 * cdk.json. Throws `UsageError` naming the flag and what is valid.
 *
 * @example
 * parseTarget({ env: 'dev', config: 'scheduler.config.ts' }, io, deps);
 * // { target: { env: 'dev' }, configPath: 'scheduler.config.ts' }
 */
export function parseTarget(flags: TargetFlags, io: CliIo, deps: CommandDeps): ParsedTarget {
  const cdk = readCdkContext(deps.cwd);
  const env = parseEnvFlag(flags.env, cdk);
  const fromCdk = cdk ? cdkEnvironment(cdk, env) : {};
  // The region the environment is deployed to, unless the command line says otherwise.
  const region = flags.region !== undefined ? parseRegionFlag(flags.region) : fromCdk.region;
  const endpoint = parseEndpoint(flags.endpoint, io);
  const configPath = flags.config ?? fromCdk.configPath;
  if (configPath === undefined) {
    throw new UsageError(
      cdk
        ? `\`--config <file>\` is required: ${cdk.file} names no config file (context "${CDK_SETTINGS_KEY}": { "configFile": "scheduler.config.ts" })`
        : `\`--config <file>\` is required: there is no cdk.json in ${deps.cwd} naming the config file`,
    );
  }
  return {
    target: { env, ...(region !== undefined ? { region } : {}), ...(endpoint !== undefined ? { endpoint } : {}) },
    configPath,
  };
}

/**
 * `--env`: follows `ENV_NAME_RULE` and, when cdk.json lists environments, is one of them.
 *
 * @example
 * parseEnvFlag('dev', readCdkContext(process.cwd())); // 'dev'
 */
export function parseEnvFlag(env: string, cdk: CdkContext | undefined): string {
  if (!isValidEnvName(env)) throw flagIssue('--env', env, ENV_NAME_RULE);
  if (cdk?.envs && !cdk.envs.includes(env)) {
    const listed = cdk.envs.map((e) => `"${e}"`).join(', ') || '(none defined)';
    throw flagIssue('--env', env, `be one of the environments cdk.json defines (context "${CDK_SETTINGS_KEY}.environments"): ${listed}`);
  }
  return env;
}

/**
 * `--region`: an AWS region name.
 *
 * @example
 * parseRegionFlag('eu-west-3'); // 'eu-west-3'
 */
export function parseRegionFlag(region: string): string {
  if (!REGION_PATTERN.test(region)) throw flagIssue('--region', region, 'be an AWS region such as "us-east-1" or "eu-west-3"');
  return region;
}

/** `--endpoint`, else `AWS_ENDPOINT_URL`: an http(s) URL, or undefined for AWS itself. */
export function parseEndpoint(flag: string | undefined, io: CliIo): string | undefined {
  const endpoint = flag ?? nonEmpty(io.env['AWS_ENDPOINT_URL']);
  if (endpoint !== undefined && !isHttpUrl(endpoint)) {
    throw flagIssue(flag !== undefined ? '--endpoint' : 'AWS_ENDPOINT_URL', endpoint, 'be an http(s) URL such as "http://localhost:4566"');
  }
  return endpoint;
}

export interface ConnectedTarget {
  readonly config: ResolvedConfig;
  readonly client: RuntimeClient;
  readonly target: RuntimeTarget;
}

/**
 * Loads the config and builds the client for it.
 *
 * @example
 * const { client } = await connect(parseTarget(flags, io, deps), deps);
 * await client.status('daily_report');
 */
export async function connect(parsed: ParsedTarget, deps: CommandDeps): Promise<ConnectedTarget> {
  const config = await loadConfig(parsed.configPath);
  const client = await deps.clientFactory(config, parsed.target);
  return { config, client, target: parsed.target };
}

/**
 * `--queue` must be one of the config's queues.
 *
 * @example
 * parseQueueFlag('--queue', 'exports', config); // 'exports'
 */
export function parseQueueFlag(flag: string, value: string, config: ResolvedConfig): string {
  const queues = Object.keys(config.queues);
  if (!queues.includes(value)) throw flagIssue(flag, value, `be one of the config's queues: ${queues.map((q) => `"${q}"`).join(', ')}`);
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
