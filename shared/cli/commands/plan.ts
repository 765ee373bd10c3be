/**
 * `omsched plan --config FILE [--from ISO] [--count N] [--json]`
 */
import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.ts';
import type { CliIo } from '../io.ts';
import { parseInstantFlag, parseIntegerFlag, parseTimeZoneFlag } from '../options.ts';
import { buildPlan, renderPlanTable } from '../plan.ts';

export const PLAN_MAX_COUNT = 1000;
export const PLAN_DEFAULT_COUNT = 5;

interface PlanFlags {
  readonly config: string;
  readonly from?: string;
  readonly count?: string;
  readonly json?: boolean;
  readonly tz?: string;
}

/** Adds `plan` to the program. */
export function registerPlanCommand(program: Command, io: CliIo): void {
  program
    .command('plan')
    .description("show every job's schedules as deployed (EventBridge Scheduler expression + time zone) and its next runs")
    .requiredOption('-c, --config <file>', 'config file (default export of defineConfig)')
    .option('--from <iso>', 'list runs after this instant (ISO 8601 with a zone, or a date)', undefined)
    .option('-n, --count <n>', `runs per job (1..${PLAN_MAX_COUNT})`, String(PLAN_DEFAULT_COUNT))
    .option('--json', 'print the plan as JSON: { jobs: [{ name, queue, schedules, nextRuns }] }')
    .option('--tz <zone>', 'time zone of the table (default: the local one, TZ)')
    .action(async (flags: PlanFlags) => {
      // Flags first: a typo in --count should not wait for the config to load.
      const fromMs = flags.from === undefined ? io.now() : parseInstantFlag('--from', flags.from);
      const count = parseIntegerFlag('--count', flags.count ?? String(PLAN_DEFAULT_COUNT), 1, PLAN_MAX_COUNT);
      const localTimeZone = flags.tz === undefined ? undefined : parseTimeZoneFlag('--tz', flags.tz);
      const config = await loadConfig(flags.config);
      const plan = buildPlan(config, { fromMs, count });
      if (flags.json) io.stdout(`${JSON.stringify(plan, null, 2)}\n`);
      else io.stdout(renderPlanTable(plan, config, { fromMs, ...(localTimeZone ? { localTimeZone } : {}) }));
    });
}
