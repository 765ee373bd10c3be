/**
 * What the environment commands (`status`, `history`, `dlq`, `run-now`, `pause`, `resume`,
 * `deploy`) take from outside: the runtime client, the working directory and a process
 * spawner — injected so tests run every command against the local runtime, in-process.
 */
import type { ResolvedConfig, RuntimeClient } from '../../types.ts';
import { awsClientFactory } from './aws-client-factory.ts';
import { spawnInherited } from './spawn-inherited.ts';

/** Which deployed environment a command drives. */
export interface RuntimeTarget {
  /** Environment name (`ENV_NAME_RULE`), e.g. `dev`. */
  readonly env: string;
  /** AWS region. @default the SDK's (AWS_REGION, profile) */
  readonly region?: string;
  /** Endpoint URL of an emulator. @default AWS_ENDPOINT_URL, else AWS itself */
  readonly endpoint?: string;
}

/**
 * Builds the runtime client for a config and a target — `createClient` from
 * `functions/client` by default; `() => localRuntime` in tests.
 *
 * @example
 * const clientFactory: ClientFactory = (config) => createLocalRuntime(config, { clock: virtualClock() });
 */
export type ClientFactory = (config: ResolvedConfig, target: RuntimeTarget) => RuntimeClient | Promise<RuntimeClient>;

/** Runs a command with inherited stdio and resolves to its exit code. */
export type Spawner = (command: string, args: readonly string[], opts: { readonly env: Readonly<Record<string, string | undefined>>; readonly cwd: string }) => Promise<number>;

export interface CommandDeps {
  /** @default awsClientFactory (lazily imports functions/client, so `plan` never loads the AWS SDK) */
  readonly clientFactory: ClientFactory;
  /** Where `cdk.json` is looked for and `deploy` runs. @default process.cwd() */
  readonly cwd: string;
  /** How `deploy` runs `npx cdk`. @default spawnInherited */
  readonly spawn: Spawner;
}

/**
 * The real dependencies, with any of them replaced.
 *
 * @example
 * buildProgram(io, commandDeps({ clientFactory: () => rt }));
 */
export function commandDeps(overrides: Partial<CommandDeps> = {}): CommandDeps {
  return {
    clientFactory: overrides.clientFactory ?? awsClientFactory(),
    cwd: overrides.cwd ?? process.cwd(),
    spawn: overrides.spawn ?? spawnInherited,
  };
}

/**
 * Ends the CLI with `exitCode` and nothing printed — e.g. `deploy` passing on cdk's exit code
 * (cdk already printed why). `main` returns the code.
 */
export class ExitRequest extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'ExitRequest';
    this.exitCode = exitCode;
  }
}
