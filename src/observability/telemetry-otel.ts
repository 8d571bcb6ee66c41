/**
 * The OpenTelemetry calls shared by the client and the worker side of tracing. Internal: its
 * declarations name OpenTelemetry types, so only code that runs with `telemetry` imports it.
 */
import type { Tracer, TracerProvider } from '@opentelemetry/api';
import type { Logger } from '../core/logger.js';
import type { TelemetryOptions } from './telemetry-options.js';
import { TRACER_NAME } from './telemetry-options.js';

/** The mediator's tracer from the given or the global provider. */
export async function tracerOf(options: TelemetryOptions): Promise<Tracer> {
  const { trace } = await import('@opentelemetry/api');
  const provider = (options.tracerProvider as TracerProvider | undefined) ?? trace.getTracerProvider();
  return provider.getTracer(TRACER_NAME);
}

let warned = false;

/** Without a context manager and a propagator, the trace context never reaches the workflow's headers. */
export async function warnIfNotPropagating(logger: Logger): Promise<void> {
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
