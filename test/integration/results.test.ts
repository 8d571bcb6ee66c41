import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHandlers, defineCommand } from '../../src/index.js';
import { testMediator, testWorker, uniqueQueue } from './helpers.js';

const Stamp = defineCommand({
  name: 'Stamp',
  input: z.object({ at: z.string() }),
  output: z.object({
    at: z.date(),
    // A transform whose output JSON has no form for, and one that changes the type.
    day: z.string().transform((s) => new Date(`${s}T00:00:00.000Z`)),
    length: z.string().transform((s) => s.length),
    big: z.bigint(),
  }),
});

describe('background results have the output schema type, like send', () => {
  it('z.date() and z.transform outputs come back as Dates and numbers from enqueueAsync and job(def, id).result()', async () => {
    const queue = uniqueQueue('results');
    const handlers = createHandlers().handle(Stamp, (input) => ({
      at: new Date(input.at),
      day: input.at.slice(0, 10),
      length: input.at,
      big: 2n ** 64n,
    }));
    const worker = await testWorker(handlers, { queues: [queue] });
    const mediator = await testMediator({ handlers, defaults: { queue } });
    const input = { at: '2030-01-02T03:04:05.000Z' };
    const expected = {
      at: new Date(input.at),
      day: new Date('2030-01-02T00:00:00.000Z'),
      length: 24,
      big: 2n ** 64n,
    };
    try {
      const [direct, viaHandle, sent] = await worker.runUntil(async () => {
        const out = await mediator.enqueueAsync(Stamp, input);
        const job = await mediator.enqueue(Stamp, input);
        const again = await mediator.job(Stamp, job.id).result();
        return [out, again, await mediator.send(Stamp, input)] as const;
      });
      expect(direct.at).toBeInstanceOf(Date);
      expect(direct.day).toBeInstanceOf(Date);
      expect(direct).toEqual(expected);
      expect(viaHandle).toEqual(expected);
      expect(direct).toEqual(sent);
    } finally {
      await mediator.close();
    }
  });
});
