/**
 * What every environment command shares: `--env` (checked against the naming rule and the
 * environments cdk.json lists), `--config` (defaulting to cdk.json's context), `--region`,
 * `--endpoint` (or AWS_ENDPOINT_URL), and the client factory they reach the runtime through.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { loadConfig } from 'om-scheduler';
import { awsClientFactory } from '../../../../shared/cli/commands/aws-client-factory.ts';
import { cdkEnvironment, readCdkContext } from '../../../../shared/cli/commands/cdk-context.ts';
import type { RuntimeTarget } from '../../../../shared/cli/commands/deps.ts';
import { OPS_CONFIG, omsched, opsRuntime, type OpsRuntime } from './ops-runtime.ts';

let ops: OpsRuntime;
beforeEach(async () => {
  ops = await opsRuntime();
});
afterEach(async () => {
  await ops.rt.stop();
});

/** A project directory holding `cdk.json` with `settings` as its `om-scheduler` context value (or raw text). */
function projectWith(settings: Record<string, unknown> | string): string {
  const dir = mkdtempSync(join(tmpdir(), 'omsched-cdk-'));
  const text = typeof settings === 'string' ? settings : JSON.stringify({ app: 'npx tsx infra/app.ts', context: { 'om-scheduler': settings } });
  writeFileSync(join(dir, 'cdk.json'), text);
  return dir;
}

