/**
 * The integration test app, written as a user would write theirs: it imports only from
 * 'om-scheduler', and is deployed to the emulator with the project's own CDK app
 * (`npx cdk synth -c env=dev -c configFile=test/integration/app/scheduler.config.ts`).
 *
 * Every job is fast and every delay short, so the suite stays quick on real services. Crons are
 * UTC: the emulator ignores schedule time zones.
 */
import { defineConfig, defineJob } from 'om-scheduler';

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });

/** Fires every minute: the schedule → queue → worker → history path. */
export const everyMinute = defineJob({ name: 'it_every_minute', cron: '* * * * *', maxRetries: 0, handler: () => ({ ok: true }) });

/** Fails its first two attempts, then succeeds (1 s, 2 s backoff). */
export const flaky = defineJob({
  name: 'it_flaky',
  maxRetries: 3,
  retryDelay: [1, 'second'],
  retryBackoff: 'exponential',
  retryMaxDelay: [4, 'seconds'],
  retryJitter: 0,
  handler: ({ attempt }) => {
    if (attempt < 3) throw new Error(`flaky: attempt ${attempt} fails`);
    return { attempt };
  },
});

/** Fails until `args.failUntil` (epoch ms): dead-lettered first, then a retry from the dead letter succeeds. */
export const doomed = defineJob<{ failUntil: number }>({
  name: 'it_doomed',
  maxRetries: 1,
  retryDelay: [1, 'second'],
  retryJitter: 0,
  handler: ({ args }) => {
    if (Date.now() < args.failUntil) throw new Error('doomed: upstream is down');
    return { recovered: true };
  },
});

/** A quick job for idempotency checks (the same tick delivered several times runs once). */
export const once = defineJob({ name: 'it_once', maxRetries: 0, handler: () => ({ ran: true }) });

/** Takes 3 s and never overlaps itself. */
export const exclusive = defineJob({ name: 'it_exclusive', unique: true, maxRetries: 0, handler: ({ signal }) => sleep(3_000, signal) });

/** Runs up to 20 s, but stops as soon as it is cancelled (cooperative abort through `signal`). */
export const slow = defineJob<{ ms?: number }>({
  name: 'it_slow',
  timeout: [30, 'seconds'],
  maxRetries: 0,
  handler: async ({ args, signal }) => {
    await sleep(args?.ms ?? 20_000, signal);
    return { finished: true };
  },
});

/** A job on the `control` queue (pause / resume / scale tests). */
export const controlled = defineJob({ name: 'it_controlled', queue: 'control', maxRetries: 0, handler: () => ({ ok: true }) });

/** The load test's job: fails permanently when asked to (one retry, 1 s apart). */
export const load = defineJob<{ n: number; fail: boolean }>({
  name: 'it_load',
  queue: 'load',
  maxRetries: 1,
  retryDelay: [1, 'second'],
  retryJitter: 0,
  handler: ({ args }) => {
    if (args.fail) throw new Error(`load: item ${args.n} fails permanently`);
    return { n: args.n };
  },
});

export default defineConfig({
  app: 'omsched-it',
  queues: { default: 10, control: 2, load: 10 },
  deadLetter: { enabled: true },
  jobs: [everyMinute, flaky, doomed, once, exclusive, slow, controlled, load],
});
