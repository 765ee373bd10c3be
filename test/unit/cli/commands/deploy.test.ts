/**
 * `omsched deploy --env E [-- extra cdk args]`: runs `npx cdk deploy --all -c env=E
 * --require-approval never` with inherited stdio and passes on cdk's exit code.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type { Spawner } from '../../../../shared/cli/commands/deps.ts';
import { deployCommand, shellLine } from '../../../../shared/cli/commands/deploy.ts';
import { omsched } from './ops-runtime.ts';

/** Records what deploy would run and answers with `exitCode` (instead of running cdk). */
function recordingSpawner(exitCode: number): Spawner & { calls: Array<{ command: string; args: readonly string[]; env: Record<string, string | undefined> }> } {
  const calls: Array<{ command: string; args: readonly string[]; env: Record<string, string | undefined> }> = [];
  const spawn: Spawner = async (command, args, opts) => {
    calls.push({ command, args, env: { ...opts.env } });
    return exitCode;
  };
  return Object.assign(spawn, { calls });
}

describe('omsched deploy', () => {
  test.each([
    ['the plain command', ['--env', 'dev'], 'npx cdk deploy --all -c env=dev --require-approval never\n'],
    [
      'extra cdk args after --, quoted where a shell needs it',
      ['--env', 'prod', '--', '--profile', 'ops', '--tags', 'team=data eng'],
      "npx cdk deploy --all -c env=prod --require-approval never --profile ops --tags 'team=data eng'\n",
    ],
    [
      '--config, --region and --endpoint',
      ['--env', 'dev', '--config', 'scheduler.config.ts', '--region', 'eu-west-3', '--endpoint', 'http://localhost:4566'],
      'AWS_REGION=eu-west-3 AWS_ENDPOINT_URL=http://localhost:4566 npx cdk deploy --all -c env=dev -c configFile=scheduler.config.ts --require-approval never\n',
    ],
  ])('--dry-run prints %s', async (_case, flags, line) => {
    // Prepare
    const spawn = recordingSpawner(0);

    // Act
    const { code, stdout, stderr } = await omsched(undefined, ['deploy', '--dry-run', ...flags], { spawn });

    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(line);
    expect(spawn.calls).toEqual([]);
  });

  test('without --dry-run it runs npx cdk with the environment variables added and exits with its code', async () => {
    // Prepare
    const spawn = recordingSpawner(3);

    // Act
    const { code, stdout, stderr } = await omsched(undefined, ['deploy', '--env', 'dev', '--region', 'us-east-1'], { spawn }, { HOME: '/home/me' });

    // Assess
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toBe('');
    expect(spawn.calls).toEqual([
      { command: 'npx', args: ['cdk', 'deploy', '--all', '-c', 'env=dev', '--require-approval', 'never'], env: { HOME: '/home/me', AWS_REGION: 'us-east-1' } },
    ]);
  });

  test('a successful cdk run exits 0', async () => {
    // Act
    const { code } = await omsched(undefined, ['deploy', '--env', 'dev'], { spawn: recordingSpawner(0) });

    // Assess
    expect(code).toBe(0);
  });

  test.each([
    ['an env name breaking the rule', ['--env', 'Prod'], 'omsched: `--env` must be 1 to 10 characters: lowercase letters or digits, starting with a letter (e.g. "dev", "staging", "prod"), got: "Prod"\n'],
    ['a bad --region', ['--env', 'dev', '--region', 'Paris'], 'omsched: `--region` must be an AWS region such as "us-east-1" or "eu-west-3", got: "Paris"\n'],
    ['a bad --endpoint', ['--env', 'dev', '--endpoint', 'localhost:4566'], 'omsched: `--endpoint` must be an http(s) URL such as "http://localhost:4566", got: "localhost:4566"\n'],
  ])('%s is refused before anything runs (exit 2)', async (_case, flags, message) => {
    // Prepare
    const spawn = recordingSpawner(0);

    // Act
    const { code, stderr } = await omsched(undefined, ['deploy', ...flags], { spawn });

    // Assess
    expect(code).toBe(2);
    expect(stderr).toBe(message);
    expect(spawn.calls).toEqual([]);
  });
});

describe('omsched deploy (the real binary)', () => {
  test('--dry-run prints the exact cdk command; a bad env exits 2 without a stack trace', () => {
    // Prepare
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['bin/omsched.mjs', ...args], {
        cwd: fileURLToPath(new URL('../../../../', import.meta.url)),
        encoding: 'utf8',
        env: { ...process.env, OMSCHED_DEBUG: '' },
      });

    // Act
    const ok = run('deploy', '--env', 'dev', '--dry-run');
    const bad = run('deploy', '--env', 'dev!', '--dry-run');

    // Assess
    expect([ok.status, ok.stdout, ok.stderr]).toEqual([0, 'npx cdk deploy --all -c env=dev --require-approval never\n', '']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      'omsched: `--env` must be 1 to 10 characters: lowercase letters or digits, starting with a letter (e.g. "dev", "staging", "prod"), got: "dev!"\n',
    );
  });
});

describe('deployCommand', () => {
  test('builds the cdk invocation as data', () => {
    expect(deployCommand({ env: 'staging', extraArgs: ['--hotswap'] })).toEqual({
      command: 'npx',
      args: ['cdk', 'deploy', '--all', '-c', 'env=staging', '--require-approval', 'never', '--hotswap'],
      env: {},
    });
  });

  test("shellLine quotes single quotes the POSIX way", () => {
    expect(shellLine({ command: 'npx', args: ['cdk', "it's"], env: {} })).toBe("npx cdk 'it'\\''s'");
  });
});
