/**
 * Tracing of the standalone lane. `@temporalio/interceptors-opentelemetry` traces workflow starts
 * only, so the start of a standalone activity gets the same treatment here: a
 * `StartActivity:<request>` span whose context travels in the `_tracer-data` header, where the
 * worker's OpenTelemetry activity interceptor (the same one the workflow lane uses) picks it up as the
 * parent of `RunActivity:<request>`. Loaded only with `telemetry`; its types are structural because
 * SDKs before 1.24 have no activity client interceptors.
 */
import type { Tracer } from '@opentelemetry/api';
import { defaultPayloadConverter } from '@temporalio/common';

/** The header the SDK's OpenTelemetry interceptors carry the trace context in. */
export const TRACE_HEADER = '_tracer-data';

/** What `client.activity`'s interceptors see of a start (SDK 1.24's `ActivityStartInput`). */
export interface ActivityStartInputLike {
  readonly activityType: string;
  readonly options: { id?: string };
  readonly headers: Record<string, unknown>;
}

/** An activity client interceptor that traces standalone starts. */
export interface StandaloneTracingInterceptor {
  start<I extends ActivityStartInputLike, R>(input: I, next: (input: I) => Promise<R>): Promise<R>;
}

/**
 * The interceptor for `new Client({ interceptors: { activity: [...] } })`. Takes an OpenTelemetry
 * `Tracer`, typed `object` so these declarations never name OpenTelemetry (an optional peer).
 */
export async function standaloneTracingInterceptor(
  otelTracer: object,
): Promise<StandaloneTracingInterceptor> {
  const tracer = otelTracer as Tracer;
  const otel = await import('@opentelemetry/api');
  return {
    start: (input, next) =>
      tracer.startActiveSpan(`StartActivity:${input.activityType}`, async (span) => {
        try {
          span.setAttribute('temporalActivityId', input.options.id ?? '');
          const carrier: Record<string, string> = {};
          otel.propagation.inject(otel.context.active(), carrier);
          const headers = { ...input.headers, [TRACE_HEADER]: defaultPayloadConverter.toPayload(carrier) };
          return await next({ ...input, headers });
        } catch (err) {
          span.setStatus({ code: otel.SpanStatusCode.ERROR, message: (err as Error).message });
          throw err;
        } finally {
          span.end();
        }
      }),
  };
}
