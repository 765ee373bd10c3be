/**
 * The worker's CloudWatch metrics: the core's telemetry events mapped to `JOB_METRICS` (pure),
 * and a sink that writes them as embedded-metric-format logs through Powertools Metrics.
 */
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { JOB_METRICS, METRIC_DIMENSIONS } from '../../shared/metric-names.ts';
import type { Telemetry, TelemetryEventName, TelemetryEvents } from '../../shared/telemetry.ts';

export interface MetricPoint {
  readonly name: string;
  readonly unit: 'Count' | 'Milliseconds';
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
}

/**
 * @example
 * metricsOf('job:stop', { measurements: { duration: 120 }, metadata: { job: 'sync', queue: 'default', … } });
 * // [{ name: 'JobRuns', unit: 'Count', value: 1, dimensions: { job: 'sync' } }, { name: 'JobDuration', unit: 'Milliseconds', value: 120, … }]
 */
export function metricsOf<E extends TelemetryEventName>(event: E, payload: TelemetryEvents[E]): MetricPoint[] {
  const p = payload as { measurements: Record<string, number>; metadata: Record<string, unknown> };
  const job = { [METRIC_DIMENSIONS.job]: String(p.metadata['job'] ?? '(unknown)') };
  switch (event) {
    case 'job:stop':
      return [
        { name: JOB_METRICS.runs, unit: 'Count', value: 1, dimensions: job },
        { name: JOB_METRICS.durationMs, unit: 'Milliseconds', value: p.measurements['duration'] ?? 0, dimensions: job },
      ];
    case 'job:exception':
      return [{ name: JOB_METRICS.failures, unit: 'Count', value: 1, dimensions: job }];
    case 'job:retry':
      return [{ name: JOB_METRICS.retries, unit: 'Count', value: 1, dimensions: job }];
    case 'job:skip':
      return p.metadata['reason'] === 'duplicate' ? [{ name: JOB_METRICS.duplicates, unit: 'Count', value: 1, dimensions: job }] : [];
    case 'deadLetter:insert':
      return [{ name: JOB_METRICS.deadLetters, unit: 'Count', value: 1, dimensions: { [METRIC_DIMENSIONS.queue]: String(p.metadata['queue'] ?? '(unknown)') } }];
    default:
      return [];
  }
}

const METRIC_EVENTS: readonly TelemetryEventName[] = ['job:stop', 'job:exception', 'job:retry', 'job:skip', 'deadLetter:insert'];

/** Publishes every metric of `telemetry`'s events through `metrics` (one EMF line each). Returns the unsubscribe. */
export function forwardMetrics(telemetry: Telemetry, metrics: Metrics): () => void {
  const offs = METRIC_EVENTS.map((event) =>
    telemetry.on(event, (payload) => {
      for (const point of metricsOf(event, payload as never)) {
        const single = metrics.singleMetric();
        for (const [k, v] of Object.entries(point.dimensions)) single.addDimension(k, v);
        single.addMetric(point.name, point.unit === 'Count' ? MetricUnit.Count : MetricUnit.Milliseconds, point.value);
      }
    }),
  );
  return () => {
    for (const off of offs) off();
  };
}
