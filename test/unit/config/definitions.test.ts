/**
 * The three ways to define a job — defineJob, @scheduled + jobsOf, a Worker subclass — and what
 * they resolve to in a config.
 */
import { afterEach, describe, expect, test } from 'vitest';
import {
  ConfigError,
  JOB_DEFAULTS,
  compileSchedules,
  OmSchedulerError,
  Worker,
  defineConfig,
  defineJob,
  getDefaultClient,
  jobsOf,
  scheduled,
  setDefaultClient,
  type EnqueueOptions,
  type EnqueueResult,
  type JobContext,
  type JobInfo,
  type RuntimeClient,
} from 'om-scheduler';

/** A RuntimeClient double that records `enqueue` calls; the other calls are not used here. */
function recordingClient(): RuntimeClient & { readonly enqueued: unknown[][] } {
  const enqueued: unknown[][] = [];
  const unused = (): never => {
    throw new Error('not used in these tests');
  };
  return {
    enqueued,
    async enqueue(name: string, args?: unknown, opts?: EnqueueOptions): Promise<EnqueueResult> {
      enqueued.push([name, args, opts]);
      return { runId: `run-${enqueued.length}`, jobName: name, queue: 'default', runAt: new Date(0) };
    },
    insert: unused,
    getJob: unused,
    listJobs: unused,
    update: unused,
    delete: unused,
    pauseJob: unused,
    resumeJob: unused,
    runNow: unused,
    cancelJob: unused,
    pauseQueue: unused,
    resumeQueue: unused,
    scaleQueue: unused,
    queueStats: unused,
    runningJobs: unused,
    history: unused,
    status: unused,
    deadLetter: { list: unused, get: unused, retry: unused, retryAll: unused, delete: unused, prune: unused, stats: unused },
  };
}

/** A context as the engines pass it to handlers. */
function contextFor<A>(job: JobInfo, args: A): JobContext<A> {
  return { job, args, attempt: 1, runId: 'run-1', signal: new AbortController().signal };
}

/** Everything a resolved job has besides code, at the reference defaults. */
const DEFAULT_RESOLVED = {
  queue: 'default',
  timezone: 'UTC',
  cron: [],
  schedules: [],
  timeoutMs: 60_000,
  priority: 0,
  maxRetries: 3,
  retryDelayMs: 1_000,
  retryBackoff: 'exponential',
  retryMaxDelayMs: 60_000,
  retryJitter: 0.25,
  unique: false,
  tags: [],
  meta: {},
  onError: 'continue',
  deadLetter: true,
  global: true,
  origin: 'config',
};

afterEach(() => setDefaultClient(undefined));

/** The message the schedule compiler words a cron/every/timezone problem with. */
function compilerMessage(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the schedule compiler to reject this');
}

describe('defaults', () => {
  test('JOB_DEFAULTS are the reference defaults', () => {
    expect(JOB_DEFAULTS).toEqual({
      maxRetries: 3,
      retryDelay: 1_000,
      retryBackoff: 'exponential',
      retryMaxDelay: 60_000,
      retryJitter: 0.25,
      timeout: 60_000,
      priority: 0,
      queue: 'default',
      timezone: 'UTC',
      unique: false,
      onError: 'continue',
      deadLetter: true,
      global: true,
      tags: [],
      meta: {},
    });
  });

  test('an empty config gets the app name "omsched", one default queue of 10 and the dead-letter defaults', () => {
    // Act
    const config = defineConfig({});

    // Assess
    expect(config).toEqual({
      app: 'omsched',
      queues: { default: 10 },
      deadLetter: { enabled: true, maxAgeMs: 30 * 86_400_000, maxEntries: 10_000 },
      jobs: [],
      workflows: [],
    });
  });

  test('a config that names queues without "default" still gets the default queue', () => {
    expect(defineConfig({ queues: { critical: 5 } }).queues).toEqual({ critical: 5, default: 10 });
  });

  test('deadLetter: false turns the store off and keeps the other defaults', () => {
    expect(defineConfig({ deadLetter: false }).deadLetter).toEqual({ enabled: false, maxAgeMs: 30 * 86_400_000, maxEntries: 10_000 });
  });

  test('deadLetter options are resolved to milliseconds and the callback is kept', () => {
    // Prepare
    const onDeadLetter = (): void => {};

    // Act
    const config = defineConfig({ deadLetter: { maxAge: [7, 'days'], maxEntries: 500, onDeadLetter } });

    // Assess
    expect(config.deadLetter).toEqual({ enabled: true, maxAgeMs: 7 * 86_400_000, maxEntries: 500, onDeadLetter });
  });
});

