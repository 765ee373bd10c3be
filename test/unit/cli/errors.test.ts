/**
 * The CLI's error discipline: what is printed for each kind of error, and with which exit code.
 */
import { describe, expect, test } from 'vitest';
import { ConfigError, OmSchedulerError, jobIssue } from 'om-scheduler';
import { UsageError, describeCliError } from '../../../shared/cli/errors.ts';

describe('describeCliError', () => {
  test.each([
    ['a usage error', new UsageError('`--count` must be an integer from 1 to 1000, got: "0"'), 'omsched: `--count` must be an integer from 1 to 1000, got: "0"\n', 2],
    [
      'a config error, one issue per line',
      new ConfigError([jobIssue('a', 'priority', 12, 'be an integer from 0 to 9'), jobIssue('b', 'queue', 'x', 'be one of the config\'s queues: "default"')]),
      'omsched: invalid config (2 issues):\njob "a": `priority` must be an integer from 0 to 9, got: 12\njob "b": `queue` must be one of the config\'s queues: "default", got: "x"\n',
      1,
    ],
    ['a kit error', new OmSchedulerError('CONFIG_NOT_FOUND', 'config file not found: x.ts'), 'omsched: config file not found: x.ts\n', 1],
    ['an unexpected error', new TypeError('boom'), 'omsched: unexpected error: boom (set OMSCHED_DEBUG=1 for the stack trace)\n', 1],
  ])('prints %s without a stack trace', (_case, error, text, exitCode) => {
    expect(describeCliError(error, false)).toEqual({ text, exitCode });
  });

  test('with OMSCHED_DEBUG=1 the stack trace follows the message', () => {
    // Prepare
    const error = new TypeError('boom');

    // Act
    const { text } = describeCliError(error, true);

    // Assess
    expect(text.startsWith('omsched: unexpected error: boom\nTypeError: boom\n    at ')).toBe(true);
  });
});
