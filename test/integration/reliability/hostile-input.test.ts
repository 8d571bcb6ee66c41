/**
 * Hostile input, property-based (fast-check): random and malformed inputs thrown at `send`,
 * `enqueue`, the worker's activities (the caller's validation turned off) and the `executeRequest`
 * workflow itself (raw envelopes started with the Temporal client). Each run ends in success or a
 * typed `MediatorError`: never a crashed worker, never a job stuck or retried forever.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { Mediator } from '../../../src/index.js';
import type { MediatorWorker } from '../../../src/worker/create-worker.js';
import {
  EXECUTE_REQUEST_WORKFLOW,
  JobNotFoundError,
  MediatorError,
  PayloadError,
  RequestValidationError,
  createHandlers,
  createMediator,
  defineCommand,
  defineNotification,
} from '../../../src/index.js';
import { quietLogger, testMediator, testWorker, uniqueQueue } from '../helpers.js';
import { ENVELOPE_VERSION } from '../../../workflows/constants.js';

const Order = defineCommand({
  name: 'HostileOrder',
  input: z.object({
    sku: z.string().min(1).max(40),
    qty: z.number().int().min(1).max(1000),
    note: z.string().max(200).optional(),
  }),
  output: z.object({ total: z.number() }),
  retry: { maximumAttempts: 3, initialInterval: '100ms' },
});

const Shipped = defineNotification({
  name: 'HostileShipped',
  input: z.object({ orderId: z.string().min(1) }),
  retry: { maximumAttempts: 2, initialInterval: '100ms' },
});

const handlers = createHandlers()
  .handle(Order, ({ qty }) => ({ total: qty * 3 }))
  .on(Shipped, 'mail', () => undefined);

/** Valid inputs, near misses and anything at all. */
const validOrder = fc.record(
  {
    sku: fc.string({ minLength: 1, maxLength: 40 }),
    qty: fc.integer({ min: 1, max: 1000 }),
    note: fc.string(),
  },
  { requiredKeys: ['sku', 'qty'] },
);
const nearMiss = fc.record(
  {
    sku: fc.oneof(fc.string({ maxLength: 60 }), fc.integer(), fc.constant(null)),
    qty: fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double(), fc.string(), fc.constant(undefined)),
    note: fc.oneof(fc.string({ maxLength: 300 }), fc.object()),
    ['__proto__' as string]: fc.object(),
    constructor: fc.string(),
  },
  { requiredKeys: [] },
);
const anyInput = fc.oneof(validOrder, nearMiss, fc.anything({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 3 }));

/** What the schema says, after the JSON round trip every background input makes. */
function acceptsAfterJson(value: unknown): boolean {
  const json = JSON.stringify({ v: value });
  const wire = (JSON.parse(json) as { v?: unknown }).v;
  return Order.input.safeParse(wire).success;
}

let queue: string;
let worker: MediatorWorker;
let running: Promise<void>;
let mediator: Mediator;
let unvalidated: Mediator;

beforeAll(async () => {
  queue = uniqueQueue('hostile');
  worker = await testWorker(handlers, { queues: [queue], concurrency: 20 });
  running = worker.run();
  mediator = await testMediator({ handlers, defaults: { queue } });
  unvalidated = await testMediator({ defaults: { queue }, validate: { input: false, output: false } });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await mediator?.close();
  await unvalidated?.close();
});

/** Asserts the worker is alive and well: a normal job still completes. */
async function workerIsHealthy(): Promise<void> {
  await expect(mediator.enqueueAsync(Order, { sku: 'ok', qty: 2 })).resolves.toEqual({ total: 6 });
}

interface RawOutcome {
  envelope: unknown;
  outcome: { ok: true; r: unknown } | { ok: false; e: unknown };
  /** Workflow task failures: the workflow could not make progress (Temporal retries those forever). */
  failedTasks: number;
}

/** Starts `executeRequest` with a raw envelope, bounded by a job timeout, and waits for its end. */
async function runRawEnvelope(client: Client, envelope: unknown, jobTimeout: Duration): Promise<RawOutcome> {
  const handle = await client.workflow.start(EXECUTE_REQUEST_WORKFLOW, {
    taskQueue: queue,
    workflowId: `garbage-${randomUUID()}`,
    args: [envelope],
    workflowExecutionTimeout: jobTimeout,
  });
  const outcome = await unvalidated
    .job(handle.workflowId)
    .result()
    .then((r) => ({ ok: true as const, r }))
    .catch((e: unknown) => ({ ok: false as const, e }));
  const history = await handle.fetchHistory();
  const failedTasks = (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes).length;
  return { envelope, outcome, failedTasks };
}

