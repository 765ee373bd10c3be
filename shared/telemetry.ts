/**
 * Telemetry events, named as in the reference model. Each event carries `measurements`
 * (numbers) and `metadata` (context). Handlers never break a job: their errors are swallowed.
 *
 * @example
 * import { telemetry } from 'om-scheduler';
 * const off = telemetry.on('job:stop', ({ measurements, metadata }) =>
 *   console.log(metadata.job, metadata.result, measurements.duration));
 * off();
 */
import type { RunResult } from './types.ts';

interface JobMeta {
  readonly job: string;
  readonly queue: string;
  readonly attempt: number;
  readonly runId: string;
  readonly scheduledAt?: string;
  readonly tags: readonly string[];
  readonly meta: Readonly<Record<string, unknown>>;
}

export interface TelemetryEvents {
  /** A run attempt begins. `systemTime`: epoch ms. */
  'job:start': { measurements: { systemTime: number }; metadata: JobMeta };
  /** A run attempt ends, whatever the result. `duration`: ms. */
  'job:stop': { measurements: { duration: number }; metadata: JobMeta & { result: RunResult } };
  /** The attempt threw, failed, or timed out. */
  'job:exception': {
    measurements: { duration: number };
    metadata: JobMeta & { kind: 'error' | 'timeout'; error: Error; errorClass: string; stacktrace: string | null };
  };
  /**
   * A delivery did not run: a duplicate of a tick/attempt already claimed, a tick of a paused
   * job, or a `unique` conflict (that one is also recorded in history as `discarded`).
   */
  'job:skip': {
    measurements: { systemTime: number };
    metadata: JobMeta & { reason: 'duplicate' | 'paused' | 'uniqueConflict' };
  };
  /** A new attempt is scheduled. `delay`: ms until it is due. */
  'job:retry': { measurements: { delay: number }; metadata: JobMeta & { nextAttempt: number; error: string | null } };
  /** A message entered a queue. `delay`: ms before it becomes visible. */
  'queue:push': { measurements: { delay: number }; metadata: { queue: string; job: string; runId: string; priority: number } };
  /** A worker took a message. `waitTime`: ms from visible to taken. */
  'queue:pop': { measurements: { waitTime: number }; metadata: { queue: string; job: string; runId: string } };
  /** Queue concurrency changed. */
  'queue:scale': { measurements: { from: number; to: number }; metadata: { queue: string } };
  'workflow:start': { measurements: { systemTime: number }; metadata: { workflow: string; executionId: string } };
  'workflow:stop': { measurements: { duration: number }; metadata: { workflow: string; executionId: string; state: string } };
  'workflow:step:start': { measurements: { systemTime: number }; metadata: { workflow: string; executionId: string; step: string } };
  'workflow:step:stop': {
    measurements: { duration: number };
    metadata: { workflow: string; executionId: string; step: string; result: string };
  };
  /** A final failure was stored. `total`: entries after the insert. */
  'deadLetter:insert': {
    measurements: { total: number };
    metadata: { id: string; job: string; queue: string; errorClass: string; attempts: number };
  };
  'deadLetter:retry': { measurements: { count: number }; metadata: { id: string; job: string; queue: string } };
  /** Entries removed by age or count. */
  'deadLetter:prune': { measurements: { count: number }; metadata: { reason: 'maxAge' | 'maxEntries' | 'manual' } };
}

export type TelemetryEventName = keyof TelemetryEvents;
export type TelemetryHandler<E extends TelemetryEventName> = (payload: TelemetryEvents[E], event: E) => void;

export class Telemetry {
  private readonly handlers = new Map<TelemetryEventName, Set<TelemetryHandler<any>>>();
  private readonly forwards = new Set<Telemetry>();

  /** Subscribes; returns an unsubscribe function. */
  on<E extends TelemetryEventName>(event: E, handler: TelemetryHandler<E>): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => set!.delete(handler);
  }

  /** Subscribes to every event. */
  onAny(handler: <E extends TelemetryEventName>(payload: TelemetryEvents[E], event: E) => void): () => void {
    const offs = TELEMETRY_EVENTS.map((e) => this.on(e, handler as TelemetryHandler<typeof e>));
    return () => offs.forEach((off) => off());
  }

  emit<E extends TelemetryEventName>(event: E, payload: TelemetryEvents[E]): void {
    const set = this.handlers.get(event);
    if (set) {
      for (const h of set) {
        try {
          h(payload, event);
        } catch {
          // Telemetry must never break a job.
        }
      }
    }
    for (const f of this.forwards) f.emit(event, payload);
  }

  /** Re-emits this instance's events on `target` as well (runtime -> global `telemetry`). */
  forwardTo(target: Telemetry): () => void {
    if (target === this) return () => {};
    this.forwards.add(target);
    return () => this.forwards.delete(target);
  }

  /** True when anybody listens (lets hot paths skip building payloads). */
  hasListeners(): boolean {
    for (const set of this.handlers.values()) if (set.size > 0) return true;
    for (const f of this.forwards) if (f.hasListeners()) return true;
    return false;
  }
}

export const TELEMETRY_EVENTS: readonly TelemetryEventName[] = [
  'job:start',
  'job:stop',
  'job:exception',
  'job:retry',
  'job:skip',
  'queue:push',
  'queue:pop',
  'queue:scale',
  'workflow:start',
  'workflow:stop',
  'workflow:step:start',
  'workflow:step:stop',
  'deadLetter:insert',
  'deadLetter:retry',
  'deadLetter:prune',
];

/** The process-wide telemetry bus every runtime forwards to. */
export const telemetry = new Telemetry();
