import { describe, expect, test } from 'vitest';
import { DEFAULT_SETTINGS, environmentNames, resolveEnvironmentSettings } from '../../infra/settings.ts';
import { cdkJsonContext } from './synth-helpers.ts';

const context = cdkJsonContext()['om-scheduler'] as Record<string, unknown>;

describe('environment settings from cdk.json', () => {
  test('cdk.json defines dev, staging and prod, plus itest (the emulator environment of npm test)', () => {
    // Act
    const names = environmentNames(context);
    // Assess
    expect(names).toEqual(['dev', 'staging', 'prod', 'itest']);
  });

  test('the dev settings merge the defaults with the environment’s own values', () => {
    // Act
    const dev = resolveEnvironmentSettings(context, 'dev');
    // Assess
    expect(dev).toEqual({
      name: 'dev',
      account: '000000000000',
      region: 'us-east-1',
      configFile: 'examples/app/scheduler.config.ts',
      queueConcurrency: { exports: 1 },
      reserveConcurrency: true,
      alarms: { oldestMessageAgeSeconds: 3600, workerErrors: 5, throttles: 5 },
      historyTtlDays: 7,
      logRetentionDays: 7,
      logLevel: 'DEBUG',
      retainData: false,
    });
  });

  test('prod sends alarms to an e-mail address and keeps its data', () => {
    // Act
    const prod = resolveEnvironmentSettings(context, 'prod');
    // Assess
    expect(prod).toMatchObject({ alarmEmail: 'ops@example.com', retainData: true, logRetentionDays: 365, historyTtlDays: 90 });
  });

  test('without -c env=, the defaultEnvironment of cdk.json (dev) is used — as `cdk bootstrap` needs', () => {
    // Act / Assess
    expect(resolveEnvironmentSettings(context, undefined)).toEqual(resolveEnvironmentSettings(context, 'dev'));
  });

  test('a configFile override replaces the configured config module', () => {
    // Act
    const s = resolveEnvironmentSettings(context, 'staging', { configFile: 'my/scheduler.config.ts' });
    // Assess
    expect(s.configFile).toBe('my/scheduler.config.ts');
  });

  test('an environment with no settings of its own gets the defaults', () => {
    // Act
    const s = resolveEnvironmentSettings({ environments: { qa: {} } }, 'qa');
    // Assess
    expect(s).toMatchObject({ ...DEFAULT_SETTINGS, region: process.env['CDK_DEFAULT_REGION'] ?? 'us-east-1' });
  });
});

describe('environment selection errors', () => {
  test.each([
    ['an unknown environment', 'test', 'unknown environment "test": cdk.json context "om-scheduler.environments" defines "dev", "staging", "prod", "itest"'],
    [
      'no environment (and no defaultEnvironment)',
      undefined,
      'no environment selected: pass -c env=<name> (environments in cdk.json: "dev", "staging", "prod", "itest")',
    ],
    [
      'an environment name that breaks the naming rule',
      'Prod',
      'environment name must be 1 to 10 characters: lowercase letters or digits, starting with a letter (e.g. "dev", "staging", "prod"), got: "Prod"',
    ],
  ])('%s is rejected with a message listing the valid ones', (_label, env, message) => {
    // Prepare
    const { defaultEnvironment: _ignored, ...withoutDefault } = context;
    // Act / Assess
    expect(() => resolveEnvironmentSettings(withoutDefault, env)).toThrow(message);
  });

  test('invalid settings are reported together, each naming the environment and the field', () => {
    // Prepare
    const bad = { environments: { dev: { logLevel: 'LOUD', logRetentionDays: 10, alarms: { throttles: 0 }, colour: 'red' } } };
    // Act / Assess
    expect(() => resolveEnvironmentSettings(bad, 'dev')).toThrow(
      [
        'config: `om-scheduler.environments.dev.colour` must be a known setting (one of: account, region, configFile, queueConcurrency, reserveConcurrency, alarms, alarmEmail, alarmTopicArn, historyTtlDays, logRetentionDays, logLevel, retainData), got: "red"',
        'config: `om-scheduler.environments.dev.alarms.throttles` must be an integer from 1 to 1000000, got: 0',
        'config: `om-scheduler.environments.dev.logRetentionDays` must be one of the CloudWatch Logs retention periods: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, got: 10',
        'config: `om-scheduler.environments.dev.logLevel` must be one of DEBUG, INFO, WARN, ERROR, got: "LOUD"',
      ].join('\n'),
    );
  });
});
