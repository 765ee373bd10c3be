/**
 * Writing to the dead-letter store: insert with the config's retention (maxAge, maxEntries)
 * enforced on every insert, telemetry, and the user's `onDeadLetter` callback.
 */
import type { Clock, Stores } from '../ports.ts';
import type { Telemetry } from '../telemetry.ts';
import type { DeadLetterEntry, ResolvedConfig } from '../types.ts';
import type { Logger } from './logger.ts';

export interface DeadLetterDeps {
  readonly clock: Clock;
  readonly stores: Stores;
  readonly telemetry: Telemetry;
  readonly deadLetter: ResolvedConfig['deadLetter'];
  readonly logger: Logger;
}

/**
 * Stores `entry`, then prunes entries older than `maxAgeMs` and trims to `maxEntries`
 * (oldest first), emits `deadLetter:prune` per reason that removed something and
 * `deadLetter:insert`, and finally calls `onDeadLetter` (its errors are logged, never raised:
 * the entry is already safe in the store).
 *
 * @example
 * await insertDeadLetter({ clock, stores, telemetry, deadLetter: config.deadLetter, logger }, entry);
 */
export async function insertDeadLetter(deps: DeadLetterDeps, entry: DeadLetterEntry): Promise<void> {
  const { stores, telemetry, deadLetter } = deps;
  await stores.deadLetters.put(entry);
  await pruneDeadLetters(deps, deps.clock.now() - deadLetter.maxAgeMs, 'maxAge');
  const trimmed = await stores.deadLetters.trimTo(deadLetter.maxEntries);
  if (trimmed > 0) telemetry.emit('deadLetter:prune', { measurements: { count: trimmed }, metadata: { reason: 'maxEntries' } });
  telemetry.emit('deadLetter:insert', {
    measurements: { total: await stores.deadLetters.count() },
    metadata: { id: entry.id, job: entry.jobName, queue: entry.queue, errorClass: entry.errorClass, attempts: entry.attempts },
  });
  if (deadLetter.onDeadLetter) {
    try {
      await deadLetter.onDeadLetter(entry);
    } catch (error) {
      deps.logger.error(`onDeadLetter threw for dead-letter entry ${entry.id} (job "${entry.jobName}")`, { error });
    }
  }
}

/**
 * Deletes entries whose last failure is before `beforeMs`; emits `deadLetter:prune` when any
 * went (always for a `manual` prune, so an operator's action is visible even when it removed nothing).
 *
 * @example
 * const removed = await pruneDeadLetters({ stores, telemetry }, Date.now() - 7 * 86_400_000, 'manual');
 */
export async function pruneDeadLetters(
  deps: Pick<DeadLetterDeps, 'stores' | 'telemetry'>,
  beforeMs: number,
  reason: 'maxAge' | 'manual',
): Promise<number> {
  const count = await deps.stores.deadLetters.deleteBefore(beforeMs);
  if (count > 0 || reason === 'manual') deps.telemetry.emit('deadLetter:prune', { measurements: { count }, metadata: { reason } });
  return count;
}
