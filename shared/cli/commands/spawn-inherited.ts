/**
 * Runs a child process the user watches (e.g. `npx cdk deploy`): stdio inherited, exit code passed on.
 */
import { spawn } from 'node:child_process';
import { OmSchedulerError } from '../../errors.ts';
import type { Spawner } from './deps.ts';

/**
 * Spawns `command args` with inherited stdio and resolves to its exit code (a signal counts
 * as 1). A command that cannot start (not installed) rejects with a one-line error.
 *
 * @example
 * const code = await spawnInherited('npx', ['cdk', '--version'], { env: process.env, cwd: process.cwd() });
 */
export const spawnInherited: Spawner = (command, args, opts) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { stdio: 'inherit', env: opts.env as NodeJS.ProcessEnv, cwd: opts.cwd });
    child.once('error', (error) => reject(new OmSchedulerError('SPAWN_FAILED', `could not run ${command}: ${error.message}`, { cause: error })));
    child.once('exit', (code) => resolve(code ?? 1));
  });
