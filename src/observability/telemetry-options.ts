/**
 * The public, structural types of tracing: a project without OpenTelemetry installed still
 * type-checks (`skipLibCheck: false`), and any OpenTelemetry JS provider fits.
 */

/** What the mediator needs of an OpenTelemetry `TracerProvider` (any OpenTelemetry JS provider fits). */
export interface TracerProviderLike {
  getTracer(name: string, version?: string): unknown;
}

/** What the mediator needs of an OpenTelemetry `SpanProcessor` (JS SDK 1.x). */
export interface SpanProcessorLike {
  onStart(span: never, parentContext: never): void;
  onEnd(span: never): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Tracing with OpenTelemetry (JS SDK 1.x). Give the same options to `createMediator` and
 * `createWorker`. Trace context travels in Temporal headers through the global propagator and
 * context manager, so start your OpenTelemetry SDK first (`NodeSDK.start()` or
 * `provider.register()`); without them the mediator logs a warning and spans are not linked.
 * Needs the optional peers `@temporalio/interceptors-opentelemetry`, `@opentelemetry/api`,
 * `@opentelemetry/resources` and `@opentelemetry/sdk-trace-base`.
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
  tracerProvider?: TracerProviderLike;
  /**
   * Worker only: workflow spans are made inside Temporal's workflow sandbox and handed to the worker
   * through a sink, which gives them to this processor. @default the `tracerProvider`'s active span
   * processor when it is an OpenTelemetry JS SDK 1.x provider (`BasicTracerProvider`,
   * `NodeTracerProvider`); otherwise workflow spans are dropped (with a warning) and the handler span's
   * parent is missing from the trace
   */
  spanProcessor?: SpanProcessorLike;
  /** Worker only: the resource of workflow spans (an OpenTelemetry `Resource`). @default the `tracerProvider`'s resource, or `Resource.default()` */
  resource?: object;
}

/** The name of the tracer the mediator's spans come from. */
export const TRACER_NAME = 'temporal-mediator';
