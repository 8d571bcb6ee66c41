import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHandlers, defineCommand } from '../../src/index.js';
import { testMediator, testWorker, uniqueQueue } from './helpers.js';

const Crunch = defineCommand({
  name: 'Crunch',
  input: z.object({ blockMs: z.number() }),
  output: z.object({ attempt: z.number() }),
  retry: { maximumAttempts: 3, initialInterval: '1s' },
});

/** Blocks this thread's event loop (no heartbeats go out), like CPU-bound work, without spinning a core. */
function blockEventLoop(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('heartbeatTimeout', () => {
  it('a handler blocking the event loop beyond the 10 s default runs once with a larger heartbeatTimeout', async () => {
    const queue = uniqueQueue('heartbeat');
    const runs: number[] = [];
    const handlers = createHandlers().handle(Crunch, (input, ctx) => {
      runs.push(ctx.attempt ?? 0);
      blockEventLoop(input.blockMs);
      return { attempt: ctx.attempt ?? 0 };
    });
    const worker = await testWorker(handlers, { queues: [queue] });
    const mediator = await testMediator({ defaults: { queue } });
    try {
      const { out, history } = await worker.runUntil(async () => {
        const job = await mediator.enqueue(Crunch, { blockMs: 13_000 }, { heartbeatTimeout: '40s' });
        const result = await job.result();
        // Give a second attempt (had the first been declared lost) time to show up.
        await new Promise((r) => setTimeout(r, 1_500));
        return { out: result, history: await mediator.client!.workflow.getHandle(job.id).fetchHistory() };
      });
      expect(out).toEqual({ attempt: 1 });
      expect(runs).toEqual([1]);
      const scheduled = (history.events ?? []).find((e) => e.activityTaskScheduledEventAttributes);
      const timeout = scheduled?.activityTaskScheduledEventAttributes?.heartbeatTimeout;
      expect(Number(timeout?.seconds)).toBe(40);
    } finally {
      await mediator.close();
    }
  }, 60_000);
});
