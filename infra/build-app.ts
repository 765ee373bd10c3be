/**
 * Builds the CDK app the way `cdk synth -c env=<name>` does: reads the environment settings from
 * the context, loads the config module, builds the stacks and attaches cdk-nag.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig } from '../shared/config/load-config.ts';
import { createOmSchedulerStacks, type OmSchedulerStacks } from './om-scheduler-stacks.ts';
import { resolveEnvironmentSettings, SETTINGS_CONTEXT_KEY, type EnvironmentSettings } from './settings.ts';

export interface BuildAppOptions {
  /** @default a new App (context from cdk.json when run by the CDK CLI) */
  readonly app?: App;
  /** @default the `env` context value (`-c env=dev`) */
  readonly env?: string;
  /** Config module to deploy. @default the `configFile` context value, else the environment's setting */
  readonly configFile?: string;
  /** @default true */
  readonly bundle?: boolean;
  /** Attach cdk-nag's AwsSolutions checks. @default true */
  readonly nag?: boolean;
  /** @default 450 */
  readonly maxResourcesPerStack?: number;
}

/**
 * @example
 * const { app } = await buildApp({ env: 'dev' });
 * app.synth();
 */
export async function buildApp(
  opts: BuildAppOptions = {},
): Promise<{ app: App; stacks: OmSchedulerStacks; settings: EnvironmentSettings; env: string }> {
  const app = opts.app ?? new App();
  const env = opts.env ?? (app.node.tryGetContext('env') as string | undefined);
  const configOverride = opts.configFile ?? (app.node.tryGetContext('configFile') as string | undefined);
  const settings = resolveEnvironmentSettings(app.node.tryGetContext(SETTINGS_CONTEXT_KEY), env, {
    ...(configOverride ? { configFile: configOverride } : {}),
  });
  const config = await loadConfig(settings.configFile);
  const stacks = createOmSchedulerStacks(app, {
    config,
    configPath: settings.configFile,
    env: settings.name,
    settings,
    ...(opts.bundle === undefined ? {} : { bundle: opts.bundle }),
    ...(opts.maxResourcesPerStack === undefined ? {} : { maxResourcesPerStack: opts.maxResourcesPerStack }),
  });
  if (opts.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stacks, settings, env: settings.name };
}
