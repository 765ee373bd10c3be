/**
 * Pure helpers both runtime clients (local and AWS) use, so the two engines answer alike.
 */
import type { DeadLetterEntry, DeadLetterStats, JobHooks } from '../types.ts';

export const HOOK_NAMES = ['onStart', 'onSuccess', 'onFailure', 'onCancel'] as const;

/** The lifecycle hooks present in `source`. */
export function pickHooks(source: Record<string, unknown>): JobHooks {
  const hooks: Record<string, unknown> = {};
  for (const h of HOOK_NAMES) if (source[h] !== undefined) hooks[h] = source[h];
  return hooks as JobHooks;
}

/** Names of the hook fields present in `source`. */
export function hookNames(source: Record<string, unknown>): string[] {
  return HOOK_NAMES.filter((h) => source[h] !== undefined);
}

/** Options as stored in the job-state store: functions and `undefined` dropped (code never crosses a store). */
export function serializable(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (typeof v !== 'function' && v !== undefined) out[k] = v;
  return out;
}

/**
 * `deadLetter.stats()` from a list of entries.
 *
 * @example
 * deadLetterStats([]); // { total: 0, byJob: {}, byQueue: {}, byErrorClass: {}, oldest: null, newest: null }
 */
export function deadLetterStats(entries: readonly DeadLetterEntry[]): DeadLetterStats {
  const byJob: Record<string, number> = {};
  const byQueue: Record<string, number> = {};
  const byErrorClass: Record<string, number> = {};
  let oldest: number | null = null;
  let newest: number | null = null;
  for (const e of entries) {
    byJob[e.jobName] = (byJob[e.jobName] ?? 0) + 1;
    byQueue[e.queue] = (byQueue[e.queue] ?? 0) + 1;
    byErrorClass[e.errorClass] = (byErrorClass[e.errorClass] ?? 0) + 1;
    const t = e.lastFailedAt.getTime();
    if (oldest === null || t < oldest) oldest = t;
    if (newest === null || t > newest) newest = t;
  }
  return {
    total: entries.length,
    byJob,
    byQueue,
    byErrorClass,
    oldest: oldest === null ? null : new Date(oldest),
    newest: newest === null ? null : new Date(newest),
  };
}