describe('defineJob', () => {
  test('a job with only a name and a handler resolves to the reference defaults and is on-demand', () => {
    // Prepare
    const handler = async (): Promise<void> => {};

    // Act
    const [job] = defineConfig({ jobs: [defineJob({ name: 'send_email', handler })] }).jobs;

    // Assess
    expect(job).toEqual({ name: 'send_email', handler, hooks: {}, ...DEFAULT_RESOLVED });
  });

  test('options are resolved: durations to ms, schedules compiled, hooks carried', () => {
    // Prepare
    const onFailure = (): void => {};
    const def = defineJob({
      name: 'daily_report',
      cron: '0 6 * * *',
      timezone: 'Europe/Paris',
      queue: 'critical',
      timeout: [5, 'minutes'],
      priority: 2,
      maxRetries: 5,
      retryDelay: [10, 'seconds'],
      retryBackoff: 'linear',
      retryMaxDelay: [10, 'minutes'],
      retryJitter: 0,
      tags: ['reports'],
      meta: { owner: 'finance' },
      onError: 'stop',
      deadLetter: false,
      global: false,
      onFailure,
      handler: async () => {},
    });

    // Act
    const [job] = defineConfig({ queues: { default: 10, critical: 2 }, jobs: [def] }).jobs;

    // Assess
    expect(job).toMatchObject({
      name: 'daily_report',
      queue: 'critical',
      timezone: 'Europe/Paris',
      cron: ['0 6 * * *'],
      schedules: [{ expression: 'cron(0 6 * * ? *)', timezone: 'Europe/Paris', source: '0 6 * * *' }],
      timeoutMs: 300_000,
      priority: 2,
      maxRetries: 5,
      retryDelayMs: 10_000,
      retryBackoff: 'linear',
      retryMaxDelayMs: 600_000,
      retryJitter: 0,
      tags: ['reports'],
      meta: { owner: 'finance' },
      onError: 'stop',
      deadLetter: false,
      global: false,
      hooks: { onFailure },
    });
  });

  test('a uniquePeriod without `unique` implies unique: true', () => {
    // Act
    const [job] = defineConfig({ jobs: [defineJob({ name: 'sync', every: [5, 'minutes'], uniquePeriod: [1, 'hour'], handler: () => {} })] }).jobs;

    // Assess
    expect(job).toMatchObject({ unique: true, uniquePeriodMs: 3_600_000 });
  });

  test('without retryMaxDelay, the cap follows a retryDelay longer than the default 60 s', () => {
    // Act
    const [job] = defineConfig({ jobs: [defineJob({ name: 'slow', retryDelay: [5, 'minutes'], handler: () => {} })] }).jobs;

    // Assess
    expect(job).toMatchObject({ retryDelayMs: 300_000, retryMaxDelayMs: 300_000 });
  });

  test('the definition returned is frozen, so it cannot drift from what was checked', () => {
    // Prepare
    const def = defineJob({ name: 'report', tags: ['a'], handler: () => {} });

    // Act / Assess
    expect(Object.isFrozen(def)).toBe(true);
    expect(Object.isFrozen(def.tags)).toBe(true);
    expect(() => {
      (def as { priority?: number }).priority = 99;
    }).toThrow(TypeError);
  });
});

