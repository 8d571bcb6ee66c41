/**
 * Lanes on a server without standalone activities (the 1.29 dev server): the standalone lane is
 * refused with a typed error naming what is needed, or falls back to the workflow lane when asked.
 * On the cluster target (1.32 with standalone activities) see test/cluster/standalone.test.ts.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHandlers, defineCommand } from '../../src/index.js';
import { onCluster } from '../cluster/control.js';
import { testMediator, testWorker, uniqueQueue } from './helpers.js';

const Lane = defineCommand({
  name: 'LaneEcho',
  input: z.object({ n: z.number() }),
  output: z.object({ n: z.number() }),
});

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe.skipIf(onCluster)('lanes on a server without standalone activities (dev server 1.29)', () => {
  it("lane: 'standalone' is LaneUnsupportedError naming the server version and dynamic config; nothing starts", async () => {
    const queue = uniqueQueue('lane');
    const mediator = await testMediator({ defaults: { queue } });
    cleanup.push(() => mediator.close());
    const jobId = `LaneEcho-refused-${queue}`;
    const err = await mediator.enqueue(Lane, { n: 1 }, { lane: 'standalone', jobId }).then(
      () => undefined,
      (e: unknown) => e as Record<string, unknown>,
    );
    expect(err).toMatchObject({ name: 'LaneUnsupportedError', reason: 'server', lane: 'standalone' });
    expect(String(err?.message)).toMatch(/>= 1\.32.*activity\.enableStandalone.*this server is 1\.29/);
    expect(String(err?.message)).toContain("laneFallback: 'workflow'");
    await expect(mediator.client!.workflow.getHandle(jobId).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
  });

  it("laneFallback: 'workflow' runs the job on the workflow lane instead", async () => {
    const queue = uniqueQueue('lane');
    const handlers = createHandlers().handle(Lane, ({ n }) => ({ n: n * 2 }));
    const worker = await testWorker(handlers, { queues: [queue] });
    const running = worker.run();
    const mediator = await testMediator({
      defaults: { queue, lane: 'standalone', laneFallback: 'workflow' },
    });
    cleanup.push(async () => {
      await mediator.close();
      worker.shutdown();
      await running;
    });
    const job = await mediator.enqueue(Lane, { n: 21 });
    expect(await job.result()).toEqual({ n: 42 });
    const d = await job.describe();
    expect(d.lane).toBeUndefined();
    expect(d.historyLength).toBeGreaterThan(0);
    // The refusal is remembered: the next job goes straight to the workflow lane.
    expect(await mediator.enqueueAsync(Lane, { n: 2 })).toEqual({ n: 4 });
  });
});