describe('--config and cdk.json', () => {
  test("without --config the environment's configFile in cdk.json is used", async () => {
    // Prepare
    const cwd = projectWith({ configFile: 'elsewhere.ts', environments: { dev: { configFile: resolve(OPS_CONFIG) }, prod: {} } });

    // Act
    const { code, stdout } = await omsched(ops, ['status', 'sync_inventory', '--env', 'dev', '--json'], { cwd });

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout).app).toBe('ops-app');
  });

  test('cdk.json settings resolve like the CDK app: environment, then defaults, then the top level; paths against cdk.json', () => {
    // Prepare
    const cwd = projectWith({
      configFile: 'scheduler.config.ts',
      defaults: { region: 'us-east-1' },
      environments: { dev: {}, prod: { region: 'eu-west-3', configFile: 'prod.config.ts' } },
    });

    // Act
    const context = readCdkContext(cwd)!;

    // Assess
    expect(context.envs).toEqual(['dev', 'prod']);
    expect(cdkEnvironment(context, 'dev')).toEqual({ configPath: join(cwd, 'scheduler.config.ts'), region: 'us-east-1' });
    expect(cdkEnvironment(context, 'prod')).toEqual({ configPath: join(cwd, 'prod.config.ts'), region: 'eu-west-3' });
  });

  test.each([
    ['no cdk.json', () => mkdtempSync(join(tmpdir(), 'omsched-empty-')), (cwd: string) => `omsched: \`--config <file>\` is required: there is no cdk.json in ${cwd} naming the config file\n`],
    [
      'a cdk.json naming no config file',
      () => projectWith({ environments: { dev: {} } }),
      (cwd: string) => `omsched: \`--config <file>\` is required: ${join(cwd, 'cdk.json')} names no config file (context "om-scheduler": { "configFile": "scheduler.config.ts" })\n`,
    ],
  ])('with %s and no --config the command asks for --config (exit 2)', async (_case, makeDir, message) => {
    // Prepare
    const cwd = makeDir();

    // Act
    const { code, stderr } = await omsched(ops, ['status', '--env', 'dev'], { cwd });

    // Assess
    expect(code).toBe(2);
    expect(stderr).toBe(message(cwd));
  });

  test('a cdk.json that is not JSON exits 1 naming the file', async () => {
    // Prepare
    const cwd = projectWith('{ "context": ');

    // Act
    const { code, stderr } = await omsched(ops, ['status', '--env', 'dev'], { cwd });

    // Assess
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^omsched: ${join(cwd, 'cdk.json')} is not valid JSON: .+\\n$`));
  });

  test('a missing config file exits 1 with the loader\'s one-line message', async () => {
    // Act
    const { code, stderr } = await omsched(ops, ['status', '--env', 'dev', '--config', 'nope.config.ts']);

    // Assess
    expect(code).toBe(1);
    expect(stderr).toBe(`omsched: config file not found: nope.config.ts (resolved to ${resolve('nope.config.ts')})\n`);
  });
});

describe('--env', () => {
  test.each([
    ['an upper-case name', 'Dev', 'omsched: `--env` must be 1 to 10 characters: lowercase letters or digits, starting with a letter (e.g. "dev", "staging", "prod"), got: "Dev"\n'],
    ['a name too long', 'development', 'omsched: `--env` must be 1 to 10 characters: lowercase letters or digits, starting with a letter (e.g. "dev", "staging", "prod"), got: "development"\n'],
  ])('%s is a usage error (exit 2)', async (_case, env, message) => {
    // Act
    const { code, stderr, stdout } = await omsched(ops, ['history', 'sync_inventory', '--env', env, '--config', OPS_CONFIG]);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toBe(message);
    expect(stdout).toBe('');
  });

  test('an environment cdk.json does not define is a usage error naming the defined ones', async () => {
    // Prepare
    const cwd = projectWith({ configFile: resolve(OPS_CONFIG), environments: { dev: {}, prod: {} } });

    // Act
    const { code, stderr } = await omsched(ops, ['status', '--env', 'qa'], { cwd });

    // Assess
    expect(code).toBe(2);
    expect(stderr).toBe('omsched: `--env` must be one of the environments cdk.json defines (context "om-scheduler.environments"): "dev", "prod", got: "qa"\n');
  });
});

describe('the client factory', () => {
  test("receives the loaded config and the target: env, --region (else cdk.json's), and --endpoint (else AWS_ENDPOINT_URL)", async () => {
    // Prepare
    const targets: RuntimeTarget[] = [];
    const clientFactory = (config: { app: string }, target: RuntimeTarget) => {
      targets.push(target);
      expect(config.app).toBe('ops-app');
      return ops.rt;
    };

    const noCdkJson = mkdtempSync(join(tmpdir(), 'omsched-empty-'));
    const withRegion = projectWith({ configFile: resolve(OPS_CONFIG), environments: { dev: { region: 'ap-south-1' } } });

    // Act
    await omsched(ops, ['status', '--env', 'prod', '--config', OPS_CONFIG, '--region', 'eu-west-3', '--endpoint', 'http://localhost:4566', '--json'], { clientFactory, cwd: noCdkJson });
    await omsched(ops, ['status', '--env', 'dev', '--config', OPS_CONFIG, '--json'], { clientFactory, cwd: noCdkJson }, { AWS_ENDPOINT_URL: 'http://127.0.0.1:4599' });
    await omsched(ops, ['status', '--env', 'dev', '--config', OPS_CONFIG, '--json'], { clientFactory, cwd: noCdkJson });
    await omsched(ops, ['status', '--env', 'dev', '--json'], { clientFactory, cwd: withRegion });

    // Assess
    expect(targets).toEqual([
      { env: 'prod', region: 'eu-west-3', endpoint: 'http://localhost:4566' },
      { env: 'dev', endpoint: 'http://127.0.0.1:4599' },
      { env: 'dev' },
      { env: 'dev', region: 'ap-south-1' }, // the environment's region from cdk.json
    ]);
  });

  test('the default factory reports a missing AWS client module in one line (exit 1)', async () => {
    // Prepare
    const clientFactory = awsClientFactory(new URL('../../../../functions/no-such-client/index.ts', import.meta.url));

    // Act
    const { code, stderr } = await omsched(ops, ['status', '--env', 'dev', '--config', OPS_CONFIG], { clientFactory });

    // Assess
    expect(code).toBe(1);
    expect(stderr).toBe('omsched: the AWS runtime client is not available in this installation (functions/no-such-client/index.ts does not exist)\n');
  });

  test('the default factory imports the module on first use and calls its createClient(config, target)', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'omsched-client-'));
    const file = join(dir, 'client.mjs');
    writeFileSync(file, 'export const calls = [];\nexport function createClient(config, target) { calls.push([config.app, target]); return { marker: "aws" }; }\n');
    const config = await loadConfig(OPS_CONFIG);

    // Act
    const client = await awsClientFactory(pathToFileURL(file))(config, { env: 'dev', region: 'us-east-1' });

    // Assess
    expect(client).toEqual({ marker: 'aws' });
    const { calls } = (await import(pathToFileURL(file).href)) as { calls: unknown[] };
    expect(calls).toEqual([['ops-app', { env: 'dev', region: 'us-east-1' }]]);
  });

  test('a module without createClient is reported as unavailable', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'omsched-client-'));
    const file = join(dir, 'client.mjs');
    writeFileSync(file, 'export const nothing = 1;\n');
    const config = await loadConfig(OPS_CONFIG);

    // Act
    const attempt = awsClientFactory(pathToFileURL(file))(config, { env: 'dev' });

    // Assess
    await expect(attempt).rejects.toThrow(/^the AWS runtime client is not available in this installation \(.+client\.mjs does not export createClient\)$/);
  });
});
