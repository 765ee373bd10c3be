/**
 * The runtime client that `Worker.enqueue` (and other class-level helpers) talk to. The local
 * runtime, the AWS client and the testing sandbox bind themselves here when created.
 */
import { OmSchedulerError } from '../errors.ts';
import type { RuntimeClient } from '../types.ts';

// Kept on globalThis so that two copies of this module (e.g. a bundle and a test runner both
// loading the kit) still share one binding.
const SLOT = Symbol.for('om-scheduler.defaultClient');
type Slot = { [SLOT]?: RuntimeClient };

/**
 * Binds (or, with `undefined`, unbinds) the client class-level helpers use.
 *
 * @example
 * import { createLocalRuntime, setDefaultClient } from 'om-scheduler';
 * const rt = createLocalRuntime(config);   // binds itself
 * setDefaultClient(undefined);             // e.g. in a test's afterEach
 */
export function setDefaultClient(client: RuntimeClient | undefined): void {
  (globalThis as Slot)[SLOT] = client;
}

/**
 * The bound client; throws `OmSchedulerError` with code `NO_RUNTIME` when none is bound.
 *
 * @example
 * import { getDefaultClient } from 'om-scheduler';
 * await getDefaultClient().enqueue('export_worker', { userId: 'u1' });
 */
export function getDefaultClient(): RuntimeClient {
  const client = (globalThis as Slot)[SLOT];
  if (!client) {
    throw new OmSchedulerError(
      'NO_RUNTIME',
      'no runtime client is bound: call createLocalRuntime(config) (in-process), createClient(config, { env }) ' +
        '(a deployed environment) or start the testing sandbox first, or bind one with setDefaultClient(client)',
    );
  }
  return client;
}