/** An envelope version newer than this worker's: it must wait for a newer worker, never fail the job. */
function isFutureEnvelope(envelope: unknown): boolean {
  const v: unknown = typeof envelope === 'object' && envelope !== null ? (envelope as { v?: unknown }).v : 0;
  return typeof v === 'number' && Number.isInteger(v) && v > ENVELOPE_VERSION;
}

/** Stuck (timed out, or failing workflow tasks) or ended in something other than a MediatorError. */
function isProblem({ envelope, outcome, failedTasks }: RawOutcome): boolean {
  // Waiting is the designed outcome of a future envelope: failed workflow tasks until the job timeout.
  if (isFutureEnvelope(envelope)) {
    return !(
      failedTasks > 0 &&
      !outcome.ok &&
      outcome.e instanceof MediatorError &&
      outcome.e.code === 'JOB_TIMEOUT'
    );
  }
  if (failedTasks > 0) return true;
  if (outcome.ok) return false;
  return !(outcome.e instanceof MediatorError) || outcome.e.code === 'JOB_TIMEOUT';
}

describe('hostile input', () => {
  it('send (in process): succeeds exactly when the schema accepts, else RequestValidationError', async () => {
    const local = await createMediator({ handlers, logger: quietLogger });
    let tried = 0;
    await fc.assert(
      fc.asyncProperty(anyInput, async (input) => {
        tried++;
        const accepted = Order.input.safeParse(input).success;
        const outcome = await local.send(Order, input as never).then(
          (r) => r,
          (e: unknown) => e,
        );
        if (accepted) expect(outcome).toEqual({ total: (input as { qty: number }).qty * 3 });
        else expect(outcome).toBeInstanceOf(RequestValidationError);
      }),
      { numRuns: 500 },
    );
    console.info(`[hostile input] send: ${tried} inputs, 0 untyped errors`);
  });

  it('enqueue: a refused input starts nothing; an accepted one completes', async () => {
    let tried = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(anyInput, async (input) => {
        tried++;
        const jobId = `hostile-${randomUUID()}`;
        const outcome = await mediator
          .enqueue(Order, input as never, { jobId })
          .then((job) => job.result())
          .catch((e: unknown) => e);
        if (Order.input.safeParse(input).success) {
          expect(outcome).toEqual({ total: (input as { qty: number }).qty * 3 });
          return;
        }
        refused++;
        expect(outcome).toBeInstanceOf(RequestValidationError);
        await expect(mediator.job(jobId).status()).rejects.toBeInstanceOf(JobNotFoundError);
      }),
      { numRuns: 40 },
    );
    console.info(
      `[hostile input] enqueue: ${tried} inputs, ${refused} refused at the caller, 0 untyped errors`,
    );
  }, 120_000);

  it("the worker's activities, caller validation off: success or a non-retryable RequestValidationError on attempt 1", async () => {
    let tried = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyInput, fc.anything({ withBigInt: true, maxDepth: 2 })), async (input) => {
        tried++;
        const outcome = await unvalidated
          .enqueueAsync(Order, input as never)
          .then((r) => r)
          .catch((e: unknown) => e);
        if (outcome instanceof PayloadError) return; // not serialisable (bigint): refused at the caller
        if (acceptsAfterJson(input)) {
          expect(outcome).toMatchObject({ total: expect.any(Number) as number });
          return;
        }
        refused++;
        expect(outcome).toBeInstanceOf(RequestValidationError);
        expect(outcome).toMatchObject({ side: 'worker', attempt: 1 });
      }),
      { numRuns: 40 },
    );
    await workerIsHealthy();
    console.info(
      `[hostile input] worker activities: ${tried} inputs, ${refused} refused by the worker on attempt 1`,
    );
  }, 120_000);

  it('raw malformed envelopes started with the Temporal client end in a typed error, never stuck (a newer envelope version waits, by design)', async () => {
    const client = unvalidated.client!;
    // Activity options within the envelope schema's ranges (garbage ones: see the known issue below).
    const activity = fc.record(
      {
        timeoutMs: fc.integer({ min: 1000, max: 60_000 }),
        heartbeatTimeoutMs: fc.integer({ min: 1000, max: 60_000 }),
        local: fc.boolean(),
        retry: fc.record(
          {
            maximumAttempts: fc.integer({ min: 1, max: 3 }),
            initialIntervalMs: fc.integer({ min: 10, max: 200 }),
            backoffCoefficient: fc.double({ min: 1, max: 3, noNaN: true }),
            nonRetryableErrorTypes: fc.array(fc.string({ maxLength: 10 }), { maxLength: 2 }),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    );
    const envelope = fc.oneof(
      { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
      {
        weight: 4,
        arbitrary: fc.record(
          {
            v: fc.oneof(
              { weight: 4, arbitrary: fc.constant(1) },
              fc.constant(2),
              fc.anything({ maxDepth: 0 }),
            ),
            request: fc.oneof(
              { weight: 3, arbitrary: fc.constantFrom(Order.name, Shipped.name) },
              fc.constantFrom('Nope', '', '__proto__', 'constructor', 'default', 'toString'),
              fc.constantFrom('__mediator.listHandlers', `${Shipped.name}:mail`),
              fc.string({ maxLength: 30 }),
            ),
            kind: fc.oneof(
              { weight: 4, arbitrary: fc.constantFrom('command', 'query', 'notification') },
              fc.string({ maxLength: 10 }),
            ),
            input: fc.oneof(validOrder, fc.record({ orderId: fc.string() }), anyInput),
            description: fc.oneof(fc.string(), fc.integer()),
            metadata: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.anything({ maxDepth: 1 })),
            activity,
          },
          { requiredKeys: ['v', 'request', 'kind'] },
        ),
      },
    );
    const samples = fc.sample(envelope, { numRuns: 40 });
    const started = Date.now();
    const outcomes = await Promise.all(samples.map((env) => runRawEnvelope(client, env, '30s')));
    expect(outcomes.filter(isProblem)).toEqual([]);
    const failures = outcomes.flatMap((o) => (o.outcome.ok ? [] : [(o.outcome.e as Error).name]));
    const byError: Record<string, number> = {};
    for (const name of failures) byError[name] = (byError[name] ?? 0) + 1;
    await workerIsHealthy();
    console.info(
      `[hostile input] raw envelopes: ${samples.length} tried, ${samples.length - failures.length} succeeded, ` +
        `typed failures ${JSON.stringify(byError)}, 0 stuck, ${Date.now() - started}ms`,
    );
  }, 120_000);

  // Regression: the workflow used to check only v, request and kind, so malformed activity options
  // failed workflow tasks forever (a stuck job). Now they fail the job at once with EnvelopeError.
  it('malformed envelope activity options fail the job at once, never leave it stuck', async () => {
    const client = unvalidated.client!;
    const base = { v: 1, request: Order.name, kind: 'command', input: { sku: 'a', qty: 1 } };
    const outcomes = await Promise.all(
      [
        { timeoutMs: 'soon' },
        { heartbeatTimeoutMs: -5 },
        { retry: { backoffCoefficient: 0.5 } },
        { retry: { maximumAttempts: 'many' } },
      ].map((activity) => runRawEnvelope(client, { ...base, activity }, '5s')),
    );
    expect(outcomes.filter(isProblem)).toEqual([]);
  }, 60_000);

  it('oversized or unserialisable payloads are refused at the caller with PayloadError; nothing starts', async () => {
    const jobId = `huge-${randomUUID()}`;
    const huge = { sku: 'x', qty: 1, note: 'y'.repeat(3 * 1024 * 1024) };
    const err = await unvalidated.enqueue(Order, huge, { jobId }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadError);
    expect(err).toMatchObject({ code: 'PAYLOAD', limit: 2 * 1024 * 1024 });
    expect((err as PayloadError).size).toBeGreaterThan(3 * 1024 * 1024);
    await expect(mediator.job(jobId).status()).rejects.toBeInstanceOf(JobNotFoundError);

    const small = await testMediator({ defaults: { queue }, maxPayloadBytes: 1024 });
    try {
      await expect(small.enqueue(Order, { sku: 'x', qty: 1, note: 'z'.repeat(190) })).resolves.toBeDefined();
      const cyclic: Record<string, unknown> = { sku: 'x', qty: 1 };
      cyclic.self = cyclic;
      await expect(unvalidated.enqueue(Order, cyclic as never)).rejects.toBeInstanceOf(PayloadError);
      await expect(
        small.enqueue(
          Order,
          { sku: 'x', qty: 1, note: 'é'.repeat(200) },
          { metadata: { pad: 'p'.repeat(900) } },
        ),
      ).rejects.toBeInstanceOf(PayloadError);
    } finally {
      await small.close();
    }
  });
});
