/**
 * OpenTelemetry tracing of jobs: wires `@temporalio/interceptors-opentelemetry` on the mediator's
 * client and on workers, so one trace runs from `enqueue` (`StartWorkflow:executeRequest`) through the
 * job's workflow (`RunWorkflow:executeRequest`, `StartActivity:<request>`) into the handler
 * (`RunActivity:<request>`).
 *
 * Everything here loads the OpenTelemetry packages lazily: processes without `telemetry` never load
 * them, and the public types below are structural, so a project without OpenTelemetry installed
 * still type-checks (`skipLibCheck: false`). The worker side is `telemetry-worker.ts`.
 */
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { Logger } from '../core/logger.js';
import type { TelemetryOptions } from './telemetry-options.js';
import { otelWorkflowInterceptorsModule } from '../sdk/internals.js';
import { tracerOf, warnIfNotPropagating } from './telemetry-otel.js';
import type { StandaloneTracingInterceptor } from './standalone-tracing.js';
import { standaloneTracingInterceptor } from './standalone-tracing.js';

export type { SpanProcessorLike, TelemetryOptions, TracerProviderLike } from './telemetry-options.js';
export { TRACER_NAME } from './telemetry-options.js';

/**
 * The workflow interceptors module of `@temporalio/interceptors-opentelemetry`, for
 * `bundleWorkflowCode({ workflowInterceptorModules: [...] })` (`bundleMediatorWorkflows({ telemetry: true })` does it).
 */
export function otelWorkflowInterceptorsPath(): string {
  return otelWorkflowInterceptorsModule();
}

/**
 * The client interceptors that start a trace at `enqueue`: pass them to your own `Client`
 * (`new Client({ connection, interceptors: await telemetryClientInterceptors(options) })`) when you give
 * `createMediator` a `client` — a client's interceptors are fixed when it is built.
 */
export async function telemetryClientInterceptors(
  options: TelemetryOptions = {},
  logger?: Logger,
): Promise<{ workflow: WorkflowClientInterceptor[]; activity: StandaloneTracingInterceptor[] }> {
  const [{ OpenTelemetryWorkflowClientInterceptor }, tracer] = await Promise.all([
    import('@temporalio/interceptors-opentelemetry'),
    tracerOf(options),
  ]);
  if (logger) await warnIfNotPropagating(logger);
  return {
    workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer })],
    // The standalone lane's starts (`client.activity`, SDK >= 1.24; older clients ignore it).
    activity: [await standaloneTracingInterceptor(tracer)],
  };
}
