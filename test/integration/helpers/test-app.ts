/**
 * Synthesizes and deploys the integration test app (test/integration/app/) to the emulator.
 * Runs once per suite from global-setup.ts; its result reaches the test files via
 * `inject('emulator')`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, type Emulator } from '../../../scripts/emulator/ministack.ts';
import { deployAssembly, synthApp } from '../../../scripts/emulator/deploy.ts';

/** The environment the test app deploys as: cdk.json's `itest` (settings for a throwaway emulator deployment). */
export const TEST_ENV = 'itest';
/** The test app's config module, deployed with the project's own CDK app (cdk.json). */
export const TEST_CONFIG_FILE = 'test/integration/app/scheduler.config.ts';

/** What the test files get from the global setup. */
export interface EmulatorInfo {
  readonly endpoint: string;
  readonly region: string;
  /** Set when no emulator could run here: every test is skipped with this reason. */
  readonly skipReason?: string;
  /** Set when the product's infra/ is not there yet: tests of the deployed app skip with it. */
  readonly appSkipReason?: string;
  /** Stack name -> CloudFormation outputs of the deployed test app. */
  readonly outputs?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly timings: Readonly<Record<string, number>>;
}

export async function deployTestApp(emulator: Emulator, log: (line: string) => void): Promise<EmulatorInfo> {
  const base = { endpoint: emulator.endpoint, region: emulator.region };
  if (!existsSync(join(REPO_ROOT, 'cdk.json')) || !existsSync(join(REPO_ROOT, 'functions', 'worker', 'sqs-worker.ts'))) {
    return { ...base, appSkipReason: 'the CDK app (cdk.json) or the SQS worker (functions/worker/sqs-worker.ts) does not exist yet', timings: {} };
  }
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, { environments?: Record<string, unknown> }> };
  if (!cdkJson.context?.['om-scheduler']?.environments?.[TEST_ENV]) {
    return { ...base, appSkipReason: `cdk.json has no "${TEST_ENV}" environment (context om-scheduler.environments.${TEST_ENV})`, timings: {} };
  }
  let t = Date.now();
  // The same synth `cdk deploy` runs (cdk.json's app, with bundling), pointed at the test config.
  const outdir = await synthApp({ env: TEST_ENV, context: { configFile: TEST_CONFIG_FILE } });
  const synthMs = Date.now() - t;
  log(`synthesized the test app in ${synthMs} ms (${outdir})`);
  t = Date.now();
  const stacks = await deployAssembly(outdir, { endpoint: emulator.endpoint, region: emulator.region, log });
  const deployMs = Date.now() - t;
  return { ...base, outputs: Object.fromEntries(stacks.map((s) => [s.stackName, s.outputs])), timings: { synthMs, deployMs } };
}
