/**
 * Temporal's worker metrics (task slots, poll and schedule-to-start latencies, workflow and activity
 * completions and failures, sticky cache…) come from the SDK's native Runtime, which is
 * process-global: its metrics exporter is chosen once, when the Runtime is created, which happens at
 * the first worker or `NativeConnection` of the process. So metrics are installed before that, and a
 * process that already has a Runtime without them gets a clear error instead of silently no metrics.
 */
import type { PrometheusMetricsExporter } from '@temporalio/worker';
import { InvalidOptionError } from '../core/errors.js';
import { runtimeCreated } from '../sdk/internals.js';

/** Options of the Prometheus endpoint (`bindAddress` plus the SDK's naming and bucket options). */
export type PrometheusOptions = PrometheusMetricsExporter['prometheus'];

/** Worker metrics. @default none (no metrics exported) */
export interface MetricsOptions {
  /**
   * Serve Temporal's worker metrics (names prefixed `temporal_`) for Prometheus at
   * `http://<bindAddress>/metrics`, e.g. `{ bindAddress: '0.0.0.0:9464' }`. @default none
   */
  prometheus?: PrometheusOptions;
  /** Labels added to every metric, e.g. `{ service: 'billing-worker' }`. @default {} */
  globalTags?: Record<string, string>;
}

/**
 * Installs the process-global Temporal Runtime with a Prometheus metrics endpoint. `createWorker({ metrics })`
 * calls it; call it yourself at process start when something else (a `NativeConnection`, a test
 * environment) would create the Runtime first. Idempotent for the same `bindAddress`; any other
 * Runtime options installed earlier (e.g. a logger) are kept when the Runtime is not running yet.
 *
 * @example
 * await installMetrics({ prometheus: { bindAddress: '0.0.0.0:9464' } });
 * const worker = await createWorker({ connection, handlers }); // metrics at http://<host>:9464/metrics
 */
export async function installMetrics(options: MetricsOptions): Promise<void> {
  const prometheus = options.prometheus;
  if (!prometheus) return;
  if (typeof prometheus.bindAddress !== 'string' || !/^[^\s]+:\d+$/.test(prometheus.bindAddress)) {
    throw new InvalidOptionError(
      'metrics',
      "prometheus.bindAddress must be 'host:port', e.g. '0.0.0.0:9464'",
    );
  }
  const { Runtime } = await import('@temporalio/worker');
  const installed = Runtime.defaultOptions.telemetryOptions?.metrics;
  const current = installed && 'prometheus' in installed ? installed.prometheus.bindAddress : undefined;
  if (runtimeCreated(Runtime)) {
    if (current === prometheus.bindAddress) return;
    throw new InvalidOptionError(
      'metrics',
      `the Temporal Runtime is process-global and this process already created it ${
        current ? `with Prometheus on ${current}` : 'without Prometheus metrics'
      } (${
        Runtime.instantiator === 'install' ? 'Runtime.install' : 'an earlier worker or NativeConnection'
      }); call installMetrics({ prometheus: { bindAddress: '${prometheus.bindAddress}' } }) at process start, before any worker or NativeConnection`,
    );
  }
  const base = Runtime.defaultOptions;
  try {
    Runtime.install({
      ...base,
      telemetryOptions: {
        ...base.telemetryOptions,
        metrics: { prometheus, ...(options.globalTags ? { globalTags: options.globalTags } : {}) },
      },
    });
  } catch (err) {
    throw new InvalidOptionError(
      'metrics',
      `could not serve Prometheus metrics on ${prometheus.bindAddress}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
