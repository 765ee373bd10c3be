/**
 * Every mistake a user can make in a job or a config, and the exact message it produces.
 * Messages follow one format: `<subject>: \`<field>\` must <what is valid>, got: <value>`.
 */
import { describe, expect, test } from 'vitest';
import { ConfigError, Worker, compileSchedules, defineConfig, defineJob, resolveJob, type ConfigInput, type Every, type JobDefinition } from 'om-scheduler';

const handler = async (): Promise<void> => {};

/** Runs `act`, asserts it threw a ConfigError, and returns its message. */
function configErrorOf(act: () => unknown): ConfigError {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

const DURATION = "ms, or [n, unit] such as [5, 'minutes']";
const TIMEOUT_RULE = `be a duration above 0 and at most 15 minutes (Lambda's limit): ${DURATION}`;
const NAME_RULE =
  'be 1 to 60 characters: a letter, then letters, digits, "_" or "-" ' +
  '(it names EventBridge Scheduler schedules: 64 characters at most, 4 kept for a "-N" suffix)';
const OPTIONS =
  'name, handler, cron, every, timezone, queue, timeout, priority, maxRetries, retryDelay, retryBackoff, ' +
  'retryMaxDelay, retryJitter, unique, uniquePeriod, tags, meta, onError, deadLetter, global, onStart, onSuccess, onFailure, onCancel';

describe('defineJob rejects job-local mistakes with a message naming the job, the field, the value and what is valid', () => {
  test.each<[string, Record<string, unknown>, string]>([
    // Handler and hooks
    ['a missing handler', { handler: undefined }, 'job "report": `handler` must be a function (ctx) => result, got: undefined'],
    ['a handler that is not a function', { handler: 'reports.run' }, 'job "report": `handler` must be a function (ctx) => result, got: "reports.run"'],
    ['a hook that is not a function', { onFailure: 'alert' }, 'job "report": `onFailure` must be a function, got: "alert"'],
    // Queue (membership is checked by defineConfig, which knows the queues)
    ['a queue that is not a string', { queue: 5 }, 'job "report": `queue` must be the name of a queue of the config (a string), got: 5'],
    // Ranges
    ['a priority above 9', { priority: 12 }, 'job "report": `priority` must be an integer from 0 to 9 (0 runs first), got: 12'],
    ['a negative priority', { priority: -1 }, 'job "report": `priority` must be an integer from 0 to 9 (0 runs first), got: -1'],
    ['a fractional priority', { priority: 1.5 }, 'job "report": `priority` must be an integer from 0 to 9 (0 runs first), got: 1.5'],
    [
      'negative maxRetries',
      { maxRetries: -1 },
      "job \"report\": `maxRetries` must be an integer from 0 to 100 (the kit's cap; dead-letter and retry by hand beyond that), got: -1",
    ],
    [
      'fractional maxRetries',
      { maxRetries: 2.5 },
      "job \"report\": `maxRetries` must be an integer from 0 to 100 (the kit's cap; dead-letter and retry by hand beyond that), got: 2.5",
    ],
    [
      'maxRetries above the cap',
      { maxRetries: 101 },
      "job \"report\": `maxRetries` must be an integer from 0 to 100 (the kit's cap; dead-letter and retry by hand beyond that), got: 101",
    ],
    ['a negative retryDelay', { retryDelay: -5 }, `job "report": \`retryDelay\` must be a duration of 0 or more: ${DURATION}, got: -5`],
    [
      'a retryDelay with an unknown unit',
      { retryDelay: [5, 'fortnights'] },
      `job "report": \`retryDelay\` must be a duration of 0 or more: ${DURATION}, got: [5,"fortnights"]`,
    ],
    ['a retryDelay that is a string', { retryDelay: '5s' }, `job "report": \`retryDelay\` must be a duration of 0 or more: ${DURATION}, got: "5s"`],
    [
      'a retryMaxDelay below retryDelay',
      { retryDelay: [10, 'seconds'], retryMaxDelay: 5_000 },
      'job "report": `retryMaxDelay` must be at least `retryDelay` (10 s), got: 5000',
    ],
    ['a malformed retryMaxDelay', { retryMaxDelay: [1] }, `job "report": \`retryMaxDelay\` must be a duration of 0 or more: ${DURATION}, got: [1]`],
    [
      'an unknown retryBackoff',
      { retryBackoff: 'quadratic' },
      'job "report": `retryBackoff` must be one of "fixed", "linear", "exponential", got: "quadratic"',
    ],
    ['a retryJitter above 1', { retryJitter: 1.5 }, 'job "report": `retryJitter` must be a number from 0 to 1 (a fraction of the delay), got: 1.5'],
    ['a negative retryJitter', { retryJitter: -0.1 }, 'job "report": `retryJitter` must be a number from 0 to 1 (a fraction of the delay), got: -0.1'],
    ['an unknown onError', { onError: 'explode' }, 'job "report": `onError` must be one of "continue", "stop", "raise", got: "explode"'],
    // Timeout
    ['a timeout of 0', { timeout: 0 }, `job "report": \`timeout\` must ${TIMEOUT_RULE}, got: 0`],
    ['a negative timeout', { timeout: -1_000 }, `job "report": \`timeout\` must ${TIMEOUT_RULE}, got: -1000`],
    ['a malformed timeout', { timeout: 'long' }, `job "report": \`timeout\` must ${TIMEOUT_RULE}, got: "long"`],
    ['a timeout above 15 minutes', { timeout: [1, 'hour'] }, `job "report": \`timeout\` must ${TIMEOUT_RULE}, got: [1,"hour"]`],
    ['a timeout one ms above 15 minutes', { timeout: 900_001 }, `job "report": \`timeout\` must ${TIMEOUT_RULE}, got: 900001`],
    // Uniqueness
    ['a uniquePeriod of 0', { unique: true, uniquePeriod: 0 }, `job "report": \`uniquePeriod\` must be a duration above 0: ${DURATION}, got: 0`],
    ['a malformed uniquePeriod', { uniquePeriod: 'hourly' }, `job "report": \`uniquePeriod\` must be a duration above 0: ${DURATION}, got: "hourly"`],
    [
      'a uniquePeriod with unique: false',
      { unique: false, uniquePeriod: [1, 'hour'] },
      'job "report": `uniquePeriod` must be left out when `unique` is false (a unique period implies `unique: true`), got: [1,"hour"]',
    ],
    // Types
    ['tags that are not an array', { tags: 'billing' }, 'job "report": `tags` must be an array of strings, got: "billing"'],
    ['tags that are not strings', { tags: ['billing', 7] }, 'job "report": `tags` must be an array of strings, got: ["billing",7]'],
    ['meta that is an array', { meta: ['owner'] }, 'job "report": `meta` must be a plain object, got: ["owner"]'],
    ['meta that is a Map', { meta: new Map() }, 'job "report": `meta` must be a plain object, got: {}'],
    ['global that is not boolean', { global: 'yes' }, 'job "report": `global` must be true or false, got: "yes"'],
    ['unique that is not boolean', { unique: 1 }, 'job "report": `unique` must be true or false, got: 1'],
    ['deadLetter that is not boolean', { deadLetter: 'no' }, 'job "report": `deadLetter` must be true or false, got: "no"'],
    // Unknown options
    ['a typo of maxRetries', { maxRetry: 3 }, 'job "report": `maxRetry` must be a known job option (did you mean `maxRetries`?), got: 3'],
    ['a typo of timezone', { timezon: 'UTC' }, 'job "report": `timezon` must be a known job option (did you mean `timezone`?), got: "UTC"'],
    ['a different case', { MaxRetries: 3 }, 'job "report": `MaxRetries` must be a known job option (did you mean `maxRetries`?), got: 3'],
    ['an option unlike any other', { bogus: true }, `job "report": \`bogus\` must be a known job option (one of: ${OPTIONS}), got: true`],
  ])('%s', (_case, patch, message) => {
    // Prepare
    const def = { name: 'report', handler, ...patch } as unknown as JobDefinition;

    // Act
    const error = configErrorOf(() => defineJob(def));

    // Assess
    expect(error.message).toBe(message);
    expect(error.issues).toHaveLength(1);
  });

  // cron/every/timezone rules and their wording belong to the schedule compiler (its own tests pin
  // the words); here: each problem reaches the user through defineJob exactly as the compiler words
  // it, naming the job and the field.
  test.each<[string, Record<string, unknown>, string]>([
    ['a cron with the wrong number of fields', { cron: 'nope' }, 'job "report": `cron` must '],
    ['a cron value out of range', { cron: '61 * * * *' }, 'job "report": `cron` must '],
    ['an empty cron list', { cron: [] }, 'job "report": `cron` must '],
    ['an every of zero', { every: [0, 'minutes'] }, 'job "report": `every` must '],
    ['a sub-minute every that does not divide a minute', { every: [7, 'seconds'] }, 'job "report": `every` must '],
    ['an every that is not a pair', { every: 'daily' }, 'job "report": `every` must '],
    ['both cron and every', { cron: '0 6 * * *', every: [5, 'minutes'] }, 'job "report": `every` must be left out when `cron` is set'],
    ['an unknown time zone', { cron: '0 6 * * *', timezone: 'Mars/Olympus' }, 'job "report": `timezone` must be an IANA time zone name'],
  ])('%s is reported with the schedule compiler\'s exact message', (_case, patch, start) => {
    // Prepare
    const { cron, every, timezone } = patch as { cron?: string; every?: Every; timezone?: string };
    const compilerMessage = configErrorOf(() => compileSchedules('report', { cron, every, timezone })).message;

    // Act
    const error = configErrorOf(() => defineJob({ name: 'report', handler, ...patch } as unknown as JobDefinition));

    // Assess
    expect(error.message).toBe(compilerMessage);
    expect(error.message.startsWith(start)).toBe(true);
    expect(error.message).toMatch(/, got: .+$/);
  });

  test.each<[string, unknown, string]>([
    ['starting with a digit', '2fast', '"2fast"'],
    ['with a space', 'daily report', '"daily report"'],
    ['with a dot', 'daily.report', '"daily.report"'],
    ['empty', '', '""'],
    ['61 characters long', 'j'.repeat(61), `"${'j'.repeat(61)}"`],
    ['not a string', 42, '42'],
  ])('a job name %s is rejected with the schedule-name rule', (_case, name, shown) => {
    // Prepare
    const label = typeof name === 'string' && name !== '' ? name : '(unnamed)';

    // Act
    const error = configErrorOf(() => defineJob({ name, handler } as unknown as JobDefinition));

    // Assess
    expect(error.message).toBe(`job "${label}": \`name\` must ${NAME_RULE}, got: ${shown}`);
  });

  test('a job name of 60 characters — the longest that leaves room for a schedule suffix — is accepted', () => {
    expect(defineJob({ name: 'j'.repeat(60), handler }).name).toBe('j'.repeat(60));
  });

  test('every problem of one job is listed, one per line, in the order of the options', () => {
    // Prepare
    const def = { name: 'report', cron: '0 6 * * *', timezone: 'Mars/Olympus', priority: 12, retryJitter: 2, maxRetry: 3 };

    // Act
    const error = configErrorOf(() => defineJob(def as unknown as JobDefinition));

    // Assess
    expect(error.message.split('\n')).toEqual([
      'job "report": `handler` must be a function (ctx) => result, got: undefined',
      configErrorOf(() => compileSchedules('report', { cron: '0 6 * * *', timezone: 'Mars/Olympus' })).message,
      'job "report": `priority` must be an integer from 0 to 9 (0 runs first), got: 12',
      'job "report": `retryJitter` must be a number from 0 to 1 (a fraction of the delay), got: 2',
      'job "report": `maxRetry` must be a known job option (did you mean `maxRetries`?), got: 3',
    ]);
    expect(error.jobName).toBe('report');
    expect(error.field).toBe('handler');
  });
});

describe('defineConfig rejects config-level mistakes with a message naming the config, queue or job', () => {
  const APP_RULE =
    'be 1 to 20 characters: lowercase letters, digits or "-", starting with a letter and not ending with "-" (it prefixes every AWS resource name)';
  const QUEUE_RULE =
    'be 1 to 24 characters: a letter, then letters, digits, "_" or "-" (it names an SQS queue and a Lambda function after the app and environment prefixes)';

  test.each<[string, Record<string, unknown>, string]>([
    ['an app name with capitals and "_"', { app: 'My_App' }, `config: \`app\` must ${APP_RULE}, got: "My_App"`],
    ['an app name starting with a digit', { app: '1app' }, `config: \`app\` must ${APP_RULE}, got: "1app"`],
    ['an app name ending with "-"', { app: 'app-' }, `config: \`app\` must ${APP_RULE}, got: "app-"`],
    ['an app name of 21 characters', { app: 'a'.repeat(21) }, `config: \`app\` must ${APP_RULE}, got: "${'a'.repeat(21)}"`],
    ['an empty app name', { app: '' }, `config: \`app\` must ${APP_RULE}, got: ""`],
    [
      'queues that are not an object',
      { queues: ['default'] },
      'config: `queues` must be an object mapping queue names to concurrency, e.g. { default: 10, imports: 20 }, got: ["default"]',
    ],
    ['a queue name with a space', { queues: { default: 1, 'bulk imports': 2 } }, `queue "bulk imports": \`name\` must ${QUEUE_RULE}, got: "bulk imports"`],
    ['a queue name of 25 characters', { queues: { default: 1, ['q'.repeat(25)]: 2 } }, `queue "${'q'.repeat(25)}": \`name\` must ${QUEUE_RULE}, got: "${'q'.repeat(25)}"`],
    ['a queue concurrency of 0', { queues: { default: 0 } }, 'queue "default": `concurrency` must be an integer from 1 to 1000, got: 0'],
    ['a queue concurrency above 1000', { queues: { default: 1001 } }, 'queue "default": `concurrency` must be an integer from 1 to 1000, got: 1001'],
    ['a fractional queue concurrency', { queues: { default: 2.5 } }, 'queue "default": `concurrency` must be an integer from 1 to 1000, got: 2.5'],
    ['a queue concurrency given as a string', { queues: { default: '10' } }, 'queue "default": `concurrency` must be an integer from 1 to 1000, got: "10"'],
    [
      'deadLetter that is neither boolean nor object',
      { deadLetter: 'on' },
      'config: `deadLetter` must be true, false or an object { enabled, maxAge, maxEntries, onDeadLetter }, got: "on"',
    ],
    ['a deadLetter.enabled that is not boolean', { deadLetter: { enabled: 1 } }, 'config: `deadLetter.enabled` must be true or false, got: 1'],
    [
      'a deadLetter.maxAge of 0',
      { deadLetter: { maxAge: 0 } },
      "config: `deadLetter.maxAge` must be a duration above 0: ms, or [n, unit] such as [30, 'days'], got: 0",
    ],
    [
      'a malformed deadLetter.maxAge',
      { deadLetter: { maxAge: [1, 'eon'] } },
      "config: `deadLetter.maxAge` must be a duration above 0: ms, or [n, unit] such as [30, 'days'], got: [1,\"eon\"]",
    ],
    ['a deadLetter.maxEntries of 0', { deadLetter: { maxEntries: 0 } }, 'config: `deadLetter.maxEntries` must be an integer of 1 or more, got: 0'],
    ['a fractional deadLetter.maxEntries', { deadLetter: { maxEntries: 1.5 } }, 'config: `deadLetter.maxEntries` must be an integer of 1 or more, got: 1.5'],
    [
      'a deadLetter.onDeadLetter that is not a function',
      { deadLetter: { onDeadLetter: 'notify' } },
      'config: `deadLetter.onDeadLetter` must be a function (entry) => void, got: "notify"',
    ],
    [
      'a typo in deadLetter',
      { deadLetter: { maxEntry: 5 } },
      'config: `deadLetter.maxEntry` must be a known deadLetter option (did you mean `maxEntries`?), got: 5',
    ],
    ['a typo of a config option', { queue: { default: 1 } }, 'config: `queue` must be a known config option (did you mean `queues`?), got: {"default":1}'],
    ['jobs that are not an array', { jobs: { report: 1 } }, 'config: `jobs` must be an array of jobs, got: {"report":1}'],
    [
      'a jobs entry that is not a job',
      { jobs: [7] },
      'config: `jobs[0]` must be a job: defineJob({...}), a Worker subclass, or the spread of jobsOf(Class), got: 7',
    ],
    ['workflows that are not an array', { workflows: 'order' }, 'config: `workflows` must be an array of built workflows, got: "order"'],
  ])('%s', (_case, input, message) => {
    // Act
    const error = configErrorOf(() => defineConfig(input as ConfigInput));

    // Assess
    expect(error.message).toBe(message);
  });

  test('a class with @scheduled methods put in `jobs` as is points to jobsOf', () => {
    // Prepare
    class MaintenanceJobs {}

    // Act
    const error = configErrorOf(() => defineConfig({ jobs: [MaintenanceJobs as never] }));

    // Assess
    expect(error.message).toBe(
      'config: `jobs[0]` must be a job: defineJob({...}), a Worker subclass, or the spread of jobsOf(Class) ' +
        '(a class with @scheduled methods goes in as ...jobsOf(MaintenanceJobs)), got: [function MaintenanceJobs]',
    );
  });

  test('a Worker instance put in `jobs` asks for the class', () => {
    // Prepare
    class ExportWorker extends Worker {
      async perform() {}
    }

    // Act
    const error = configErrorOf(() => defineConfig({ jobs: [new ExportWorker() as never] }));

    // Assess
    expect(error.message).toBe('config: `jobs[0]` must be the Worker class itself (ExportWorker), not an instance, got: "[instance of ExportWorker]"');
  });

  test('a job on a queue the config does not define names the valid queues', () => {
    // Prepare
    const job = defineJob({ name: 'nightly_import', queue: 'imports', handler });

    // Act
    const error = configErrorOf(() => defineConfig({ queues: { default: 10, critical: 5 }, jobs: [job] }));

    // Assess
    expect(error.message).toBe('job "nightly_import": `queue` must be one of the config\'s queues: "default", "critical", got: "imports"');
  });

  test('two jobs with the same name are rejected, pointing at the first one', () => {
    // Prepare
    const first = defineJob({ name: 'daily_report', cron: '0 6 * * *', handler });
    const second = defineJob({ name: 'daily_report', every: [1, 'hours'], handler });

    // Act
    const error = configErrorOf(() => defineConfig({ jobs: [first, second] }));

    // Assess
    expect(error.message).toBe('job "daily_report": `name` must be unique within the config (jobs[0] has the same name), got: "daily_report"');
  });

  test('a job written as a plain object in the config is checked like defineJob, named by its position when it has no name', () => {
    // Act
    const error = configErrorOf(() => defineConfig({ jobs: [{ cron: '0 6 * * *' } as unknown as JobDefinition] }));

    // Assess
    expect(error.message.split('\n')).toEqual([
      `job "jobs[0]": \`name\` must ${NAME_RULE}, got: undefined`,
      'job "jobs[0]": `handler` must be a function (ctx) => result, got: undefined',
    ]);
  });

  test('a config with several problems lists all of them in one error, and returns nothing', () => {
    // Prepare
    const input = {
      app: 'Shop',
      queues: { default: 10, imports: 0 },
      deadLetter: { maxAge: -1 },
      jobs: [
        defineJob({ name: 'nightly_import', cron: '0 2 * * *', queue: 'exports', handler }),
        { name: 'daily_report', cron: '0 6 * * *', priority: 12, handler },
        { name: 'daily_report', handler },
      ],
    } as unknown as ConfigInput;
    let config: unknown;

    // Act
    const error = configErrorOf(() => {
      config = defineConfig(input);
    });

    // Assess
    expect(config).toBeUndefined();
    expect(error.issues).toHaveLength(6);
    expect(error.message.split('\n')).toEqual([
      `config: \`app\` must ${APP_RULE}, got: "Shop"`,
      'queue "imports": `concurrency` must be an integer from 1 to 1000, got: 0',
      "config: `deadLetter.maxAge` must be a duration above 0: ms, or [n, unit] such as [30, 'days'], got: -1",
      'job "nightly_import": `queue` must be one of the config\'s queues: "default", "imports", got: "exports"',
      'job "daily_report": `priority` must be an integer from 0 to 9 (0 runs first), got: 12',
      'job "daily_report": `name` must be unique within the config (jobs[1] has the same name), got: "daily_report"',
    ]);
  });
});

describe('resolveJob holds runtime-added jobs to the same rules and messages', () => {
  const config = defineConfig({ queues: { default: 10, critical: 5 } });

  test('a runtime job on an unknown queue gets the same message as in the config', () => {
    // Act
    const error = configErrorOf(() => resolveJob({ name: 'adhoc', queue: 'imports', handler }, config));

    // Assess
    expect(error.message).toBe('job "adhoc": `queue` must be one of the config\'s queues: "default", "critical", got: "imports"');
  });

  test('a runtime job with several problems lists them all', () => {
    // Act
    const error = configErrorOf(() => resolveJob({ name: 'adhoc', handler, every: [0, 'minutes'], priority: 10 } as JobDefinition, config));

    // Assess
    expect(error.message.split('\n')).toEqual([
      configErrorOf(() => compileSchedules('adhoc', { every: [0, 'minutes'] })).message,
      'job "adhoc": `priority` must be an integer from 0 to 9 (0 runs first), got: 10',
    ]);
  });

  test('a valid runtime job resolves with origin "runtime"', () => {
    // Act
    const job = resolveJob({ name: 'adhoc', queue: 'critical', every: [1, 'hours'], handler }, config);

    // Assess
    expect(job).toMatchObject({ name: 'adhoc', queue: 'critical', origin: 'runtime' });
    expect(job.schedules).toEqual([{ expression: 'rate(1 hour)', timezone: 'UTC', source: 'every 1 hours' }]);
  });
});
