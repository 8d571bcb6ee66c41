/**
 * The behaviour contract of background jobs, written once and run against every backend (Temporal
 * on the dev server, the in-memory mediator with a test clock and with the real clock), so the two
 * cannot drift apart.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/index.js';
import type { DispatchBehavior, HandleBehavior, MediatorApi } from '../../src/index.js';
import type { ContractBackend, ContractEnv } from './backend.js';
import {
  CBadOutput,
  CEcho,
  CFlaky,
  CNobodyListens,
  COrderPlaced,
  COrphan,
  CRefuse,
  CReport,
} from './contracts.js';
import { ContractState, contractHandlers } from './handlers.js';
import { jobSemantics } from './suite-jobs.js';
import { operationSemantics } from './suite-operations.js';
import { versionSemantics } from './suite-versions.js';

/** Captures what a promise rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    return err as Record<string, unknown>;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** Runs the contract suite against one backend. */
export function contractSuite(backend: ContractBackend): void {
  describe(`contract: ${backend.name}`, () => {
    const s = new ContractState();
    let env: ContractEnv;
    let m: MediatorApi;

    beforeAll(async () => {
      env = await backend.start(contractHandlers(s));
      m = env.mediator;
      s.now = () => env.now();
    });
    afterAll(() => env.close());
    beforeEach(() => {
      s.flaky.length = 0;
      s.hang.length = 0;
      s.keys.length = 0;
    });

    describe('results and failures', () => {
      it('enqueue returns a job whose result, status and description match the request', async () => {
        const job = await m.enqueue(CEcho, { text: 'hello' }, { description: 'Echo hello' });
        expect(job.id).toMatch(/^CEcho-/);
        expect(await env.settle(job.result())).toEqual({ text: 'hello', attempt: 1 });
        expect(await job.status()).toBe('completed');
        const d = await job.describe();
        expect(d).toMatchObject({
          id: job.id,
          request: 'CEcho',
          status: 'completed',
          description: 'Echo hello',
        });
        expect(d.queue).toBe(env.queue);
        expect(await env.settle(m.enqueueAsync(CEcho, { text: 'async' }))).toEqual({
          text: 'async',
          attempt: 1,
        });
        expect(await env.settle(m.job(CEcho, job.id).result())).toEqual({ text: 'hello', attempt: 1 });
      });

      it('retries a failing handler with exponential backoff; the handler sees each attempt', async () => {
        const out = await env.settle(m.enqueueAsync(CFlaky, { failTimes: 2 }));
        expect(out).toEqual({ attempts: 3 });
        expect(s.flaky.map((c) => c.attempt)).toEqual([1, 2, 3]);
        const [a, b, c] = s.flaky.map((x) => x.at) as [number, number, number];
        // initialInterval 200ms, coefficient 2 (a little tolerance for the real server's timers).
        expect(b - a).toBeGreaterThanOrEqual(150);
        expect(c - b).toBeGreaterThanOrEqual(330);
      });

      it('after the last attempt: HandlerFailedError with the message, type and attempt', async () => {
        const err = await rejection(
          env.settle(
            m.enqueueAsync(
              CFlaky,
              { failTimes: 5 },
              { retry: { maximumAttempts: 2, initialInterval: '50ms' } },
            ),
          ),
        );
        expect(err).toMatchObject({
          name: 'HandlerFailedError',
          code: 'HANDLER_FAILED',
          request: 'CFlaky',
          attempt: 2,
          type: 'Error',
          nonRetryable: false,
        });
        expect(err.jobId).toMatch(/^CFlaky-/);
        expect(err.message).toContain('transient failure #2');
        expect(s.flaky).toHaveLength(2);
      });

      it('NonRetryableError fails at once with its type; nonRetryableErrorTypes stop retries of a class', async () => {
        const closed = await rejection(env.settle(m.enqueueAsync(CRefuse, { reason: 'closed' })));
        expect(closed).toMatchObject({
          name: 'HandlerFailedError',
          type: 'AccountClosed',
          nonRetryable: true,
          attempt: 1,
        });
        expect(closed.message).toContain('account is closed');
        expect(s.called('CRefuse:closed')).toBe(1);
        const declined = await rejection(
          env.settle(
            m.enqueueAsync(
              CRefuse,
              { reason: 'declined' },
              { retry: { nonRetryableErrorTypes: ['PaymentDeclined'] } },
            ),
          ),
        );
        expect(declined).toMatchObject({
          name: 'HandlerFailedError',
          type: 'PaymentDeclined',
          nonRetryable: false,
          attempt: 1,
        });
        expect(s.called('CRefuse:declined')).toBe(1);
      });

      it('handler output failing the output schema: HandlerOutputError, not retried', async () => {
        const err = await rejection(env.settle(m.enqueueAsync(CBadOutput, {})));
        expect(err).toMatchObject({
          name: 'HandlerOutputError',
          code: 'HANDLER_OUTPUT',
          request: 'CBadOutput',
          attempt: 1,
        });
        expect((err.issues as { path: unknown[] }[])[0]?.path).toEqual(['id']);
        expect(s.called('CBadOutput')).toBe(1);
      });

      it('no handler for the request: HandlerNotFoundError naming request, queue and handlers, not retried', async () => {
        const err = await rejection(env.settle(m.enqueueAsync(COrphan, {})));
        expect(err).toMatchObject({
          name: 'HandlerNotFoundError',
          request: 'COrphan',
          queue: env.queue,
          attempt: 1,
        });
        expect(err.available).toEqual(
          expect.arrayContaining(['CEcho', 'COrderPlaced:email', 'COrderPlaced:audit']),
        );
        expect(err.message).toContain(`task queue '${env.queue}'`);
        const none = await rejection(env.settle((await m.enqueuePublish(CNobodyListens, {})).result()));
        expect(none).toMatchObject({
          name: 'HandlerNotFoundError',
          request: 'CNobodyListens',
          queue: env.queue,
        });
      });

      it('input failing the schema at the caller: RequestValidationError, nothing started', async () => {
        const jobId = `CEcho-invalid-${env.queue}`;
        const err = await rejection(m.enqueue(CEcho, { text: '' }, { jobId }));
        expect(err).toMatchObject({ name: 'RequestValidationError', side: 'caller', request: 'CEcho' });
        await expect(m.job(jobId).status()).rejects.toMatchObject({ name: 'JobNotFoundError', jobId });
        await expect(m.job(jobId).result()).rejects.toMatchObject({ name: 'JobNotFoundError', jobId });
      });
    });

    jobSemantics(() => ({ env, s }));
    operationSemantics(() => ({ env, s }));
    versionSemantics(backend);

    describe('notifications', () => {
      it('enqueuePublish fans out one activity per handler; a failing handler is retried on its own', async () => {
        const job = await m.enqueuePublish(COrderPlaced, { orderId: 'twice-1' });
        expect(await env.settle(job.result())).toEqual({
          outcomes: [
            { handler: 'email', status: 'fulfilled' },
            { handler: 'audit', status: 'fulfilled' },
          ],
        });
        expect(s.called('email:twice-1')).toBe(3);
        expect(s.called('audit:twice-1')).toBe(1);
        expect(s.keys).toEqual([{ jobId: job.id, key: `${job.id}:audit`, handler: 'audit' }]);
      });

      it('a handler that keeps failing fails the job with AggregateHandlerError and each outcome', async () => {
        const job = await m.enqueuePublish(COrderPlaced, { orderId: 'always-1' });
        const err = await rejection(env.settle(job.result()));
        expect(err).toMatchObject({ name: 'AggregateHandlerError', request: 'COrderPlaced', jobId: job.id });
        expect(err.outcomes).toEqual([
          { handler: 'email', status: 'rejected', error: { message: 'mailbox full', type: 'Error' } },
          { handler: 'audit', status: 'fulfilled' },
        ]);
        expect(s.called('email:always-1')).toBe(3);
        expect(s.called('audit:always-1')).toBe(1);
        expect(await job.status()).toBe('failed');
      });

      it('cancelling a publish job cancels it (JobCancelledError, status cancelled), not fails it', async () => {
        const job = await m.enqueuePublish(COrderPlaced, { orderId: 'wait-1' });
        await waitFor(() => s.called('email:wait-1') > 0 && s.called('audit:wait-1') > 0);
        await job.cancel();
        const err = await rejection(env.settle(job.result()));
        expect(err).toMatchObject({
          name: 'JobCancelledError',
          code: 'JOB_CANCELLED',
          request: 'COrderPlaced',
          jobId: job.id,
        });
        expect(await job.status()).toBe('cancelled');
      });
    });

    describe('console and progress', () => {
      it('ctx.log lines and ctx.progress are read back with job.logs() and job.progress()', async () => {
        const job = await m.enqueue(CReport, { pages: 4 });
        expect(await env.settle(job.result())).toEqual({ pages: 4 });
        const lines = await job.logs();
        expect(lines).toHaveLength(6);
        expect(lines[0]).toMatchObject({
          level: 'info',
          message: 'rendering report',
          attributes: { pages: 4 },
          attempt: 1,
        });
        expect(lines.at(-1)).toMatchObject({ level: 'warn', message: 'report done' });
        expect(await job.progress()).toMatchObject({ fraction: 0.5, done: 2, total: 4, message: 'half way' });
      });
    });
  });

  describe(`contract: ${backend.name}: behaviors and caller options`, () => {
    it('dispatch behaviors stamp metadata and derive the jobId; handle behaviors see job id and attempt', async () => {
      const trail: string[] = [];
      let seen: Record<string, string> | undefined;
      const stamp: DispatchBehavior = async (ctx, next) => {
        const text = String((ctx.input as { text: string }).text);
        ctx.metadata.tenant = 'acme';
        ctx.metadata.correlationId = `corr-${text}`;
        ctx.options.jobId = `CEcho-${text}-${ctx.mode}-${Date.now()}`;
        return next();
      };
      const around: HandleBehavior = async (ctx, next) => {
        trail.push(`before ${ctx.request} job=${ctx.jobId} attempt=${ctx.attempt}`);
        seen = { ...ctx.metadata };
        const result = await next();
        trail.push('after');
        return result;
      };
      const handlers = createHandlers({ behaviors: [around] }).handle(CEcho, (input, ctx) => ({
        text: `${input.text}/${ctx.metadata.tenant}/${ctx.idempotencyKey === ctx.jobId ? 'key=job' : 'key?'}`,
        attempt: ctx.attempt ?? 0,
      }));
      const env = await backend.start(handlers, { behaviors: [stamp] });
      try {
        const job = await env.mediator.enqueue(CEcho, { text: 'order-7' });
        expect(job.id).toMatch(/^CEcho-order-7-enqueue-/);
        expect(await env.settle(job.result())).toEqual({ text: 'order-7/acme/key=job', attempt: 1 });
        expect(seen).toEqual({ tenant: 'acme', correlationId: 'corr-order-7' });
        expect(trail).toEqual([`before CEcho job=${job.id} attempt=1`, 'after']);
      } finally {
        await env.close();
      }
    });

    it('a dispatch behavior that refuses stops the job before anything starts', async () => {
      const deny: DispatchBehavior = () => Promise.reject(new Error('forbidden: tenant suspended'));
      const env = await backend.start(createHandlers(), { behaviors: [deny] });
      const jobId = `CEcho-denied-${env.queue}`;
      try {
        await expect(env.mediator.enqueue(CEcho, { text: 'x' }, { jobId })).rejects.toThrow(
          'forbidden: tenant suspended',
        );
        await expect(env.mediator.job(jobId).describe()).rejects.toMatchObject({ name: 'JobNotFoundError' });
      } finally {
        await env.close();
      }
    });

    it('input failing on the worker (caller skipped validation): non-retryable RequestValidationError', async () => {
      let calls = 0;
      const handlers = createHandlers().handle(CEcho, (input) => {
        calls++;
        return { text: input.text, attempt: 1 };
      });
      const env = await backend.start(handlers, { validate: { input: false } });
      try {
        const err = await rejection(
          env.settle(env.mediator.enqueueAsync(CEcho, { text: 123 } as unknown as { text: string })),
        );
        expect(err).toMatchObject({
          name: 'RequestValidationError',
          side: 'worker',
          request: 'CEcho',
          attempt: 1,
        });
        expect(calls).toBe(0);
      } finally {
        await env.close();
      }
    });
  });
}

/** Resolves once `check()` is true (polled on real time: handlers run on real time on every backend). */
export async function waitFor(check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
