import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, test } from 'vitest';
import { buildExample, MANY_JOBS_CONFIG } from './synth-helpers.ts';

/** Every acknowledgement recorded in the tree: [construct path, rule id, reason]. */
function acknowledgements(root: IConstruct): [string, string, unknown][] {
  return root.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) => Object.entries(m.data as Record<string, unknown>).map(([id, reason]) => [c.node.path, id, reason] as [string, string, unknown])),
    );
}

function reasonText(reason: unknown): string {
  return typeof reason === 'string' ? reason : String((reason as { reason?: unknown } | null)?.reason ?? '');
}

describe('cdk-nag AwsSolutions', () => {
  test.each(['dev', 'staging', 'prod'])('finds nothing unacknowledged in the example app (%s)', async (env) => {
    // Prepare
    const { app } = await buildExample(env);
    // Act
    const report = new AwsSolutionsChecks(app).validateScope(app);
    // Assess
    expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });

  test('finds nothing unacknowledged when 1,000 jobs spill into schedule stacks', async () => {
    // Prepare
    const { app } = await buildExample('staging', { configFile: MANY_JOBS_CONFIG });
    // Act
    const report = new AwsSolutionsChecks(app).validateScope(app);
    // Assess
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  test('synth with the plugin attached, as `cdk synth` runs it, succeeds', async () => {
    // Prepare
    const { app } = await buildExample('prod', { nag: true });
    // Act / Assess
    expect(() => app.synth()).not.toThrow();
  });

  test('every acknowledgement names a rule and gives a reason', async () => {
    // Prepare
    const { app } = await buildExample('prod');
    // Act
    const acks = acknowledgements(app);
    // Assess
    expect(acks.length).toBeGreaterThan(0);
    for (const [path, id, reason] of acks) {
      expect(id, path).toMatch(/AwsSolutions-[A-Z]+\d+/);
      expect(reasonText(reason).length, `${path} ${id}`).toBeGreaterThan(30);
    }
    expect([...new Set(acks.map(([, id]) => id.replace(/^.*?(AwsSolutions-[A-Z]+\d+).*$/, '$1')))].sort()).toEqual([
      'AwsSolutions-IAM5',
      'AwsSolutions-L1',
      'AwsSolutions-SNS2',
      'AwsSolutions-SQS3',
    ]);
  });
});