describe('@scheduled and jobsOf', () => {
  class MaintenanceJobs {
    readonly calls: string[] = [];

    @scheduled({ cron: '0 * * * *', unique: true })
    async cleanupSessions(ctx: JobContext) {
      this.calls.push(`cleanup ${ctx.runId}`);
    }

    @scheduled({ name: 'vacuum', every: [6, 'hours'], queue: 'maintenance', onSuccess(this: MaintenanceJobs) { this.calls.push('vacuumed'); } })
    async vacuumDatabase() {
      this.calls.push('vacuum');
    }

    /** Not decorated: not a job. */
    helper() {}
  }

  test('each decorated method becomes a job named after the method in snake_case, unless named', () => {
    // Act
    const jobs = defineConfig({ queues: { default: 10, maintenance: 1 }, jobs: [...jobsOf(MaintenanceJobs)] }).jobs;

    // Assess
    expect(jobs.map((j) => [j.name, j.queue, j.schedules.map((s) => s.expression)])).toEqual([
      ['cleanup_sessions', 'default', ['cron(0 * * * ? *)']],
      ['vacuum', 'maintenance', ['rate(6 hours)']],
    ]);
    expect(jobs[0]).toMatchObject({ ...DEFAULT_RESOLVED, unique: true, cron: ['0 * * * *'], schedules: jobs[0]!.schedules });
  });

  test('handlers and hooks are bound to one instance of the class', async () => {
    // Prepare
    const created: Counter[] = [];
    class Counter {
      count = 0;
      constructor() {
        created.push(this);
      }
      @scheduled({ every: [1, 'hours'], onSuccess(this: Counter) { this.count += 10; } })
      async increment() {
        this.count += 1;
      }
      @scheduled({ every: [2, 'hours'] })
      async incrementTwice() {
        this.count += 2;
      }
    }
    const [increment, incrementTwice] = defineConfig({ jobs: jobsOf(Counter) }).jobs;

    // Act
    await increment!.handler(contextFor(increment!, {}));
    await incrementTwice!.handler(contextFor(incrementTwice!, {}));
    await increment!.hooks.onSuccess!(increment!, undefined, contextFor(increment!, {}));

    // Assess
    expect(created).toHaveLength(1);
    expect(created[0]!.count).toBe(13);
  });

  test('problems of several decorated methods are reported together', () => {
    // Prepare
    class Broken {
      @scheduled({ cron: '0 25 * * *' })
      async lateNight() {}

      @scheduled({ every: [5, 'minutes'], priority: 10 })
      async tooImportant() {}
    }

    // Act
    let error: unknown;
    try {
      jobsOf(Broken);
    } catch (e) {
      error = e;
    }

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message.split('\n')).toEqual([
      compilerMessage(() => compileSchedules('late_night', { cron: '0 25 * * *' })),
      'job "too_important": `priority` must be an integer from 0 to 9 (0 runs first), got: 10',
    ]);
  });

  test('@scheduled on a static method is rejected when the class is defined', () => {
    expect(() => {
      class Statics {
        @scheduled({ every: [1, 'hours'] })
        static async tick() {}
      }
      return Statics;
    }).toThrow('job "tick": `@scheduled` must decorate a public instance method, not a static method, got: "tick"');
  });
});

