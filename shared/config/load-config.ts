/**
 * Loads a config file (TypeScript or JavaScript) the way the CLI and the CDK app do.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, OmSchedulerError } from '../errors.ts';
import type { ResolvedConfig } from '../types.ts';
import { defineConfig, isResolvedConfig, type ConfigInput } from './define-config.ts';
import { isPlainObject } from './validate-job.ts';

/**
 * Imports `file` (relative to the working directory) and returns its config: the default export,
 * or a named `config` export, either a `defineConfig(...)` result or a plain config object (which
 * is then checked with `defineConfig`). TypeScript files need a TS-aware loader — the `omsched`
 * CLI registers tsx; vitest and tsx provide one.
 *
 * Errors are `OmSchedulerError`s with a one-line message: `CONFIG_NOT_FOUND`,
 * `CONFIG_LOAD_FAILED` (the module threw or does not parse), `CONFIG_NO_EXPORT`; a config with
 * invalid jobs throws its `ConfigError` as is.
 *
 * @example
 * import { loadConfig } from 'om-scheduler';
 * const config = await loadConfig('scheduler.config.ts');
 * config.jobs.map((j) => j.name);
 */
export async function loadConfig(file: string): Promise<ResolvedConfig> {
  const abs = resolve(file);
  if (!existsSync(abs) || !statSync(abs).isFile()) {
    throw new OmSchedulerError('CONFIG_NOT_FOUND', `config file not found: ${file} (resolved to ${abs})`);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof OmSchedulerError) throw error; // ConfigError from defineJob/defineConfig at import time
    const message = error instanceof Error ? error.message : String(error);
    throw new OmSchedulerError('CONFIG_LOAD_FAILED', `could not load config file ${file}: ${message}`, { cause: error });
  }
  const exported = mod['default'] ?? mod['config'];
  if (exported === undefined) {
    const names = Object.keys(mod);
    throw new OmSchedulerError(
      'CONFIG_NO_EXPORT',
      `config file ${file} has no default export and no export named \`config\`` +
        ` (exports: ${names.length ? names.join(', ') : 'none'}); export default defineConfig({ ... })`,
    );
  }
  if (isResolvedConfig(exported)) return exported;
  if (isPlainObject(exported)) return defineConfig(exported as ConfigInput);
  throw new ConfigError({
    subject: { kind: 'config' },
    field: 'default export',
    value: exported,
    expected: `be a config: export default defineConfig({ ... }) from ${file}`,
  });
}
