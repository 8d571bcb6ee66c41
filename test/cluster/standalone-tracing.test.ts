/**
 * Tracing on the standalone lane: one trace from `enqueue` (`StartActivity:<request>`, made by the
 * mediator's activity client interceptor) into the handler (`RunActivity:<request>`, the worker's
 * OpenTelemetry activity interceptor) and the handler's own spans. Cluster-only: standalone
 * activities need Temporal 1.32.
 */
import { trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createHandlers, defineCommand } from '../../src/index.js';
import { bundleMediatorWorkflows } from '../../src/worker/create-worker.js';
import { testMediator, testWorker, uniqueQueue } from '../integration/helpers.js';

const SaTraced = defineCommand({
  name: 'SaTraced',
  input: z.object({ cents: z.number().int() }),
  output: z.object({ receipt: z.string() }),
});

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register({ contextManager: new AsyncLocalStorageContextManager().enable() });
afterAll(() => provider.shutdown());

describe('cluster: standalone lane tracing', () => {
  it('one trace runs from enqueue into the handler and its own spans', async () => {
    const queue = uniqueQueue('sa-otel');
    const handlers = createHandlers().handle(SaTraced, (input) =>
      trace.getTracer('billing').startActiveSpan('charge-card', (span) => {
        span.end();
        return { receipt: `r-${input.cents}` };
      }),
    );
    const worker = await testWorker(handlers, {
      queues: [queue],
      telemetry: { tracerProvider: provider },
      workflowBundle: await bundleMediatorWorkflows({ telemetry: true }),
    });
    const running = worker.run();
    const mediator = await testMediator({
      defaults: { queue, lane: 'standalone' },
      telemetry: { tracerProvider: provider },
    });
    try {
      const job = await mediator.enqueue(SaTraced, { cents: 7 });
      expect(await job.result()).toEqual({ receipt: 'r-7' });
      expect((await job.describe()).lane).toBe('standalone');
      const spans = await vi.waitFor(
        () => {
          const all = exporter.getFinishedSpans();
          if (!all.some((s) => s.name === 'charge-card')) throw new Error('no handler span yet');
          return all;
        },
        { timeout: 10_000, interval: 100 },
      );
      const start = spans.find(
        (s) => s.name === 'StartActivity:SaTraced' && s.attributes.temporalActivityId === job.id,
      );
      const run = spans.find((s) => s.name === 'RunActivity:SaTraced');
      const own = spans.find((s) => s.name === 'charge-card');
      expect(start, 'client span').toBeDefined();
      expect(run, 'handler span').toBeDefined();
      expect(start!.parentSpanId).toBeUndefined();
      expect(run!.parentSpanId).toBe(start!.spanContext().spanId);
      expect(own!.parentSpanId).toBe(run!.spanContext().spanId);
      for (const s of [run!, own!]) expect(s.spanContext().traceId).toBe(start!.spanContext().traceId);
    } finally {
      await mediator.close();
      worker.shutdown();
      await running;
    }
  });
});
