/**
 * The per-call `fairnessKey` and `fairnessWeight` options on a server with fairness on (the
 * cluster's dynamic config enables `matching.enableFairness`): a key flooding a shared queue does
 * not starve a second key, and a weighted key's weight reaches the server. Like fairness.test.ts (which
 * sets the key with a client interceptor, before the option existed), a worker with one slot starts
 * after the backlog is queued, so the execution order is the dispatch order.
 */
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandlers, defineCommand } from '../../src/index.js';
import type { EnqueueOptions, JobHandle, Mediator } from '../../src/index.js';
import { testMediator, testWorker, uniqueQueue } from '../integration/helpers.js';

const Keyed = defineCommand({
  name: 'FairKeyed',
  input: z.object({ key: z.string(), i: z.number().int() }),
  output: z.object({}),
});

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** Enqueues `count` jobs of `key` (no worker yet) and returns their handles. */
async function backlog(mediator: Mediator, key: string, count: number, options: EnqueueOptions = {}) {
  const jobs: JobHandle[] = [];
  for (let i = 0; i < count; i++)
    jobs.push(await mediator.enqueue(Keyed, { key, i }, { fairnessKey: key, ...options }));
  return jobs;
}

/** Runs the backlog with one slot and returns the keys in execution order. */
async function runInOrder(queue: string, mediator: Mediator, jobs: JobHandle[]): Promise<string[]> {
  const order: string[] = [];
  const handlers = createHandlers().handle(Keyed, (input) => {
    order.push(input.key);
    return {};
  });
  const worker = await testWorker(handlers, { queues: [queue], concurrency: 1 });
  await worker.runUntil(Promise.all(jobs.map((j) => mediator.job(Keyed, j.id).result())));
  return order;
}

describe('cluster: fairnessKey and fairnessWeight options', () => {
  it('a key flooding the queue with 40 jobs does not starve a second key of 10', async () => {
    const queue = uniqueQueue('fair-flood');
    const mediator = await testMediator({ defaults: { queue } });
    cleanup.push(() => mediator.close());
    const jobs = [...(await backlog(mediator, 'flood', 40)), ...(await backlog(mediator, 'quiet', 10))];
    const described = await mediator.client!.workflow.getHandle(jobs[40]!.id).describe();
    expect(described.raw.workflowExecutionInfo?.priority?.fairnessKey).toBe('quiet');
    const order = await runInOrder(queue, mediator, jobs);
    const quiet = order.flatMap((k, i) => (k === 'quiet' ? [i] : []));
    console.info(
      `[cluster fairness options] flood: ${order.map((k) => (k === 'quiet' ? 'Q' : '.')).join('')}`,
    );
    expect(quiet).toHaveLength(10);
    // Arrival order would run the quiet key at 40–49; fairness starts it early and mixes it in. Early,
    // not first: under load a few flood tasks were already handed to matching's readers (seen: 7).
    expect(quiet[0]).toBeLessThan(15);
    expect(quiet.filter((p) => p < 25).length).toBeGreaterThanOrEqual(4);
  }, 180_000);

  it("a weighted key queued behind another key's backlog is served from the start; the weight is on the job", async () => {
    const queue = uniqueQueue('fair-weight');
    const mediator = await testMediator({ defaults: { queue } });
    cleanup.push(() => mediator.close());
    const jobs = [
      ...(await backlog(mediator, 'light', 20, { fairnessWeight: 1 })),
      ...(await backlog(mediator, 'heavy', 20, { fairnessWeight: 10 })),
    ];
    const described = await mediator.client!.workflow.getHandle(jobs[20]!.id).describe();
    expect(described.raw.workflowExecutionInfo?.priority).toMatchObject({
      fairnessKey: 'heavy',
      fairnessWeight: 10,
    });
    const order = await runInOrder(queue, mediator, jobs);
    console.info(
      `[cluster fairness options] weights: ${order.map((k) => (k === 'heavy' ? 'H' : '.')).join('')}`,
    );
    const heavy = (n: number) => order.slice(0, n).filter((k) => k === 'heavy').length;
    // Arrival order: none of the first 20. Measured with weight 4 and 10 against 1: 8 and 5 of the
    // first 10, 12 and 12 of the first 20 — the queue's 4 partitions blur the ratio, so only the
    // share fairness guarantees is asserted, not the weight's proportion.
    expect(heavy(20)).toBeGreaterThanOrEqual(8);
  }, 180_000);
});
