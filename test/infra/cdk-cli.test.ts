import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from './synth-helpers.ts';

/** The environment of a machine without AWS credentials or profile. */
function credentialFreeEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
  for (const k of Object.keys(env)) if (/^AWS_(ACCESS|SECRET|SESSION|PROFILE)/.test(k)) delete env[k];
  return env;
}

function cdk(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('npx', ['cdk', ...args, '--no-notices'], { cwd: REPO_ROOT, env: credentialFreeEnv(), encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npx cdk synth', () => {
  test('an unknown environment fails with one line listing the valid ones, without a stack trace', () => {
    // Act
    const out = mkdtempSync(join(tmpdir(), 'om-cli-'));
    const r = cdk(['synth', '-c', 'env=qa', '-o', out]);
    rmSync(out, { recursive: true, force: true });
    // Assess
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('om-scheduler: unknown environment "qa": cdk.json context "om-scheduler.environments" defines "dev", "staging", "prod", "itest"\n');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  test('-c env=dev synthesizes the example app without AWS credentials', () => {
    // Prepare
    const out = mkdtempSync(join(tmpdir(), 'om-cli-'));
    // Act
    const r = cdk(['synth', '-c', 'env=dev', '-o', out, '-q']);
    // Assess
    expect(r.stderr).not.toContain('Error');
    expect(r.status).toBe(0);
    expect(readdirSync(out).filter((f) => f.endsWith('.template.json'))).toEqual(['demo-shop-dev.template.json']);
    rmSync(out, { recursive: true, force: true });
  }, 120_000);
});
