/**
 * `omsched run-now JOB --env E [--args JSON]`, `omsched pause JOB --env E`,
 * `omsched resume JOB --env E`: act on one job of a deployed environment.
 */
import type { Command } from 'commander';
import { flagIssue } from '../errors.ts';
import type { CliIo } from '../io.ts';
import type { CommandDeps } from './deps.ts';
import { addTargetOptions, connect, parseTarget, type TargetFlags } from './runtime-target.ts';

interface RunNowFlags extends TargetFlags {
  readonly args?: string;
}

/**
 * `--args` as JSON (any JSON value). Throws `UsageError` naming the flag otherwise.
 *
 * @example
 * parseJsonFlag('--args', '{"userId":"u1"}'); // { userId: 'u1' }
 */
export function parseJsonFlag(flag: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw flagIssue(flag, value, `be JSON, e.g. '{"userId":"u1"}'`);
  }
}

/** Adds `run-now` to the program. */
export function registerRunNowCommand(program: Command, io: CliIo, deps: CommandDeps): void {
  const command = program.command('run-now').description('enqueue a run of JOB now (outside its schedule)').argument('<job>', 'job name');
  addTargetOptions(command)
    .option('--args <json>', 'arguments the handler receives as ctx.args (JSON)')
    .action(async (job: string, flags: RunNowFlags) => {
      const args = flags.args === undefined ? undefined : parseJsonFlag('--args', flags.args);
      const { client, target } = await connect(parseTarget(flags, io, deps), deps);
      const r = await client.runNow(job, args);
      if (flags.json) {
        const out = { env: target.env, runId: r.runId, jobName: r.jobName, queue: r.queue, runAt: r.runAt.toISOString() };
        io.stdout(`${JSON.stringify(out, null, 2)}\n`);
        return;
      }
      io.stdout(`enqueued job "${r.jobName}" on queue "${r.queue}" in env "${target.env}" as run ${r.runId}\n`);
    });
}

/** Adds `pause` and `resume` to the program. */
export function registerPauseResumeCommands(program: Command, io: CliIo, deps: CommandDeps): void {
  for (const action of ['pause', 'resume'] as const) {
    const command = program
      .command(action)
      .description(action === 'pause' ? "stop JOB's schedules from firing (runs already queued still run)" : "start JOB's schedules again")
      .argument('<job>', 'job name');
    addTargetOptions(command).action(async (job: string, flags: TargetFlags) => {
      const { client, target } = await connect(parseTarget(flags, io, deps), deps);
      if (action === 'pause') await client.pauseJob(job);
      else await client.resumeJob(job);
      const state = action === 'pause' ? 'paused' : 'active';
      if (flags.json) {
        io.stdout(`${JSON.stringify({ env: target.env, job, state }, null, 2)}\n`);
        return;
      }
      io.stdout(`job "${job}" in env "${target.env}" is now ${state}\n`);
    });
  }
}
