/**
 * `om-scheduler/testing` — test helpers: a virtual clock, and a sandbox on the local runtime
 * with enqueue assertions and direct job execution.
 *
 * @example
 * import { createSandbox, virtualClock } from 'om-scheduler/testing';
 * const sandbox = createSandbox(config, { mode: 'inline', clock: virtualClock('2027-01-04T00:00:00Z') });
 * await sandbox.enqueue('send_email', { to: 'a@example.com' }); // ran to completion
 * sandbox.assertEnqueued({ job: 'send_email', args: { to: 'a@example.com' } });
 */
export { virtualClock } from '../adapters/clock.ts';
export type { VirtualClock } from '../adapters/clock.ts';
export { createSandbox, isSubset } from './sandbox.ts';
export type { EnqueuedJob, EnqueuedMatch, PerformResult, Sandbox, SandboxOptions } from './sandbox.ts';
export { seededRandom } from './seeded-random.ts';
export { trackTimers } from './tracked-clock.ts';
export type { TrackedClock } from './tracked-clock.ts';
