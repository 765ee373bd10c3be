/**
 * The naming helpers behind default job names and "did you mean" suggestions.
 */
import { describe, expect, test } from 'vitest';
import { isValidAppName, isValidJobName, isValidQueueName, snakeCase } from '../../../shared/config/names.ts';
import { closestName } from '../../../shared/config/suggest.ts';

describe('snakeCase (default job names of Worker classes and @scheduled methods)', () => {
  test.each([
    ['ExportWorker', 'export_worker'],
    ['cleanupSessions', 'cleanup_sessions'],
    ['HTTPImportWorker', 'http_import_worker'],
    ['syncV2Inventory', 'sync_v2_inventory'],
    ['already_snake', 'already_snake'],
  ])('%s -> %s', (input, expected) => {
    expect(snakeCase(input)).toBe(expected);
  });
});

describe('closestName', () => {
  const JOB_OPTIONS = ['maxRetries', 'retryDelay', 'retryMaxDelay', 'timezone', 'timeout', 'queue', 'unique', 'uniquePeriod'];
  test.each([
    ['maxRetry', 'maxRetries'],
    ['max_retries', 'maxRetries'],
    ['timeZone', 'timezone'],
    ['timout', 'timeout'],
    ['retry_delay', 'retryDelay'],
    ['uniqe', 'unique'],
    ['zzz', undefined],
    ['handlerName', undefined],
  ])('%s -> %s', (input, expected) => {
    expect(closestName(input, JOB_OPTIONS)).toBe(expected);
  });
});

describe('name rules', () => {
  test.each([
    ['daily_report', true],
    ['sync-inventory-2', true],
    ['J'.repeat(60), true],
    ['J'.repeat(61), false],
    ['2fast', false],
    ['daily.report', false],
    ['', false],
  ])('job name %j valid: %s', (name, valid) => {
    expect(isValidJobName(name)).toBe(valid);
  });

  test.each([
    ['my-app', true],
    ['shop2', true],
    ['a'.repeat(20), true],
    ['a'.repeat(21), false],
    ['My-App', false],
    ['my_app', false],
    ['-app', false],
    ['app-', false],
  ])('app name %j valid: %s', (name, valid) => {
    expect(isValidAppName(name)).toBe(valid);
  });

  test.each([
    ['default', true],
    ['bulk_imports', true],
    ['q'.repeat(24), true],
    ['q'.repeat(25), false],
    ['bulk imports', false],
    ['1st', false],
  ])('queue name %j valid: %s', (name, valid) => {
    expect(isValidQueueName(name)).toBe(valid);
  });
});
