/**
 * The `omsched` command line. Each command lives in `commands/<name>.ts` and registers itself
 * on the program; this file only wires them and owns the error discipline (see `errors.ts`).
 */
import { Command, CommanderError, type OutputConfiguration } from 'commander';
import { registerDeployCommand } from './commands/deploy.ts';
import { commandDeps, ExitRequest, type CommandDeps } from './commands/deps.ts';
import { registerDlqCommand } from './commands/dlq.ts';
import { registerHistoryCommand } from './commands/history.ts';
import { registerPauseResumeCommands, registerRunNowCommand } from './commands/job-control.ts';
import { registerPlanCommand } from './commands/plan.ts';
import { registerStatusCommand } from './commands/status.ts';
import { EXIT_OK, EXIT_USAGE, describeCliError } from './errors.ts';
import { processIo, type CliIo } from './io.ts';

/** The commands, in help order. Environment commands take their runtime client from `deps`. */
const COMMANDS: ReadonlyArray<(program: Command, io: CliIo, deps: CommandDeps) => void> = [
  registerPlanCommand,
  registerStatusCommand,
  registerHistoryCommand,
  registerDlqCommand,
  registerRunNowCommand,
  registerPauseResumeCommands,
  registerDeployCommand,
];

/**
 * The commander program, writing through `io`. Commander's own errors (unknown option,
 * missing `--config`) are thrown as `CommanderError` instead of exiting the process.
 *
 * @example
 * const program = buildProgram();
 * program.commands.map((c) => c.name());
 * // ['plan', 'status', 'history', 'dlq', 'run-now', 'pause', 'resume', 'deploy']
 *
 * // Tests drive the environment commands against a local runtime:
 * buildProgram(io, { clientFactory: () => localRuntime });
 */
export function buildProgram(io: CliIo = processIo(), deps: Partial<CommandDeps> = {}): Command {
  const program = new Command('omsched')
    .description('om-scheduler: plan, run and operate scheduled jobs, queues and workflows')
    .exitOverride()
    .configureOutput(output(io))
    .showHelpAfterError('(run with --help for usage)');
  const resolved = commandDeps(deps);
  for (const register of COMMANDS) register(program, io, resolved);
  for (const command of program.commands) {
    command.exitOverride().configureOutput(output(io));
  }
  return program;
}

/** Commander's output through `io`; its errors prefixed like ours (`omsched: unknown option '--x'`). */
function output(io: CliIo): OutputConfiguration {
  return {
    writeOut: io.stdout,
    writeErr: io.stderr,
    outputError: (text, write) => write(`omsched: ${text.replace(/^error: /, '')}`),
  };
}

/**
 * Runs the CLI on `argv` (as `process.argv`: node, script, args...) and resolves to the exit
 * code. Never throws and never prints a stack trace unless `OMSCHED_DEBUG=1`.
 *
 * @example
 * process.exitCode = await main(process.argv);
 */
export async function main(argv: readonly string[], io: CliIo = processIo(), deps: Partial<CommandDeps> = {}): Promise<number> {
  const debug = io.env['OMSCHED_DEBUG'] === '1';
  try {
    const program = buildProgram(io, deps);
    if (argv.length <= 2) {
      program.outputHelp({ error: true });
      return EXIT_USAGE;
    }
    await program.parseAsync([...argv]);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof ExitRequest) return error.exitCode; // e.g. deploy: cdk's own exit code, cdk printed why
    if (error instanceof CommanderError) {
      // Commander already printed its message (or the help/version it was asked for).
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    const { text, exitCode } = describeCliError(error, debug);
    io.stderr(text);
    return exitCode;
  }
}
