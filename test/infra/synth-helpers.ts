/**
 * Synthesizes the example app in-process for the infra tests, the way `cdk synth -c env=<name>`
 * does (same cdk.json context), with or without bundling the workers.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll } from 'vitest';
import { buildApp, type BuildAppOptions } from '../../infra/build-app.ts';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const EXAMPLE_CONFIG = join(REPO_ROOT, 'examples/app/scheduler.config.ts');
export const MANY_JOBS_CONFIG = join(REPO_ROOT, 'test/fixtures/configs/many-jobs.ts');

/** The `context` of the repository's cdk.json. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')).context;
}

const outDirs: string[] = [];
// Registered on the root suite of every test file that imports this module.
afterAll(() => {
  for (const dir of outDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh App with the cdk.json context, writing into its own temp directory (removed after the test file). */
export function newApp(extraContext: Record<string, unknown> = {}): App {
  const outdir = mkdtempSync(join(tmpdir(), 'om-infra-'));
  outDirs.push(outdir);
  return new App({ context: { ...cdkJsonContext(), ...extraContext }, outdir });
}

export type Built = Awaited<ReturnType<typeof buildApp>>;

/** Builds the app for `env` (no bundling, no cdk-nag unless asked). */
export async function buildExample(env: string, opts: Omit<BuildAppOptions, 'env'> = {}): Promise<Built> {
  return buildApp({ app: opts.app ?? newApp(), env, bundle: false, nag: false, configFile: EXAMPLE_CONFIG, ...opts });
}

/** Every stack's template, keyed by stack name. */
export function templates(built: Built): Record<string, Template> {
  return Object.fromEntries(built.stacks.stacks.map((s) => [s.stackName, Template.fromStack(s)]));
}

type CfnResourceJson = { Type: string; Properties?: Record<string, any> };

/** The resources of a template as [logicalId, resource] pairs. */
export function resourcesOf(t: Template): [string, CfnResourceJson][] {
  return Object.entries((t.toJSON() as { Resources: Record<string, CfnResourceJson> }).Resources);
}
