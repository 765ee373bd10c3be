import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { SQS_WORKER_MODULE, workerEntrySource } from '../../infra/worker-entry.ts';
import { buildExample, EXAMPLE_CONFIG, newApp, resourcesOf } from './synth-helpers.ts';

describe('the worker bundle', () => {
  test('the generated entry imports the user’s config and the kit’s SQS worker by absolute path', () => {
    // Act
    const source = workerEntrySource('examples/app/scheduler.config.ts');
    // Assess
    expect(source).toContain(`import * as userConfig from ${JSON.stringify(EXAMPLE_CONFIG)};`);
    expect(source).toContain(`import { createSqsWorker } from ${JSON.stringify(SQS_WORKER_MODULE)};`);
    expect(source).toContain('export const handler = createSqsWorker(config);');
  });

  test('bundles the example app’s jobs with the real worker into one file under 1 MB, shared by every queue', async () => {
    // Prepare
    const built = await buildExample('dev', { bundle: true });
    // Act
    const assembly = built.app.synth();
    // Assess: every worker points at the same asset (bundled once: same entry, same options)
    const functions = resourcesOf(Template.fromStack(built.stacks.main)).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    const keys = new Set(functions.map(([, r]) => r.Properties!['Code'].S3Key));
    expect(functions).toHaveLength(4);
    expect(keys.size).toBe(1);
    const assetDir = join(assembly.directory, `asset.${[...keys][0]!.replace(/\.zip$/, '')}`);
    const bundle = join(assetDir, 'index.js');
    expect(existsSync(bundle)).toBe(true);
    const size = statSync(bundle).size;
    console.info(`worker bundle: ${(size / 1024).toFixed(0)} KiB`);
    expect(size).toBeLessThan(1024 * 1024);
    // The AWS SDK is bundled (the emulator provides none), and no CDK code leaked in.
    const code = readFileSync(bundle, 'utf8');
    // Only the SDK's optional CRT signer stays a runtime require (loaded for SigV4a only, behind a try).
    expect(new Set(code.match(/require\("@aws-sdk\/[^"]+"\)/g) ?? [])).toEqual(new Set(['require("@aws-sdk/signature-v4-crt")']));
    expect(code).not.toContain('aws-cdk-lib');
  }, 120_000);

  test('is skipped when the CDK CLI skips bundling (cdk bootstrap, cdk list): no asset of the whole project', async () => {
    // Prepare
    const app = newApp({ 'aws:cdk:bundling-stacks': [] });
    // Act
    const built = await buildExample('dev', { app, bundle: true });
    // Assess
    Template.fromStack(built.stacks.main).hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'demo-shop-dev-default-worker',
      Code: { ZipFile: Match.stringLikeRegexp('placeholder') },
    });
  });
});
