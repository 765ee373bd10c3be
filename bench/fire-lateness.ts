/**
 * How late runs start on the real clock, two ways.
 *
 * fireLatenessP99Ms — 1,000 one-shot runs due within the same second (3 rounds, pooled). Each is
 * `rt.enqueue('probe', { dueAt }, { delay })`, its due instant spread uniformly over one second
 * that starts 0.5 s after the enqueues; the delay is a timer on the clock (the memory queue's
 * delayed message, SQS DelaySeconds on AWS). Lateness = when the handler starts − `dueAt`, i.e.
 * timer precision plus the whole dispatch path (queue -> worker pool -> core runner -> handler).
 *
 * herd — 1,000 jobs with `cron: '* * * * *'`, all due at the same minute boundary: the worst case
 * for one process. Measured where each tick reaches its queue (`rt.onSend`, the scheduler's own
 * lateness) and at `job:start`. The clock is the real clock with its epoch shifted so the next
 * minute boundary is 1.5 s away (shifted-clock.ts) — real timers, short run. In one thread the
 * 1,000th run cannot start before the 999 others have been dispatched, so this figure grows with
 * the herd size; it is reported, not targeted.
 */
import { createLocalRuntime, defineConfig, defineJob, realClock, type JobContext } from 'om-scheduler';
import { offsetToNextMinute, shiftedRealClock } from './shifted-clock.ts';
import { percentile } from './stats.ts';

export interface FireLatenessResult {
  readonly fireLatenessP99Ms: number;
  readonly fireLatenessP50Ms: number;
  readonly fireLatenessMaxMs: number;
  /** Runs per round; samples are pooled over the rounds. */
  readonly oneShotRuns: number;
  readonly oneShotRounds: number;
  readonly perRoundP99Ms: readonly number[];
  readonly herdTickP99Ms: number;
  readonly herdStartP99Ms: number;
  readonly herdSchedules: number;
  readonly herdRounds: number;
}

const LEAD_MS = 500;
const SPREAD_MS = 1_000;
const HERD_LEAD_MS = 1_500;
const TIMEOUT_MS = 15_000;

/** Resolves when `done()` returns true (checked on every call of `check`), or rejects after `ms`. */
function waitFor(ms: number, what: () => string): { promise: Promise<void>; check: (done: boolean) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const timer = setTimeout(() => reject(new Error(what())), ms);
  return {
    promise: promise.finally(() => clearTimeout(timer)),
    check: (done) => {
      if (done) resolve();
    },
  };
}

export async function measureOneShotLateness(runs = 1_000): Promise<number[]> {
  const lateness: number[] = [];
  const wait = waitFor(TIMEOUT_MS, () => `only ${lateness.length}/${runs} one-shot runs started`);
  const probe = defineJob<{ dueAt: number }>({
    name: 'probe',
    maxRetries: 0,
    handler: ({ args }: JobContext<{ dueAt: number }>) => {
      lateness.push(Date.now() - args.dueAt);
      wait.check(lateness.length === runs);
    },
  });
  const rt = createLocalRuntime(defineConfig({ app: 'bench', queues: { default: 1_000 }, jobs: [probe] }), { clock: realClock() });
  await rt.start();
  try {
    const start = Date.now() + LEAD_MS;
    for (let i = 0; i < runs; i++) {
      const dueAt = start + Math.floor((i * SPREAD_MS) / runs);
      await rt.enqueue('probe', { dueAt }, { delay: dueAt - Date.now() });
    }
    await wait.promise;
  } finally {
    await rt.stop();
  }
  return lateness;
}

export async function measureHerd(schedules = 1_000, rounds = 2): Promise<{ tick: number[]; start: number[] }> {
  const tick: number[] = [];
  const start: number[] = [];
  const jobs = Array.from({ length: schedules }, (_, i) =>
    defineJob({ name: `tick_${String(i).padStart(4, '0')}`, cron: '* * * * *', maxRetries: 0, handler: async () => {} }),
  );
  const config = defineConfig({ app: 'bench', queues: { default: 1_000 }, jobs });
  for (let round = 0; round < rounds; round++) {
    const clock = shiftedRealClock(offsetToNextMinute(HERD_LEAD_MS));
    const boundary = Math.ceil(clock.now() / 60_000) * 60_000;
    const rt = createLocalRuntime(config, { clock });
    let started = 0;
    const wait = waitFor(HERD_LEAD_MS + TIMEOUT_MS, () => `only ${started}/${schedules} scheduled runs started`);
    rt.onSend((_queue, message) => {
      if (message.source === 'schedule' && message.scheduledAt && Date.parse(message.scheduledAt) === boundary) tick.push(clock.now() - boundary);
    });
    rt.telemetry.on('job:start', ({ measurements, metadata }) => {
      if (metadata.scheduledAt && Date.parse(metadata.scheduledAt) === boundary) {
        start.push(measurements.systemTime - boundary);
        wait.check(++started === schedules);
      }
    });
    await rt.start();
    try {
      await wait.promise;
    } finally {
      await rt.stop();
    }
  }
  return { tick, start };
}

export async function measureFireLateness(runs = 1_000, rounds = 3, herdSchedules = 1_000, herdRounds = 2): Promise<FireLatenessResult> {
  await measureOneShotLateness(200); // warm-up
  const oneShot: number[] = [];
  const perRoundP99: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const samples = await measureOneShotLateness(runs);
    perRoundP99.push(percentile(samples, 99));
    oneShot.push(...samples);
  }
  const herd = await measureHerd(herdSchedules, herdRounds);
  return {
    fireLatenessP99Ms: percentile(oneShot, 99),
    fireLatenessP50Ms: percentile(oneShot, 50),
    fireLatenessMaxMs: Math.max(...oneShot),
    oneShotRuns: runs,
    oneShotRounds: rounds,
    perRoundP99Ms: perRoundP99,
    herdTickP99Ms: percentile(herd.tick, 99),
    herdStartP99Ms: percentile(herd.start, 99),
    herdSchedules,
    herdRounds,
  };
}
