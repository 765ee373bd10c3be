/**
 * loadConfig: importing a user's config file, and the one-line errors when that goes wrong.
 */
import { describe, expect, test } from 'vitest';
import { ConfigError, OmSchedulerError, loadConfig } from 'om-scheduler';

/** Awaits `act` and returns what it rejected with. */
async function rejectionOf(act: () => Promise<unknown>): Promise<OmSchedulerError> {
  try {
    await act();
  } catch (error) {
    expect(error).toBeInstanceOf(OmSchedulerError);
    return error as OmSchedulerError;
  }
  throw new Error('expected a rejection');
}

describe('loadConfig', () => {
  test('returns the default export of a defineConfig file', async () => {
    // Act
    const config = await loadConfig('test/fixtures/configs/valid.ts');

    // Assess
    expect(config.app).toBe('fixture-app');
    expect(config.jobs.map((j) => j.name)).toEqual(['daily_report', 'sync_inventory', 'heartbeat', 'billing_run', 'cleanup_sessions', 'export_worker']);
  });

  test('checks a plain object exported as `config` with defineConfig', async () => {
    // Act
    const config = await loadConfig('test/fixtures/configs/plain-object.ts');

    // Assess
    expect(config.jobs.map((j) => [j.name, j.schedules.map((s) => s.expression)])).toEqual([['tick', ['rate(1 hour)']]]);
  });

  test.each([
    ['a missing file', 'test/fixtures/configs/missing.ts', 'CONFIG_NOT_FOUND', `config file not found: test/fixtures/configs/missing.ts (resolved to ${process.cwd()}/test/fixtures/configs/missing.ts)`],
    [
      'a file without a default or `config` export',
      'test/fixtures/configs/no-export.ts',
      'CONFIG_NO_EXPORT',
      'config file test/fixtures/configs/no-export.ts has no default export and no export named `config` (exports: queues); export default defineConfig({ ... })',
    ],
    [
      'a file whose default export is not a config',
      'test/fixtures/configs/not-a-config.ts',
      'CONFIG_INVALID',
      'config: `default export` must be a config: export default defineConfig({ ... }) from test/fixtures/configs/not-a-config.ts, got: 42',
    ],
    [
      'a file that throws while loading',
      'test/fixtures/configs/throws.ts',
      'CONFIG_LOAD_FAILED',
      'could not load config file test/fixtures/configs/throws.ts: SECRET_NAME is not set',
    ],
    [
      'a file whose jobs are invalid',
      'test/fixtures/configs/invalid.ts',
      'CONFIG_INVALID',
      'job "nightly_import": `queue` must be one of the config\'s queues: "default", "critical", got: "imports"\n' +
        'job "daily_report": `name` must be unique within the config (jobs[1] has the same name), got: "daily_report"',
    ],
  ])('rejects %s with a clear message', async (_case, file, code, message) => {
    // Act
    const error = await rejectionOf(() => loadConfig(file));

    // Assess
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    if (code === 'CONFIG_INVALID') expect(error).toBeInstanceOf(ConfigError);
  });
});
