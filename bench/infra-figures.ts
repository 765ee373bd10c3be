/**
 * The AWS deployment's static figures, all from in-process synths (no AWS, no emulator):
 * - workerBundleBytes / workerInitMs: the example app synthesized WITH bundling — the exact
 *   esbuild run of the CDK construct — then the asset's index.js measured and cold-loaded;
 * - resourcesPerJob, maxResourcesPerStackFor1000Jobs, synthMsFor100Jobs / synthMsFor1000Jobs:
 *   generated apps (mixed crons, time zones, intervals) synthesized without bundling.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { defineConfig } from 'om-scheduler';
import { buildApp } from '../infra/build-app.ts';
import { createOmSchedulerStacks } from '../infra/om-scheduler-stacks.ts';
import { resolveEnvironmentSettings, SETTINGS_CONTEXT_KEY } from '../infra/settings.ts';
import { REPO_ROOT } from '../scripts/emulator/ministack.ts';
import { generatedJob } from './plan-time.ts';
import { percentile } from './stats.ts';

const EXAMPLE_CONFIG = join(REPO_ROOT, 'examples/app/scheduler.config.ts');

function cdkContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')).context;
}

/** Runs `fn` with a fresh App (cdk.json context) writing into a temp dir, removed afterwards. */
async function withApp<T>(fn: (app: App) => Promise<T> | T): Promise<T> {
  const outdir = mkdtempSync(join(tmpdir(), 'om-bench-cdk-'));
  try {
    return await fn(new App({ context: cdkContext(), outdir }));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export interface WorkerBundleResult {
  readonly workerBundleBytes: number;
  /** Median spawn of `node -e` requiring the bundle and touching `handler`, minus the bare spawn. */
  readonly workerInitMs: number;
  readonly workerInitSpawnMs: number;
  readonly bareNodeSpawnMs: number;
  readonly bundleSynthMs: number;
  readonly spawns: number;
}

/** Synthesizes the example app (env `dev`) with bundling, measures its worker asset. */
export async function measureWorkerBundle(spawns = 5): Promise<WorkerBundleResult> {
  return withApp(async (app) => {
    const started = performance.now();
    const built = await buildApp({ app, env: 'dev', bundle: true, nag: false, configFile: EXAMPLE_CONFIG });
    const assembly = app.synth();
    const bundleSynthMs = performance.now() - started;
    const template = assembly.getStackByName(built.stacks.main.stackName).template as { Resources: Record<string, { Type: string; Properties?: any }> };
    const keys = new Set(
      Object.values(template.Resources)
        .filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties?.Code?.S3Key)
        .map((r) => String(r.Properties.Code.S3Key)),
    );
    // Every queue's worker shares one asset (same entry, same options); anything else is a finding.
    if (keys.size !== 1) throw new Error(`expected one worker asset, found ${keys.size}: ${[...keys].join(', ')}`);
    const bundle = join(assembly.directory, `asset.${[...keys][0]!.replace(/\.zip$/, '')}`, 'index.js');
    const workerBundleBytes = statSync(bundle).size;

    // Interleaved so both series see the same machine load.
    const touch = `const m = require(${JSON.stringify(bundle)}); if (typeof m.handler !== 'function') process.exit(3);`;
    const loaded: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < spawns; i++) {
      bare.push(timeSpawn(''));
      loaded.push(timeSpawn(touch));
    }
    const workerInitSpawnMs = percentile(loaded, 50);
    const bareNodeSpawnMs = percentile(bare, 50);
    return {
      workerBundleBytes,
      workerInitMs: workerInitSpawnMs - bareNodeSpawnMs,
      workerInitSpawnMs,
      bareNodeSpawnMs,
      bundleSynthMs,
      spawns,
    };
  });
}

function timeSpawn(code: string): number {
  const started = performance.now();
  const res = spawnSync(process.execPath, ['-e', code], {
    // The Lambda environment: the SDK's Node-version warning off, as on the emulator.
    env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  if (res.status !== 0) throw new Error(`node -e exited ${res.status ?? res.signal}: ${res.stderr}`);
  return ms;
}

export interface SynthResult {
  readonly jobs: number;
  readonly synthMs: number;
  readonly totalResources: number;
  /** Resources per stack, as synthesized (the CDK CLI adds one AWS::CDK::Metadata to each). */
  readonly resourcesPerStack: Readonly<Record<string, number>>;
}

/** Builds + synthesizes a generated app of `jobCount` jobs on the example app's queues, without bundling. */
export async function measureSynth(jobCount: number): Promise<SynthResult> {
  const jobs = Array.from({ length: jobCount }, (_, i) => generatedJob(i));
  const config = defineConfig({ app: 'benchsynth', queues: { default: 10, critical: 5, exports: 2, webhooks: 5 }, jobs });
  return withApp((app) => {
    const started = performance.now();
    const settings = resolveEnvironmentSettings(app.node.tryGetContext(SETTINGS_CONTEXT_KEY), 'staging');
    const stacks = createOmSchedulerStacks(app, { config, configPath: 'generated', env: 'staging', settings, bundle: false });
    const assembly = app.synth();
    const synthMs = performance.now() - started;
    const resourcesPerStack = Object.fromEntries(
      stacks.stacks.map((s) => [s.stackName, Object.keys((assembly.getStackByName(s.stackName).template as { Resources: object }).Resources).length]),
    );
    const totalResources = Object.values(resourcesPerStack).reduce((a, b) => a + b, 0);
    return { jobs: jobCount, synthMs, totalResources, resourcesPerStack };
  });
}
