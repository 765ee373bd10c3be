/**
 * `npm run bench` — the local engine's and the AWS path's figures, as a readable report;
 * `npm run bench -- --json` — the same as ONE JSON object on stdout (nothing else).
 * Not part of the tests: timings depend on the machine. Results: docs/BENCHMARKS.md.
 */
import os from 'node:os';
import { measureApiCalls } from './aws-api-calls.ts';
import { measureFireLateness } from './fire-lateness.ts';
import { measureSynth, measureWorkerBundle, type WorkerBundleResult } from './infra-figures.ts';
import { measurePlanTime } from './plan-time.ts';
import { round } from './stats.ts';
import { measureThroughput } from './throughput.ts';

const TARGETS = {
  localJobsPerSec: 10_000,
  fireLatenessP99Ms: 10,
  planMsFor1000Jobs: 2_000,
  apiCallsPerJob: 2,
  apiCallsPerUniqueJob: 3,
  workerBundleBytes: 1024 * 1024,
  resourcesPerJob: 1.5,
  maxResourcesPerStackFor1000Jobs: 500,
} as const;

/** resourcesPerJob compares apps of N and 2N generated jobs. */
const SCALE_JOBS = 500;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

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
  progress('done\nworker bundle: synth of the example app with bundling, 5 cold loads … ');
  // A bundling failure (esbuild missing, …) is reported, not fatal: the other figures stand.
  let bundle: WorkerBundleResult | undefined;
  let bundleSkipped: string | undefined;
  try {
    bundle = await measureWorkerBundle();
  } catch (error) {
    bundleSkipped = `bundling failed: ${errorText(error)}`;
  }
  progress('done\nsynth: generated apps of 100, 500 and 1,000 jobs without bundling … ');
  const synth100 = await measureSynth(100);
  const synthN = await measureSynth(SCALE_JOBS);
  const synth1000 = await measureSynth(2 * SCALE_JOBS);
  progress('done\nAPI calls: MiniStack + 2 × 200 no-op runs through the worker … ');
  const api = await measureApiCalls();
  progress('done\n\n');

  const resourcesPerJob = (synth1000.totalResources - synthN.totalResources) / (synth1000.jobs - synthN.jobs);
  const maxResourcesPerStack = Math.max(...Object.values(synth1000.resourcesPerStack));
  const skipped: Record<string, string> = {};
  if (api.kind === 'skipped') skipped['apiCallsPerJob'] = skipped['apiCallsPerUniqueJob'] = api.skipped;
  if (bundleSkipped) skipped['workerBundleBytes'] = skipped['workerInitMs'] = bundleSkipped;
  const measured = api.kind === 'measured' ? api : undefined;

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
    apiCallsPerJob: measured?.apiCallsPerJob ?? null,
    apiCallsPerUniqueJob: measured?.apiCallsPerUniqueJob ?? null,
    apiCallsBreakdown: measured?.breakdown ?? null,
    apiCallsUniqueBreakdown: measured?.uniqueBreakdown ?? null,
    apiCallsPerJobCacheExpired: measured?.apiCallsPerJobCacheExpired ?? null,
    apiCallsPerUniqueJobCacheExpired: measured?.apiCallsPerUniqueJobCacheExpired ?? null,
    apiCallsCacheExpiredBreakdown: measured?.cacheExpiredBreakdown ?? null,
    emulatorMsPerRun: measured?.emulatorMsPerRun ?? null,
    workerBundleBytes: bundle?.workerBundleBytes ?? null,
    workerInitMs: bundle ? round(bundle.workerInitMs, 1) : null,
    workerInitSpawnMs: bundle ? round(bundle.workerInitSpawnMs, 1) : null,
    bareNodeSpawnMs: bundle ? round(bundle.bareNodeSpawnMs, 1) : null,
    resourcesPerJob: round(resourcesPerJob, 3),
    resourcesPerJobMethod: `(resources of the ${synth1000.jobs}-job app − resources of the ${synthN.jobs}-job app) ÷ ${synth1000.jobs - synthN.jobs}`,
    resourcesPerJobAverageFor1000Jobs: round(synth1000.totalResources / synth1000.jobs, 3),
    synthMsFor100Jobs: Math.round(synth100.synthMs),
    synthMsFor1000Jobs: Math.round(synth1000.synthMs),
    maxResourcesPerStackFor1000Jobs: maxResourcesPerStack,
    resourcesPerStackFor1000Jobs: synth1000.resourcesPerStack,
    skipped,
    targets: TARGETS,
    meetsTargets: {
      localJobsPerSec: throughput.localJobsPerSec >= TARGETS.localJobsPerSec,
      fireLatenessP99Ms: lateness.fireLatenessP99Ms <= TARGETS.fireLatenessP99Ms,
      planMsFor1000Jobs: plan.planMsFor1000Jobs <= TARGETS.planMsFor1000Jobs,
      apiCallsPerJob: measured ? measured.apiCallsPerJob <= TARGETS.apiCallsPerJob : null,
      apiCallsPerUniqueJob: measured ? measured.apiCallsPerUniqueJob <= TARGETS.apiCallsPerUniqueJob : null,
      workerBundleBytes: bundle ? bundle.workerBundleBytes <= TARGETS.workerBundleBytes : null,
      resourcesPerJob: resourcesPerJob <= TARGETS.resourcesPerJob,
      maxResourcesPerStackFor1000Jobs: maxResourcesPerStack <= TARGETS.maxResourcesPerStackFor1000Jobs,
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
      apiCallRuns: measured?.runs ?? null,
      apiCallWarmupRuns: measured?.warmupRuns ?? null,
      apiCallCacheExpiredRuns: measured?.cacheExpiredRuns ?? null,
      workerJobStateCacheMs: measured?.jobStateCacheMs ?? null,
      apiCallRecordsPerEvent: measured?.batchSize ?? null,
      emulator: measured ? (measured.emulator === 'started' ? 'MiniStack (.venv), started by the bench' : 'adopted endpoint') : null,
      workerInitSpawns: bundle?.spawns ?? null,
      bundleSynthMs: bundle ? Math.round(bundle.bundleSynthMs) : null,
      synthEnvironment: 'staging',
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
  const mark = (ok: boolean | null): string => (ok === null ? '–' : ok ? '✓' : '✗');
  const ops = (b: Readonly<Record<string, number>>): string => Object.entries(b).map(([op, n]) => `${op} ${n}`).join(', ');
  const kib = (n: number): string => `${Math.round(n / 1024).toLocaleString('en-US')} KiB`;
  const apiLines = measured
    ? [
        `  API calls/run    ${measured.apiCallsPerJob} per job   ${mark(result.meetsTargets.apiCallsPerJob)} target ≤ ${TARGETS.apiCallsPerJob}   (${ops(measured.breakdown)})`,
        `                   ${measured.apiCallsPerUniqueJob} per unique job   ${mark(result.meetsTargets.apiCallsPerUniqueJob)} target ≤ ${TARGETS.apiCallsPerUniqueJob}   (${ops(measured.uniqueBreakdown)})`,
        `                   ${measured.runs} no-op runs each after ${measured.warmupRuns} warm-up, worker in-process on the emulator (${measured.emulatorMsPerRun} ms/run there)`,
        `                   job-state cache expired (runs > ${measured.jobStateCacheMs / 1000} s apart): ${measured.apiCallsPerJobCacheExpired} / ${measured.apiCallsPerUniqueJobCacheExpired} per run (${ops(measured.cacheExpiredBreakdown)})`,
      ]
    : [`  API calls/run    skipped: ${api.kind === 'skipped' ? api.skipped : ''}`];
  const bundleLines = bundle
    ? [
        `  worker bundle    ${kib(bundle.workerBundleBytes)} (${bundle.workerBundleBytes.toLocaleString('en-US')} bytes)   ${mark(result.meetsTargets.workerBundleBytes)} target ≤ 1 MiB`,
        `  worker init      ${result.workerInitMs} ms = ${result.workerInitSpawnMs} ms (node -e require + handler) − ${result.bareNodeSpawnMs} ms (bare node), medians of ${bundle.spawns}`,
      ]
    : [`  worker bundle    skipped: ${bundleSkipped}`];
  const lines = [
    `om-scheduler — Node ${result.node}, ${result.cpus} CPUs (${result.cpuModel}), ${result.platform}`,
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
    'AWS path',
    '',
    ...apiLines,
    ...bundleLines,
    `  resources/job    ${result.resourcesPerJob}   ${mark(result.meetsTargets.resourcesPerJob)} target ≤ ${TARGETS.resourcesPerJob}   ${result.resourcesPerJobMethod}; average at 1,000 jobs ${result.resourcesPerJobAverageFor1000Jobs}`,
    `  stacks           max ${maxResourcesPerStack} resources per stack at 1,000 jobs   ${mark(result.meetsTargets.maxResourcesPerStackFor1000Jobs)} target ≤ ${TARGETS.maxResourcesPerStackFor1000Jobs}   ${JSON.stringify(synth1000.resourcesPerStack)}`,
    `  synth            ${result.synthMsFor100Jobs} ms for 100 jobs, ${result.synthMsFor1000Jobs} ms for 1,000 jobs (in-process, no bundling)`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
