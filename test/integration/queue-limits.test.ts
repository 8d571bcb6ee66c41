/**
 * Per-call fairness keys and weights reach Temporal's priority; queue limits are the server's
 * task-queue config (`mediator.queue(name)`): a rate limit spreads a burst of jobs out over time.
 * (That fairness keeps a flooding key from starving another needs a server with fairness enabled:
 * test/cluster/fairness-options.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHandlers, defineCommand } from '../../src/index.js';
import type { Mediator } from '../../src/index.js';
import { testMediator, testWorker, uniqueQueue } from './helpers.js';

const Tick = defineCommand({
  name: 'QueueTick',
  input: z.object({ i: z.number(), q: z.string() }),
  output: z.object({}),
});
const started: Record<string, number[]> = {};
const handlers = createHandlers().handle(Tick, (input) => {
  (started[input.q] ??= []).push(Date.now());
  return {};
});

let mediator: Mediator;
beforeAll(async () => {
  mediator = await testMediator();
});
afterAll(async () => {
  await mediator?.close();
});

describe('fairness options', () => {
  it('fairnessKey and fairnessWeight are the job priority on the server, next to the priority key', async () => {
    const queue = uniqueQueue('fair-opts');
    const job = await mediator.enqueue(
      Tick,
      { i: 0, q: 'none' },
      { queue, fairnessKey: 'tenant-a', fairnessWeight: 2.5, priority: 2 },
    );
    const d = await mediator.client!.workflow.getHandle(job.id).describe();
    expect(d.raw.workflowExecutionInfo?.priority).toMatchObject({
      priorityKey: 2,
      fairnessKey: 'tenant-a',
      fairnessWeight: 2.5,
    });
    await job.cancel();
  });
});

describe('mediator.queue(name)', () => {
  it('setRateLimit spreads a burst over time for every worker; null removes it', async () => {
    const queue = uniqueQueue('rate');
    const q = mediator.queue(queue);
    expect(await q.setRateLimit(2, { reason: 'test' })).toMatchObject({ rateLimit: 2 });
    expect((await q.limits()).rateLimit).toBe(2);
    const worker = await testWorker(handlers, { queues: [queue], concurrency: 10 });
    await worker.runUntil(async () => {
      const jobs = await Promise.all(
        [0, 1, 2, 3, 4, 5].map((i) => mediator.enqueue(Tick, { i, q: queue }, { queue })),
      );
      await Promise.all(jobs.map((j) => j.result()));
    });
    const times = started[queue] ?? [];
    expect(times).toHaveLength(6);
    // 6 runs at 2 per second: the last starts at least ~1.5 s after the first (unlimited: a few ms).
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(1400);
    expect(await q.setRateLimit(null)).toMatchObject({ rateLimit: undefined });
  });

  it('the per-key rate limit is set and cleared on the server; bad limits are refused', async () => {
    const q = mediator.queue(uniqueQueue('key-rate'));
    expect(await q.setFairnessKeyRateLimit(5)).toMatchObject({ fairnessKeyRateLimit: 5 });
    expect(await q.limits()).toMatchObject({ fairnessKeyRateLimit: 5 });
    expect(await q.setFairnessKeyRateLimit(null)).toMatchObject({ fairnessKeyRateLimit: undefined });
    await expect(q.setRateLimit(-1)).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(q.setFairnessWeights({ a: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('fairness weight overrides: kept by the cluster (1.32); a server without them is a clear error', async () => {
    const q = mediator.queue(uniqueQueue('weights'));
    if (process.env.TEMPORAL_TARGET !== 'cluster') {
      // The dev server (1.29) accepts the call and keeps nothing.
      await expect(q.setFairnessWeights({ a: 3 })).rejects.toMatchObject({ code: 'NOT_CONFIGURED' });
      return;
    }
    expect((await q.setFairnessWeights({ a: 3, b: 0.5 })).fairnessWeights).toEqual({ a: 3, b: 0.5 });
    expect((await q.setFairnessWeights({ b: null })).fairnessWeights).toEqual({ a: 3 });
    expect((await q.limits()).fairnessWeights).toEqual({ a: 3 });
  });
});
