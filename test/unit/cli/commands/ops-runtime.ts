/**
 * Test helpers for the environment commands: a local runtime (virtual clock) of
 * fixtures/ops.config.ts with history and dead letters in it, and a way to run `omsched` against
 * it in-process through the injectable client factory — no AWS, no fakes of it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalRuntime, loadConfig, type LocalRuntime } from 'om-scheduler';
import { virtualClock, type VirtualClock } from 'om-scheduler/testing';
import type { CommandDeps } from '../../../../shared/cli/commands/deps.ts';
import type { CliIo } from '../../../../shared/cli/io.ts';
import { main } from '../../../../shared/cli/main.ts';
import { silentLogger } from '../../../../shared/engine/logger.ts';

export const OPS_CONFIG = 'test/unit/cli/commands/fixtures/ops.config.ts';
/** `--env dev --config <fixture>`: what every environment command is given. */
export const TARGET = ['--env', 'dev', '--config', OPS_CONFIG] as const;
export const START = '2027-03-13T12:00:00Z';

export interface OpsRuntime {
  readonly rt: LocalRuntime;
  readonly clock: VirtualClock;
}

/**
 * The fixture's runtime after eleven minutes and a few runs, as of 2027-03-13T12:11:00Z:
 * - sync_inventory (every 5 minutes) ran at 12:00, 12:05 and 12:10;
 * - at 12:10 charge_cards was run now with `{ batch: 1 }` and failed (TypeError) -> dead letter, queue default;
 * - at 12:11 send_email failed for bounce@example.com (RangeError) -> dead letter, queue mail;
 *   then it sent to a@example.com.
 */
export async function opsRuntime(): Promise<OpsRuntime> {
  const config = await loadConfig(OPS_CONFIG);
  const clock = virtualClock(START);
  const rt = createLocalRuntime(config, { clock, logger: silentLogger, bindDefaultClient: false });
  await rt.start();
  await clock.advance([10, 'minutes']);
  await rt.runNow('charge_cards', { batch: 1 });
  await clock.runUntilIdle();
  await clock.advance([1, 'minute']); // distinct failure times keep the dead-letter order stable
  await rt.enqueue('send_email', { to: 'bounce@example.com' });
  await clock.runUntilIdle();
  await rt.enqueue('send_email', { to: 'a@example.com' });
  await clock.runUntilIdle();
  return { rt, clock };
}

/** The working directory commands see unless a test gives one: no cdk.json, so nothing leaks in from the repo's. */
const NO_CDK_JSON = mkdtempSync(join(tmpdir(), 'omsched-cwd-'));

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `omsched ...args` in-process with `clientFactory` returning `rt`, in a directory without
 * cdk.json (unless `deps.cwd` says otherwise); `now` is the runtime's clock.
 */
export async function omsched(ops: OpsRuntime | undefined, args: readonly string[], deps: Partial<CommandDeps> = {}, env: CliIo['env'] = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, now: () => (ops ? ops.clock.now() : Date.parse(START)) };
  const clientFactory = (): LocalRuntime => {
    if (!ops) throw new Error('this test runs no runtime');
    return ops.rt;
  };
  const code = await main(['node', 'omsched', ...args], io, { clientFactory, cwd: NO_CDK_JSON, ...deps });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
