/**
 * OpenTelemetry tracing of jobs: wires `@temporalio/interceptors-opentelemetry` on the mediator's
 * client and on workers, so one trace runs from `enqueue` (`StartWorkflow:executeRequest`) through the
 * job's workflow (`RunWorkflow:executeRequest`, `StartActivity:<request>`) into the handler
 * (`RunActivity:<request>`).
 *
 * Everything here loads the OpenTelemetry packages lazily: processes without `telemetry` never load them.
 */
import { createRequire } from 'node:module';
import type { Tracer, TracerProvider } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry';
import type { InjectedSinks, WorkerInterceptors, WorkflowBundle } from '@temporalio/worker';
import type { Logger } from './logger.js';

/**
 * Tracing with OpenTelemetry (JS SDK 1.x). Give the same options to `createMediator` and
 * `createWorker`. Trace context travels in Temporal headers through the global propagator and
 * context manager, so start your OpenTelemetry SDK first (`NodeSDK.start()` or
 * `provider.register()`); without them the mediator logs a warning and spans are not linked.
 *
 * @example
 * const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
 * provider.register();
 * const mediator = await createMediator({ connection, telemetry: { tracerProvider: provider } });
 * const worker = await createWorker({ connection, handlers, telemetry: { tracerProvider: provider } });
 */
export interface TelemetryOptions {
  /**
   * Where the client spans (`StartWorkflow`, `QueryWorkflow`, …) and the handler spans
   * (`RunActivity:<request>`) go. @default the global tracer provider (`trace.getTracerProvider()`)
   */
  tracerProvider?: TracerProvider;
  /**
   * Worker only: workflow spans are made inside Temporal's workflow sandbox and handed to the worker
   * through a sink, which gives them to this processor. @default the `tracerProvider`'s active span
   * processor when it is an OpenTelemetry JS SDK 1.x provider (`BasicTracerProvider`,
   * `NodeTracerProvider`); otherwise workflow spans are dropped (with a warning) and the handler span's
   * parent is missing from the trace
   */
  spanProcessor?: SpanProcessor;
  /** Worker only: the resource of workflow spans. @default the `tracerProvider`'s resource, or `Resource.default()` */
  resource?: Resource;
}

/** The name of the tracer the mediator's spans come from. */
export const TRACER_NAME = 'temporal-mediator';

const require = createRequire(import.meta.url);

/**
 * The workflow interceptors module of `@temporalio/interceptors-opentelemetry`, for
 * `bundleWorkflowCode({ workflowInterceptorModules: [...] })` (`bundleMediatorWorkflows({ telemetry: true })` does it).
 */
export function otelWorkflowInterceptorsPath(): string {
  return require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');
}

/**
 * The client interceptors that start a trace at `enqueue`: pass them to your own `Client`
 * (`new Client({ connection, interceptors: await telemetryClientInterceptors(options) })`) when you give
 * `createMediator` a `client` — a client's interceptors are fixed when it is built.
 */
export async function telemetryClientInterceptors(
  options: TelemetryOptions = {},
  logger?: Logger,
): Promise<{ workflow: WorkflowClientInterceptor[] }> {
  const [{ OpenTelemetryWorkflowClientInterceptor }, tracer] = await Promise.all([
    import('@temporalio/interceptors-opentelemetry'),
    tracerOf(options),
  ]);
  if (logger) await warnIfNotPropagating(logger);
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor({ tracer })] };
}

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
    sdkProviderParts(options.tracerProvider),
  ]);
  const spanProcessor = options.spanProcessor ?? sdk.spanProcessor;
  if (!spanProcessor) {
    logger.warn(
      'telemetry: no spanProcessor and the tracer provider is not an OpenTelemetry JS SDK 1.x provider; workflow spans are dropped',
    );
  }
  await warnIfNotPropagating(logger);
  const resource = options.resource ?? sdk.resource ?? Resource.default();
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

async function tracerOf(options: TelemetryOptions): Promise<Tracer> {
  const { trace } = await import('@opentelemetry/api');
  return (options.tracerProvider ?? trace.getTracerProvider()).getTracer(TRACER_NAME);
}

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

let warned = false;

/** Without a context manager and a propagator, the trace context never reaches the workflow's headers. */
async function warnIfNotPropagating(logger: Logger): Promise<void> {
  if (warned) return;
  const { context, createContextKey, propagation, ROOT_CONTEXT, trace, TraceFlags } =
    await import('@opentelemetry/api');
  const key = createContextKey('temporal-mediator.probe');
  const probe = ROOT_CONTEXT.setValue(key, true);
  const hasContextManager = context.with(probe, () => context.active().getValue(key) === true);
  const carrier: Record<string, string> = {};
  const span = {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
  };
  propagation.inject(trace.setSpanContext(ROOT_CONTEXT, span), carrier);
  const missing = [
    ...(hasContextManager ? [] : ['context manager']),
    ...(Object.keys(carrier).length ? [] : ['propagator']),
  ];
  if (!missing.length) return;
  warned = true;
  logger.warn(
    `telemetry: OpenTelemetry has no global ${missing.join(' and ')}, so spans of a job are not linked into one trace; start your OpenTelemetry SDK first (NodeSDK.start() or provider.register())`,
  );
}
