import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHandlers, defineCommand } from '../../src/index.js';
import { testMediator, testWorker, uniqueQueue } from './helpers.js';

const First = defineCommand({ name: 'IdFirst', input: z.object({}), output: z.object({ who: z.string() }) });
const Second = defineCommand({
  name: 'IdSecond',
  input: z.object({}),
  output: z.object({ who: z.string() }),
});

describe('job ids across requests', () => {
  it('without the search attribute, the request is read from the job envelope: JobIdConflictError names both', async () => {
    const queue = uniqueQueue('ids');
    const handlers = createHandlers()
      .handle(First, () => ({ who: 'first' }))
      .handle(Second, () => ({ who: 'second' }));
    const worker = await testWorker(handlers, { queues: [queue] });
    const mediator = await testMediator({ defaults: { queue }, searchAttributes: false });
    const jobId = `shared-${queue}`;
    try {
      await worker.runUntil(async () => {
        expect(await mediator.enqueueAsync(First, {}, { jobId })).toEqual({ who: 'first' });
        // Same request, same id: the existing job, as always.
        expect(await mediator.enqueueAsync(First, {}, { jobId })).toEqual({ who: 'first' });
        await expect(mediator.enqueueAsync(Second, {}, { jobId })).rejects.toMatchObject({
          name: 'JobIdConflictError',
          request: 'IdSecond',
          existingRequest: "request 'IdFirst'",
          jobId,
        });
      });
    } finally {
      await mediator.close();
    }
  });
});
