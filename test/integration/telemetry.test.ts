import { trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  createHandlers,
  defineCommand,
  InvalidOptionError,
  telemetryClientInterceptors,
} from '../../src/index.js';
import { bundleMediatorWorkflows } from '../../src/worker/create-worker.js';
import type { Mediator } from '../../src/index.js';
import type { MediatorWorker } from '../../src/worker/create-worker.js';
import { address, testMediator, testWorker, uniqueQueue } from './helpers.js';

const TracedCharge = defineCommand({
  name: 'TracedCharge',
  input: z.object({ cents: z.number().int() }),
  output: z.object({ receipt: z.string() }),
});

// The process's OpenTelemetry SDK, as an application would start it: spans kept in memory.
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register({ contextManager: new AsyncLocalStorageContextManager().enable() });

const queue = uniqueQueue('otel');
const handlers = createHandlers().handle(TracedCharge, async (input) =>
  // A span the handler makes itself nests under the handler's RunActivity span.
  trace.getTracer('billing').startActiveSpan('charge-card', async (span) => {
    await new Promise((r) => setTimeout(r, 10));
    span.end();
    return { receipt: `r-${input.cents}` };
  }),
);

let worker: MediatorWorker;
let running: Promise<void>;
let mediator: Mediator;

beforeAll(async () => {
  worker = await testWorker(handlers, {
    queues: [queue],
    telemetry: { tracerProvider: provider },
    workflowBundle: await bundleMediatorWorkflows({ telemetry: true }),
  });
  running = worker.run();
  mediator = await testMediator({ defaults: { queue }, telemetry: { tracerProvider: provider } });
});

afterAll(async () => {
  await mediator?.close();
  worker?.shutdown();
  await running;
  await provider.shutdown();
});

function byId(spans: ReadableSpan[]): Map<string, ReadableSpan> {
  return new Map(spans.map((s) => [s.spanContext().spanId, s]));
}

/** The names from `span` up to the root, following parent span ids. */
function ancestry(span: ReadableSpan, spans: ReadableSpan[]): string[] {
  const index = byId(spans);
  const names: string[] = [];
  for (
    let s: ReadableSpan | undefined = span;
    s;
    s = s.parentSpanId ? index.get(s.parentSpanId) : undefined
  ) {
    names.push(s.name);
  }
  return names;
}

describe('OpenTelemetry tracing', () => {
  it('one trace runs from enqueue through the workflow into the handler', async () => {
    const job = await mediator.enqueue(TracedCharge, { cents: 1250 });
    expect(await job.result()).toEqual({ receipt: 'r-1250' });

    // Workflow spans reach the processor through the worker's sink, right after the workflow task.
    const spans = await vi.waitFor(
      () => {
        const all = exporter.getFinishedSpans();
        // The sink adds the workflow's info (workflowId, runId, taskQueue…) to its spans' attributes.
        if (!all.some((s) => s.name === 'RunWorkflow:executeRequest' && s.attributes.workflowId === job.id))
          throw new Error(`no workflow span yet: ${all.map((s) => s.name).join(', ')}`);
        return all;
      },
      { timeout: 15_000, interval: 100 },
    );
    const start = spans.find(
      (s) => s.name === 'StartWorkflow:executeRequest' && s.attributes.temporalWorkflowId === job.id,
    );
    const handler = spans.find(
      (s) => s.name === 'RunActivity:TracedCharge' && s.attributes.temporalWorkflowId === job.id,
    );
    expect(start, 'client span').toBeDefined();
    expect(handler, 'handler span').toBeDefined();
    const traceId = start!.spanContext().traceId;
    const chain = spans.filter((s) => s.spanContext().traceId === traceId);

    // The client's StartWorkflow span is the root and an ancestor of the handler's RunActivity span.
    expect(start!.parentSpanId).toBeUndefined();
    expect(ancestry(handler!, chain)).toEqual([
      'RunActivity:TracedCharge',
      'StartActivity:TracedCharge',
      'RunWorkflow:executeRequest',
      'StartWorkflow:executeRequest',
    ]);
    const own = chain.find((s) => s.name === 'charge-card');
    expect(own?.parentSpanId).toBe(handler!.spanContext().spanId);
    for (const s of [handler!, own!]) expect(s.spanContext().traceId).toBe(traceId);
  });

  it('refuses telemetry with an existing client, and gives the interceptors to build one', async () => {
    const connection = await Connection.connect({ address: address() });
    try {
      await expect(
        testMediator({ client: new Client({ connection }), telemetry: { tracerProvider: provider } }),
      ).rejects.toThrow(InvalidOptionError);
      const own = await testMediator({
        client: new Client({
          connection,
          interceptors: await telemetryClientInterceptors({ tracerProvider: provider }),
        }),
        defaults: { queue },
      });
      const job = await own.enqueue(TracedCharge, { cents: 7 });
      await job.result();
      expect(
        exporter
          .getFinishedSpans()
          .some(
            (s) => s.name === 'StartWorkflow:executeRequest' && s.attributes.temporalWorkflowId === job.id,
          ),
      ).toBe(true);
    } finally {
      await connection.close();
    }
  });
});
