/**
 * `omsched deploy --env E [--config FILE] [--region R] [--endpoint URL] [--dry-run] [-- extra cdk args]`:
 * `npx cdk deploy --all -c env=E --require-approval never`, run in the working directory, with
 * cdk's output shown and its exit code passed on.
 */
import type { Command } from 'commander';
import type { CliIo } from '../io.ts';
import { readCdkContext } from './cdk-context.ts';
import { ExitRequest, type CommandDeps } from './deps.ts';
import { parseEndpoint, parseEnvFlag, parseRegionFlag } from './runtime-target.ts';

interface DeployFlags {
  readonly env: string;
  readonly config?: string;
  readonly region?: string;
  readonly endpoint?: string;
  readonly dryRun?: boolean;
}

/** The command `deploy` runs and the environment variables it adds. */
export interface DeployCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** Set on top of the caller's environment: AWS_REGION, AWS_ENDPOINT_URL. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The cdk invocation for an environment. `config` becomes `-c configFile=FILE` (the override the
 * CDK app reads, infra/build-app.ts); extra arguments go last.
 *
 * @example
 * deployCommand({ env: 'dev' });
 * // { command: 'npx', args: ['cdk', 'deploy', '--all', '-c', 'env=dev', '--require-approval', 'never'], env: {} }
 */
export function deployCommand(opts: { env: string; config?: string; region?: string; endpoint?: string; extraArgs?: readonly string[] }): DeployCommand {
  return {
    command: 'npx',
    args: [
      'cdk',
      'deploy',
      '--all',
      '-c',
      `env=${opts.env}`,
      ...(opts.config !== undefined ? ['-c', `configFile=${opts.config}`] : []),
      '--require-approval',
      'never',
      ...(opts.extraArgs ?? []),
    ],
    env: {
      ...(opts.region !== undefined ? { AWS_REGION: opts.region } : {}),
      ...(opts.endpoint !== undefined ? { AWS_ENDPOINT_URL: opts.endpoint } : {}),
    },
  };
}

/**
 * The command as a shell line: `AWS_REGION=eu-west-3 npx cdk deploy ...`, quoting what needs it.
 *
 * @example
 * shellLine(deployCommand({ env: 'dev' })); // 'npx cdk deploy --all -c env=dev --require-approval never'
 */
export function shellLine(c: DeployCommand): string {
  const vars = Object.entries(c.env).map(([k, v]) => `${k}=${shellQuote(v)}`);
  return [...vars, c.command, ...c.args.map(shellQuote)].join(' ');
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Adds `deploy` to the program. */
export function registerDeployCommand(program: Command, io: CliIo, deps: CommandDeps): void {
  program
    .command('deploy')
    .description('deploy an environment: npx cdk deploy --all -c env=ENV --require-approval never')
    .argument('[cdk-args...]', 'extra cdk arguments, after --')
    .requiredOption('-e, --env <env>', 'environment to deploy (lowercase letters/digits, e.g. dev, prod)')
    .option('-c, --config <file>', 'config file, passed to the CDK app as -c configFile=FILE (default: cdk.json settings)')
    .option('--region <region>', 'AWS region (sets AWS_REGION for cdk)')
    .option('--endpoint <url>', 'AWS endpoint URL, e.g. an emulator (sets AWS_ENDPOINT_URL for cdk)')
    .option('--dry-run', 'print the cdk command instead of running it')
    .action(async (extraArgs: string[], flags: DeployFlags) => {
      const cdk = readCdkContext(deps.cwd);
      const env = parseEnvFlag(flags.env, cdk);
      const region = flags.region === undefined ? undefined : parseRegionFlag(flags.region);
      // Only an explicit --endpoint is added: cdk reads AWS_ENDPOINT_URL from the environment itself.
      const endpoint = flags.endpoint === undefined ? undefined : parseEndpoint(flags.endpoint, io);
      const command = deployCommand({
        env,
        ...(flags.config !== undefined ? { config: flags.config } : {}),
        ...(region !== undefined ? { region } : {}),
        ...(endpoint !== undefined ? { endpoint } : {}),
        extraArgs,
      });
      if (flags.dryRun) {
        io.stdout(`${shellLine(command)}\n`);
        return;
      }
      const code = await deps.spawn(command.command, command.args, { env: { ...io.env, ...command.env }, cwd: deps.cwd });
      if (code !== 0) throw new ExitRequest(code);
    });
}
