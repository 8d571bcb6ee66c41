import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/index.js';
import type { DispatchBehavior, HandleBehavior } from '../../src/index.js';
import { Echo, Slow } from './fixtures/contracts.js';
import { testMediator, testWorker, uniqueQueue } from './helpers.js';

describe('behaviors on the durable path', () => {
  it('dispatch behaviors stamp metadata and derive the jobId at the caller; handle behaviors run in the worker', async () => {
    const queue = uniqueQueue('behaviors');
    const seen: { metadata?: Record<string, string>; trail: string[] } = { trail: [] };
    const stamp: DispatchBehavior = async (ctx, next) => {
      ctx.metadata.tenant = 'acme';
      ctx.metadata.correlationId = `corr-${String((ctx.input as { text: string }).text)}`;
      ctx.options.jobId = `Echo-${String((ctx.input as { text: string }).text)}-${queue}`;
      return next();
    };
    const around: HandleBehavior = async (ctx, next) => {
      seen.trail.push(`before ${ctx.request} job=${ctx.jobId} attempt=${ctx.attempt}`);
      seen.metadata = { ...ctx.metadata };
      const result = await next();
      seen.trail.push('after');
      return result;
    };
    const handlers = createHandlers({ behaviors: [around] }).handle(Echo, (input, ctx) => ({
      text: `${input.text}/${ctx.metadata.tenant}`,
      attempt: ctx.attempt ?? 0,
    }));
    const worker = await testWorker(handlers, { queues: [queue] });
    const mediator = await testMediator({ behaviors: [stamp], defaults: { queue } });
    try {
      const job = await mediator.enqueue(Echo, { text: 'order-7' });
      expect(job.id).toBe(`Echo-order-7-${queue}`);
      const out = await worker.runUntil(job.result());
      expect(out).toEqual({ text: 'order-7/acme', attempt: 1 });
      expect(seen.metadata).toEqual({ tenant: 'acme', correlationId: 'corr-order-7' });
      expect(seen.trail).toEqual([`before Echo job=Echo-order-7-${queue} attempt=1`, 'after']);
    } finally {
      await mediator.close();
    }
  });

  it('a dispatch behavior that refuses stops the job before anything starts', async () => {
    const deny: DispatchBehavior = () => Promise.reject(new Error('forbidden: tenant suspended'));
    const mediator = await testMediator({ behaviors: [deny] });
    const jobId = `Echo-denied-${Date.now()}`;
    try {
      await expect(mediator.enqueue(Echo, { text: 'x' }, { jobId })).rejects.toThrow(
        'forbidden: tenant suspended',
      );
      await expect(mediator.job(jobId).describe()).rejects.toMatchObject({ name: 'JobNotFoundError' });
    } finally {
      await mediator.close();
    }
  });

  it('graceful shutdown lets a running handler finish and fails no job', async () => {
    const queue = uniqueQueue('graceful');
    let started: () => void = () => undefined;
    const running = new Promise<void>((r) => (started = r));
    let calls = 0;
    const handlers = createHandlers().handle(Slow, async (input) => {
      calls++;
      started();
      await new Promise((r) => setTimeout(r, input.ms));
      return { done: true };
    });
    const worker = await testWorker(handlers, { queues: [queue], shutdownGraceTime: '10s' });
    const mediator = await testMediator({ defaults: { queue } });
    try {
      const stopped = worker.run();
      const job = await mediator.enqueue(Slow, { ms: 1500 });
      await running;
      const shutdownAt = Date.now();
      worker.shutdown();
      await stopped;
      // Shutdown waited for the running handler (about 1.5 s) instead of abandoning it.
      expect(Date.now() - shutdownAt).toBeGreaterThan(800);
      // The handler's result was recorded: a new worker only finishes the workflow, with no second attempt.
      const next = await testWorker(handlers, { queues: [queue] });
      expect(await next.runUntil(job.result())).toEqual({ done: true });
      expect(calls).toBe(1);
    } finally {
      await mediator.close();
    }
  });
});
