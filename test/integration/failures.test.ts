import { msToTs } from '@temporalio/common/lib/time.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHandlers, createMediator, defineCommand, NonRetryableError } from '../../src/index.js';
import { createWorker } from '../../src/worker/create-worker.js';
import type { Mediator } from '../../src/index.js';
import type { MediatorWorker } from '../../src/worker/create-worker.js';
import { BadOutput, Echo, Orphan, Slow } from './fixtures/contracts.js';
import { address, testMediator, testWorker, uniqueQueue, workflowBundle } from './helpers.js';

const queue = uniqueQueue('failures');
const calls: Record<string, number> = {};
const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);
let slowAborted = false;
let slowStarted: () => void = () => undefined;

const Refuse = defineCommand({
  name: 'Refuse',
  input: z.object({}),
  output: z.object({}),
  retry: { maximumAttempts: 5, initialInterval: '100ms' },
});

const handlers = createHandlers()
  .handle(Echo, (input, ctx) => {
    count('Echo');
    return { text: input.text, attempt: ctx.attempt ?? 0 };
  })
  .handle(BadOutput, () => {
    count('BadOutput');
    return { id: 42 } as unknown as { id: string };
  })
  .handle(Refuse, () => {
    count('Refuse');
    throw new NonRetryableError('account is closed', { type: 'AccountClosed' });
  })
  .handle(Slow, async (input, ctx) => {
    count('Slow');
    slowStarted();
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, input.ms);
      ctx.signal.addEventListener('abort', () => {
        slowAborted = true;
        clearTimeout(t);
        resolve();
      });
    });
    if (ctx.signal.aborted) throw ctx.signal.reason;
    return { done: true };
  });

let worker: MediatorWorker;
let running: Promise<void>;
let mediator: Mediator;
let unvalidated: Mediator;

beforeAll(async () => {
  worker = await testWorker(handlers, { queues: [queue] });
  running = worker.run();
  mediator = await testMediator({ defaults: { queue } });
  // A caller that skips its own validation, like an old client or another tool would.
  unvalidated = await testMediator({ defaults: { queue }, validate: { input: false } });
});

afterAll(async () => {
  await mediator.close();
  await unvalidated.close();
  worker.shutdown();
  await running;
});

