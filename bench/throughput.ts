/**
 * localJobsPerSec and localOverheadUsPerJob: no-op jobs through the local runtime's full path —
 * `enqueue` -> queue (MemoryQueue) -> worker pool -> core runner (claim, hooks, outcome, retry
 * policy) -> history and counters — on the real clock, next to the same handler called directly.
 *
 * Method: one on-demand no-op job on a queue of concurrency 100. After a warm-up batch, N runs
 * are enqueued back to back and the clock stops when the queue is idle again (every run done and
 * recorded). The direct baseline awaits the handler N times in a loop with a prebuilt context.
 * Overhead per job = runtime time per job − direct time per job.
 */
import { createLocalRuntime, defineConfig, defineJob, realClock, type JobContext } from 'om-scheduler';
import { tick } from './stats.ts';

export interface ThroughputResult {
  readonly localJobsPerSec: number;
  readonly localOverheadUsPerJob: number;
  /** Runtime time per job ÷ direct time per job. */
  readonly runtimeToDirectRatio: number;
  readonly runtimeUsPerJob: number;
  readonly directUsPerJob: number;
  readonly jobs: number;
  readonly queueConcurrency: number;
}

const CONCURRENCY = 100;

export async function measureThroughput(jobs = 20_000, warmup = 2_000): Promise<ThroughputResult> {
  let done = 0;
  const noop = async (_ctx: JobContext): Promise<void> => {
    done++;
  };
  const config = defineConfig({
    app: 'bench',
    queues: { default: CONCURRENCY },
    jobs: [defineJob({ name: 'noop', handler: noop, maxRetries: 0 })],
  });
  const rt = createLocalRuntime(config, { clock: realClock() });
  await rt.start();

  const runBatch = async (n: number): Promise<number> => {
    done = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await rt.enqueue('noop', { i });
    // Idle = every handler ran and the queue has nothing running or pending (history written).
    for (;;) {
      const stat = (await rt.queueStats())['default']!;
      if (done >= n && stat.running === 0 && stat.pending === 0) break;
      await tick();
    }
    return performance.now() - t0;
  };

  try {
    await runBatch(warmup);
    const runtimeMs = await runBatch(jobs);

    const ctx = { job: (await rt.getJob('noop')) as JobContext['job'], args: {}, attempt: 1, runId: 'direct', signal: new AbortController().signal } satisfies JobContext;
    for (let i = 0; i < warmup; i++) await noop(ctx);
    const d0 = performance.now();
    for (let i = 0; i < jobs; i++) await noop(ctx);
    const directMs = performance.now() - d0;

    const runtimeUsPerJob = (runtimeMs * 1_000) / jobs;
    const directUsPerJob = (directMs * 1_000) / jobs;
    return {
      localJobsPerSec: jobs / (runtimeMs / 1_000),
      localOverheadUsPerJob: runtimeUsPerJob - directUsPerJob,
      runtimeToDirectRatio: runtimeUsPerJob / directUsPerJob,
      runtimeUsPerJob,
      directUsPerJob,
      jobs,
      queueConcurrency: CONCURRENCY,
    };
  } finally {
    await rt.stop();
  }
}
