import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildExample, MANY_JOBS_CONFIG, REPO_ROOT } from './synth-helpers.ts';

// cfn-lint (PyPI, pinned in requirements-dev.txt) runs from the project-local .venv that
// scripts/python-venv.sh builds. Without python3 the suite is skipped — except in CI, where a
// skipped oracle would hide regressions.
const hasPython = spawnSync('python3', ['--version']).status === 0;
const inCi = process.env['CI'] === 'true';
const CFN_LINT = join(REPO_ROOT, '.venv', 'bin', 'cfn-lint');

/**
 * Lints one template; resolves to cfn-lint's exit code and its error lines (only errors fail:
 * the warnings are CDK's own W3005). One process per template, run in parallel: a stack of
 * 450 schedules takes cfn-lint ~10 s on its own.
 */
function cfnLint(template: string): Promise<{ status: number; errors: string[] }> {
  return new Promise((resolve) => {
    execFile(CFN_LINT, ['--non-zero-exit-code', 'error', '--', template], { encoding: 'utf8', maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const status = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
      resolve({ status, errors: `${stdout}${stderr}`.split('\n').filter((l) => /^E\d{4}/.test(l)) });
    });
  });
}

async function synthTemplates(env: string, configFile?: string): Promise<string[]> {
  const built = await buildExample(env, configFile ? { configFile } : {});
  const assembly = built.app.synth();
  return readdirSync(assembly.directory)
    .filter((f) => f.endsWith('.template.json'))
    .map((f) => join(assembly.directory, f));
}

describe.skipIf(!hasPython && !inCi)('cfn-lint on every synthesized template', () => {
  beforeAll(() => {
    if (!hasPython) throw new Error('python3 is required for cfn-lint under CI=true');
    execFileSync('bash', [join(REPO_ROOT, 'scripts/python-venv.sh')], { stdio: 'inherit' });
    expect(existsSync(CFN_LINT)).toBe(true);
  }, 300_000);

  test.each([
    ['the example app in dev', 'dev', undefined, 1],
    ['the example app in staging', 'staging', undefined, 1],
    ['the example app in prod', 'prod', undefined, 1],
    ['1,000 jobs in staging (main stack + 3 schedule stacks)', 'staging', MANY_JOBS_CONFIG, 4],
  ])('%s: no errors in any template', async (_label, env, configFile, stackCount) => {
    // Prepare
    const templates = await synthTemplates(env, configFile);
    // Act
    const results = await Promise.all(templates.map(async (t) => ({ template: t, ...(await cfnLint(t)) })));
    // Assess
    expect(templates).toHaveLength(stackCount);
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(results.map((r) => r.status)).toEqual(templates.map(() => 0));
  }, 120_000);
});
