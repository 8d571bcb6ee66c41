/**
 * The worker side of OpenTelemetry tracing: handler spans (activity interceptors) and the sink that
 * exports workflow spans. Loaded only by workers with `telemetry`.
 */
import type { TracerProvider } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry';
import type { InjectedSinks, WorkerInterceptors, WorkflowBundle } from '@temporalio/worker';
import type { Logger } from '../core/logger.js';
import type { TelemetryOptions } from '../observability/telemetry.js';
import { tracerOf, warnIfNotPropagating } from '../observability/telemetry-otel.js';

/** What a worker adds to `Worker.create` for tracing (the workflow bundle needs the interceptors module too). */
export interface TelemetryWorkerOptions {
  interceptors: WorkerInterceptors;
  sinks: InjectedSinks<OpenTelemetrySinks>;
}

/**
 * Activity interceptors (handler spans) and the sink that exports workflow spans. Warns when a
 * prebuilt workflow bundle lacks the tracing interceptors (its jobs would start no workflow spans and
 * pass no trace context to their handlers).
 */
export async function telemetryWorkerOptions(
  options: TelemetryOptions,
  context: { logger: Logger; workflowBundle?: WorkflowBundle },
): Promise<TelemetryWorkerOptions> {
  const { logger, workflowBundle } = context;
  if (workflowBundle && 'code' in workflowBundle && !workflowBundle.code.includes(INBOUND_INTERCEPTOR)) {
    logger.warn(
      'telemetry: the workflowBundle has no OpenTelemetry workflow interceptors; build it with bundleMediatorWorkflows({ telemetry: true })',
    );
  }
  const [otel, { Resource }, tracer, sdk] = await Promise.all([
    import('@temporalio/interceptors-opentelemetry'),
    import('@opentelemetry/resources'),
    tracerOf(options),
    sdkProviderParts(options.tracerProvider as TracerProvider | undefined),
  ]);
  const spanProcessor = options.spanProcessor ?? sdk.spanProcessor;
  if (!spanProcessor) {
    logger.warn(
      'telemetry: no spanProcessor and the tracer provider is not an OpenTelemetry JS SDK 1.x provider; workflow spans are dropped',
    );
  }
  await warnIfNotPropagating(logger);
  const resource = (options.resource as Resource | undefined) ?? sdk.resource ?? Resource.default();
  return {
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: new otel.OpenTelemetryActivityInboundInterceptor(ctx, { tracer }),
          outbound: new otel.OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: otel.makeWorkflowExporter(spanProcessor ?? DROP_SPANS, resource) },
  };
}

/** The class name every bundle with the SDK's workflow tracing interceptors contains. */
const INBOUND_INTERCEPTOR = 'OpenTelemetryInboundInterceptor';

const DROP_SPANS: SpanProcessor = {
  onStart: () => undefined,
  onEnd: () => undefined,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

/** An SDK 1.x provider's span processor and resource (through the global proxy provider's delegate). */
async function sdkProviderParts(
  given: TracerProvider | undefined,
): Promise<{ spanProcessor?: SpanProcessor; resource?: Resource }> {
  const { trace } = await import('@opentelemetry/api');
  const provider = given ?? trace.getTracerProvider();
  const delegate = (provider as { getDelegate?: () => TracerProvider }).getDelegate?.() ?? provider;
  const sdk = delegate as { getActiveSpanProcessor?: () => SpanProcessor; resource?: Resource };
  return { spanProcessor: sdk.getActiveSpanProcessor?.(), resource: sdk.resource };
}
