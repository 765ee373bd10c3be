/**
 * Shared set-up of the engine tests: a config, a local runtime on a virtual clock with a fixed
 * random source, and a recorder of its telemetry.
 */
import { virtualClock, type VirtualClock } from '../../../shared/adapters/clock.ts';
import { defineConfig, type ConfigInput } from '../../../shared/config/define-config.ts';
import { createLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../../shared/engine/local-runtime.ts';
import { silentLogger } from '../../../shared/engine/logger.ts';
import type { Telemetry, TelemetryEventName, TelemetryEvents } from '../../../shared/telemetry.ts';
import { TELEMETRY_EVENTS } from '../../../shared/telemetry.ts';

export const T0 = '2027-01-04T00:00:00.000Z';
export const T0_MS = Date.parse(T0);
export const at = (ms: number): Date => new Date(T0_MS + ms);

export interface Harness {
  readonly clock: VirtualClock;
  readonly rt: LocalRuntime;
  readonly events: RecordedEvent[];
  /** Events of one name, payloads only. */
  of<E extends TelemetryEventName>(event: E): TelemetryEvents[E][];
}

export type RecordedEvent = { [E in TelemetryEventName]: { event: E; payload: TelemetryEvents[E] } }[TelemetryEventName];

export async function harness(input: ConfigInput, opts: Partial<LocalRuntimeOptions> & { start?: boolean } = {}): Promise<Harness> {
  const clock = (opts.clock as VirtualClock | undefined) ?? virtualClock(T0);
  const config = defineConfig({ app: 'test', ...input });
  const rt = createLocalRuntime(config, { random: () => 0.5, logger: silentLogger, nodeId: 'node-a', ...opts, clock });
  const events = recordTelemetry(rt.telemetry);
  if (opts.start !== false) await rt.start();
  return {
    clock,
    rt,
    events,
    of: <E extends TelemetryEventName>(event: E) =>
      events.filter((e) => e.event === event).map((e) => e.payload as TelemetryEvents[E]),
  };
}

export function recordTelemetry(telemetry: Telemetry): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  for (const event of TELEMETRY_EVENTS) telemetry.on(event, (payload) => events.push({ event, payload } as RecordedEvent));
  return events;
}

/** A promise with its resolve function, to hold a handler open until the test lets go. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
