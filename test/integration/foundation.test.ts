import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHandlers, defineCommand } from '../../src/index.js';
import { testMediator, testWorker, uniqueQueue } from './helpers.js';

const Add = defineCommand({
  name: 'Add',
  input: z.object({ a: z.number(), b: z.number() }),
  output: z.object({ sum: z.number(), worker: z.string() }),
});

describe('end to end on the real dev server', () => {
  it('runs executeRequest, which calls the handler activity on a worker, and returns its result', async () => {
    const queue = uniqueQueue('foundation');
    const handlers = createHandlers().handle(Add, (input, ctx) => ({
      sum: input.a + input.b,
      worker: `${ctx.jobId}#${ctx.attempt}`,
    }));
    const worker = await testWorker(handlers, { queues: [queue] });
    const mediator = await testMediator();
    try {
      const out = await worker.runUntil(mediator.enqueueAsync(Add, { a: 2, b: 40 }, { queue }));
      expect(out.sum).toBe(42);
      // The handler ran as a job: it saw a job id starting with the request name, attempt 1.
      expect(out.worker).toMatch(/^Add-[0-9a-f-]+#1$/);
    } finally {
      await mediator.close();
    }
  });
});