describe('Worker subclasses', () => {
  class ExportWorker extends Worker<{ userId: string }> {
    readonly events: string[] = [];
    override schedule() {
      return { queue: 'exports', maxRetries: 5, timeout: 300_000 };
    }
    async perform({ args, attempt }: JobContext<{ userId: string }>) {
      this.events.push(`perform ${args.userId} #${attempt}`);
      return `exported ${args.userId}`;
    }
    override onStart(job: JobInfo) {
      this.events.push(`start ${job.name}`);
    }
    override onSuccess(_job: JobInfo, result: unknown) {
      this.events.push(`success ${String(result)}`);
    }
    override onFailure(_job: JobInfo, error: Error) {
      this.events.push(`failure ${error.message}`);
    }
    override onCancel(_job: JobInfo, reason: string) {
      this.events.push(`cancel ${reason}`);
    }
  }

  class NightlyCleanup extends Worker {
    override schedule() {
      return { name: 'cleanup', cron: '30 2 * * *' };
    }
    async perform() {}
  }

  test('the job name is the class name in snake_case, or the name schedule() gives', () => {
    expect(ExportWorker.jobName).toBe('export_worker');
    expect(NightlyCleanup.jobName).toBe('cleanup');
  });

  test('a Worker class placed in `jobs` resolves with its schedule() options over the defaults, and all four hooks', () => {
    // Act
    const [exportJob, cleanupJob] = defineConfig({ queues: { default: 10, exports: 2 }, jobs: [ExportWorker, NightlyCleanup] }).jobs;

    // Assess
    expect(exportJob).toMatchObject({ ...DEFAULT_RESOLVED, name: 'export_worker', queue: 'exports', maxRetries: 5, timeoutMs: 300_000 });
    expect(Object.keys(exportJob!.hooks).sort()).toEqual(['onCancel', 'onFailure', 'onStart', 'onSuccess']);
    expect(cleanupJob).toMatchObject({ name: 'cleanup', schedules: [{ expression: 'cron(30 2 * * ? *)', timezone: 'UTC', source: '30 2 * * *' }] });
    expect(cleanupJob!.hooks).toEqual({});
  });

  test('perform and the hooks run on one instance of the class, shared by every definition of it', async () => {
    // Prepare
    const created: AuditWorker[] = [];
    class AuditWorker extends ExportWorker {
      constructor() {
        super();
        created.push(this);
      }
    }
    const [job] = defineConfig({ queues: { default: 10, exports: 2 }, jobs: [AuditWorker] }).jobs;
    const ctx = contextFor(job!, { userId: 'u1' });

    // Act
    await job!.hooks.onStart!(job!, ctx);
    const result = await job!.handler(ctx);
    await job!.hooks.onSuccess!(job!, result, ctx);
    await job!.hooks.onFailure!(job!, new Error('boom'), ctx);
    await job!.hooks.onCancel!(job!, 'user deleted', ctx);
    const def = AuditWorker.toJobDefinition();

    // Assess
    expect(result).toBe('exported u1');
    expect(def).toBe(AuditWorker.toJobDefinition());
    expect(def.name).toBe('audit_worker');
    expect(created).toHaveLength(1);
    expect(created[0]!.events).toEqual(['start audit_worker', 'perform u1 #1', 'success exported u1', 'failure boom', 'cancel user deleted']);
  });

  test('Worker.enqueue sends the run through the bound runtime client, under the job name', async () => {
    // Prepare
    const client = recordingClient();
    setDefaultClient(client);

    // Act
    const result = await ExportWorker.enqueue({ userId: 'u1' }, { delay: [10, 'seconds'] });

    // Assess
    expect(client.enqueued).toEqual([['export_worker', { userId: 'u1' }, { delay: [10, 'seconds'] }]]);
    expect(result).toEqual({ runId: 'run-1', jobName: 'export_worker', queue: 'default', runAt: new Date(0) });
    expect(getDefaultClient()).toBe(client);
  });

  test('Worker.enqueue without a bound runtime rejects with NO_RUNTIME and says what to call first', async () => {
    // Act
    const attempt = ExportWorker.enqueue({ userId: 'u1' });

    // Assess
    await expect(attempt).rejects.toThrow(OmSchedulerError);
    await expect(attempt).rejects.toMatchObject({
      code: 'NO_RUNTIME',
      message:
        'no runtime client is bound: call createLocalRuntime(config) (in-process), createClient(config, { env }) ' +
        '(a deployed environment) or start the testing sandbox first, or bind one with setDefaultClient(client)',
    });
  });

  test('invalid schedule() options are reported with the other issues of the config', () => {
    // Prepare
    class BadWorker extends Worker {
      override schedule() {
        return { queue: 'nowhere', retryJitter: 3 };
      }
      async perform() {}
    }

    // Act
    let error: unknown;
    try {
      defineConfig({ app: 'BAD', jobs: [BadWorker] });
    } catch (e) {
      error = e;
    }

    // Assess
    expect((error as ConfigError).message.split('\n')).toEqual([
      'config: `app` must be 1 to 20 characters: lowercase letters, digits or "-", starting with a letter and not ending with "-" (it prefixes every AWS resource name), got: "BAD"',
      'job "bad_worker": `queue` must be one of the config\'s queues: "default", got: "nowhere"',
      'job "bad_worker": `retryJitter` must be a number from 0 to 1 (a fraction of the delay), got: 3',
    ]);
  });
});
