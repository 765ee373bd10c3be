/**
 * `npm run bench` — the local engine's figures, as a readable report;
 * `npm run bench -- --json` — the same as ONE JSON object on stdout (nothing else).
 * Not part of the tests: timings depend on the machine. Results: docs/BENCHMARKS.md.
 */
import os from 'node:os';
import { measureFireLateness } from './fire-lateness.ts';
import { measurePlanTime } from './plan-time.ts';
import { round } from './stats.ts';
import { measureThroughput } from './throughput.ts';

const TARGETS = { localJobsPerSec: 10_000, fireLatenessP99Ms: 10, planMsFor1000Jobs: 2_000 } as const;

async function main(argv: readonly string[]): Promise<void> {
  const json = argv.includes('--json');
  const progress = (text: string): void => {
    if (!json) process.stderr.write(text);
  };

  progress('plan: 1,000 jobs × 10 next runs … ');
  const plan = measurePlanTime();
  progress('done\nthroughput: 20,000 no-op jobs through the local runtime … ');
  const throughput = await measureThroughput();
  progress('done\nfire lateness: 1,000 one-shot runs within one second × 3, then 1,000 crons at one instant × 2 … ');
  const lateness = await measureFireLateness();
  progress('done\n\n');

  const result = {
    localJobsPerSec: Math.round(throughput.localJobsPerSec),
    localOverheadUsPerJob: round(throughput.localOverheadUsPerJob),
    runtimeToDirectRatio: round(throughput.runtimeToDirectRatio, 1),
    runtimeUsPerJob: round(throughput.runtimeUsPerJob),
    directUsPerJob: round(throughput.directUsPerJob, 3),
    fireLatenessP99Ms: round(lateness.fireLatenessP99Ms),
    fireLatenessP50Ms: round(lateness.fireLatenessP50Ms),
    fireLatenessMaxMs: round(lateness.fireLatenessMaxMs),
    fireLatenessPerRoundP99Ms: lateness.perRoundP99Ms,
    herdTickLatenessP99Ms: round(lateness.herdTickP99Ms),
    herdStartLatenessP99Ms: round(lateness.herdStartP99Ms),
    planMsFor1000Jobs: round(plan.planMsFor1000Jobs, 1),
    planMsWarm: round(plan.planMsWarm, 1),
    targets: TARGETS,
    meetsTargets: {
      localJobsPerSec: throughput.localJobsPerSec >= TARGETS.localJobsPerSec,
      fireLatenessP99Ms: lateness.fireLatenessP99Ms <= TARGETS.fireLatenessP99Ms,
      planMsFor1000Jobs: plan.planMsFor1000Jobs <= TARGETS.planMsFor1000Jobs,
    },
    method: {
      throughputJobs: throughput.jobs,
      queueConcurrency: throughput.queueConcurrency,
      latenessRuns: lateness.oneShotRuns,
      latenessRounds: lateness.oneShotRounds,
      herdSchedules: lateness.herdSchedules,
      herdRounds: lateness.herdRounds,
      planJobs: plan.planJobs,
      planRunsPerJob: plan.planRunsPerJob,
    },
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    platform: `${os.platform()} ${os.arch()}`,
    date: new Date().toISOString(),
  };

  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const mark = (ok: boolean): string => (ok ? '✓' : '✗');
  const lines = [
    `om-scheduler local engine — Node ${result.node}, ${result.cpus} CPUs (${result.cpuModel}), ${result.platform}`,
    '',
    `  throughput       ${result.localJobsPerSec.toLocaleString('en-US')} jobs/s   ${mark(result.meetsTargets.localJobsPerSec)} target ≥ ${TARGETS.localJobsPerSec.toLocaleString('en-US')}`,
    `                   ${result.runtimeUsPerJob} µs/job through the runtime vs ${result.directUsPerJob} µs/job direct`,
    `                   overhead ${result.localOverheadUsPerJob} µs/job, ratio runtime/direct ${result.runtimeToDirectRatio}×`,
    `  fire lateness    p99 ${result.fireLatenessP99Ms} ms (p50 ${result.fireLatenessP50Ms}, max ${result.fireLatenessMaxMs})   ${mark(result.meetsTargets.fireLatenessP99Ms)} target ≤ ${TARGETS.fireLatenessP99Ms} ms`,
    `                   ${lateness.oneShotRuns} one-shot runs due within one second × ${lateness.oneShotRounds} rounds (per round p99: ${lateness.perRoundP99Ms.join(', ')} ms)`,
    `  herd             ${lateness.herdSchedules} crons due at the same instant × ${lateness.herdRounds}: p99 ${result.herdTickLatenessP99Ms} ms to reach the queue, ${result.herdStartLatenessP99Ms} ms to start (reported, not targeted)`,
    `  plan             ${result.planMsFor1000Jobs} ms cold, ${result.planMsWarm} ms warm   ${mark(result.meetsTargets.planMsFor1000Jobs)} target ≤ ${TARGETS.planMsFor1000Jobs} ms`,
    `                   defineConfig + buildPlan, ${plan.planJobs} jobs × ${plan.planRunsPerJob} next runs`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
