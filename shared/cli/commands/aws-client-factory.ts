/**
 * The default {@link ClientFactory}: `createClient` from `functions/client`, imported on first
 * use so commands that never talk to AWS (`plan`, `deploy`) never load the AWS SDK.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OmSchedulerError } from '../../errors.ts';
import type { ClientFactory } from './deps.ts';

const PACKAGE_ROOT = new URL('../../../', import.meta.url);

/** Where the AWS runtime client lives, relative to this file. */
export const AWS_CLIENT_MODULE = '../../../functions/client/index.ts';

/**
 * A factory that imports `moduleUrl` (default: functions/client/index.ts) when first called
 * and calls its `createClient(config, { env, region?, endpoint? })`.
 * A missing module or one without `createClient` is a one-line `CLIENT_UNAVAILABLE` error.
 *
 * @example
 * const client = await awsClientFactory()(config, { env: 'dev' });
 * await client.status('daily_report');
 */
export function awsClientFactory(moduleUrl: URL = new URL(AWS_CLIENT_MODULE, import.meta.url)): ClientFactory {
  return async (config, target) => {
    const file = fileURLToPath(moduleUrl);
    const shown = relative(fileURLToPath(PACKAGE_ROOT), file);
    if (!existsSync(file)) {
      throw new OmSchedulerError('CLIENT_UNAVAILABLE', `the AWS runtime client is not available in this installation (${shown} does not exist)`);
    }
    let mod: Record<string, unknown>;
    try {
      // A computed specifier: the module is optional at type-check time and loaded only here.
      mod = (await import(moduleUrl.href)) as Record<string, unknown>;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new OmSchedulerError('CLIENT_LOAD_FAILED', `could not load the AWS runtime client (${shown}): ${message}`, { cause: error });
    }
    const createClient = mod['createClient'];
    if (typeof createClient !== 'function') {
      throw new OmSchedulerError('CLIENT_UNAVAILABLE', `the AWS runtime client is not available in this installation (${shown} does not export createClient)`);
    }
    return (createClient as ClientFactory)(config, target);
  };
}