describe('bad input and failures (DESIGN.md table)', () => {
  it('input failing the schema at the caller: RequestValidationError, no workflow started', async () => {
    const jobId = `Echo-invalid-${Date.now()}`;
    const err = await mediator.enqueue(Echo, { text: '' }, { jobId }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'RequestValidationError',
      code: 'REQUEST_VALIDATION',
      request: 'Echo',
      side: 'caller',
    });
    expect((err as { issues: { path: string[] }[] }).issues[0]?.path).toEqual(['text']);
    await expect(mediator.job(jobId).describe()).rejects.toMatchObject({ name: 'JobNotFoundError', jobId });
  });

  it('input failing on the worker: non-retryable RequestValidationError, handler never called', async () => {
    const before = calls.Echo ?? 0;
    const err = await unvalidated
      .enqueueAsync(Echo, { text: 123 } as unknown as { text: string })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'RequestValidationError',
      side: 'worker',
      request: 'Echo',
      attempt: 1,
    });
    expect((err as { jobId: string }).jobId).toMatch(/^Echo-/);
    expect(calls.Echo ?? 0).toBe(before);
  });

  it('handler output failing the output schema: non-retryable HandlerOutputError', async () => {
    const err = await mediator.enqueueAsync(BadOutput, {}).catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'HandlerOutputError',
      code: 'HANDLER_OUTPUT',
      request: 'BadOutput',
      attempt: 1,
    });
    expect((err as { issues: { path: string[] }[] }).issues[0]?.path).toEqual(['id']);
    expect(calls.BadOutput).toBe(1);
  });

  it('no handler for the request on that queue: clear error naming request, queue and handlers, not retried', async () => {
    const started = Date.now();
    const err = await mediator.enqueueAsync(Orphan, {}).catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'HandlerNotFoundError',
      code: 'HANDLER_NOT_FOUND',
      request: 'Orphan',
      queue,
      attempt: 1,
    });
    expect((err as { available: string[] }).available).toEqual(
      expect.arrayContaining(['Echo', 'BadOutput', 'Slow']),
    );
    expect((err as Error).message).toContain(`task queue '${queue}'`);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('handler throws NonRetryableError: fails at once with its type, no retry', async () => {
    const err = await mediator.enqueueAsync(Refuse, {}, { queue }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'HandlerFailedError',
      request: 'Refuse',
      type: 'AccountClosed',
      nonRetryable: true,
      attempt: 1,
    });
    expect((err as Error).message).toContain('account is closed');
    expect(calls.Refuse).toBe(1);
  });

  it('attempt timeout: JobTimeoutError naming the attempt timeout', async () => {
    const err = await mediator
      .enqueueAsync(Slow, { ms: 5_000 }, { timeout: '700ms' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'JobTimeoutError',
      code: 'JOB_TIMEOUT',
      timeout: 'attempt',
      request: 'Slow',
    });
    expect((err as Error).message).toContain('start-to-close');
  });

  it('job timeout: JobTimeoutError naming the job execution timeout', async () => {
    const err = await mediator
      .enqueueAsync(Slow, { ms: 5_000 }, { jobTimeout: '1s' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'JobTimeoutError', timeout: 'job', request: 'Slow' });
  });

  it('cancellation reaches the handler abort signal; result() throws JobCancelledError', async () => {
    slowAborted = false;
    const started = new Promise<void>((r) => (slowStarted = r));
    const job = await mediator.enqueue(Slow, { ms: 30_000 });
    await started;
    await job.cancel();
    await expect(job.result()).rejects.toMatchObject({
      name: 'JobCancelledError',
      code: 'JOB_CANCELLED',
      jobId: job.id,
      request: 'Slow',
    });
    expect(slowAborted).toBe(true);
    expect(await job.status()).toBe('cancelled');
  });

  it('payload over the size limit: PayloadError at the caller, nothing started', async () => {
    const jobId = `Echo-big-${Date.now()}`;
    const err = await mediator
      .enqueue(Echo, { text: 'x'.repeat(3 * 1024 * 1024) }, { jobId })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: 'PayloadError',
      code: 'PAYLOAD',
      request: 'Echo',
      limit: 2 * 1024 * 1024,
    });
    await expect(mediator.job(jobId).describe()).rejects.toMatchObject({ name: 'JobNotFoundError' });
  });

  it('payload that cannot be serialised: PayloadError at the caller', async () => {
    const big = await unvalidated
      .enqueue(Echo, { text: 10n } as unknown as { text: string })
      .catch((e: unknown) => e);
    expect(big).toMatchObject({ name: 'PayloadError', request: 'Echo' });
    expect((big as Error).message).toContain('not serialisable');
  });

  it('server unreachable: ConnectionError naming the address, from createMediator and createWorker', async () => {
    await expect(
      createMediator({ connection: { address: '127.0.0.1:1', connectTimeout: '1s' } }),
    ).rejects.toMatchObject({
      name: 'ConnectionError',
      address: '127.0.0.1:1',
    });
    await expect(
      createWorker({
        handlers,
        connection: { address: '127.0.0.1:1', connectTimeout: '1s' },
        workflowBundle: workflowBundle(),
      }),
    ).rejects.toMatchObject({ name: 'ConnectionError', address: '127.0.0.1:1' });
  });

  it('search attribute not registered on the namespace: error with the exact command to register it', async () => {
    const namespace = `no-sa-${Date.now()}`;
    await mediator.client!.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    const other = await testMediator({ namespace, defaults: { queue } });
    try {
      let err: unknown;
      // A new namespace takes a moment to become usable.
      for (let i = 0; i < 40; i++) {
        err = await other.enqueue(Echo, { text: 'sa' }).catch((e: unknown) => e);
        if ((err as { name?: string })?.name === 'SearchAttributeMissingError') break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(err).toMatchObject({ name: 'SearchAttributeMissingError', code: 'SEARCH_ATTRIBUTE_MISSING' });
      expect((err as { command: string }).command).toBe(
        `temporal operator search-attribute create --namespace ${namespace} --address ${address()} --name MediatorRequest --type Keyword`,
      );
      // The documented escape hatch: run without the search attribute.
      const without = await testMediator({ namespace, searchAttributes: false, defaults: { queue } });
      const job = await without.enqueue(Echo, { text: 'no sa' });
      expect(job.id).toMatch(/^Echo-/);
      await job.cancel().catch(() => undefined);
      await without.close();
    } finally {
      await other.close();
    }
  });
});
