import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHandlers, createInMemoryMediator, createTestClock, defineCommand } from '../../src/index.js';
import { silentLogger } from './helpers.js';

const Work = defineCommand({
  name: 'Work',
  input: z.object({ n: z.number() }),
  output: z.object({ n: z.number(), pad: z.string() }),
});
const handlers = createHandlers().handle(Work, (input, ctx) => {
  ctx.log.info('working', { n: input.n });
  return { n: input.n, pad: 'x'.repeat(200) };
});

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

describe('in-memory mode is bounded', () => {
  it("forgets finished jobs after the retention (default '24h'), like Temporal after namespace retention", async () => {
    const clock = createTestClock({ start: new Date('2030-01-01T00:00:00Z') });
    const mediator = createInMemoryMediator({ handlers, clock, logger: silentLogger });
    const job = await mediator.enqueue(Work, { n: 1 });
    await clock.runUntil(job.result());
    await clock.advance('23h');
    expect(await mediator.job(Work, job.id).result()).toMatchObject({ n: 1 });
    await clock.advance('2h');
    await expect(mediator.job(job.id).status()).rejects.toMatchObject({
      code: 'JOB_NOT_FOUND',
      jobId: job.id,
    });
    await mediator.close();
  });

  it('keeps at most maxFinishedJobs finished jobs and maxRecords records', async () => {
    const mediator = createInMemoryMediator({
      handlers,
      logger: silentLogger,
      maxFinishedJobs: 2,
      maxRecords: 10,
    });
    const ids: string[] = [];
    for (let n = 0; n < 30; n++) {
      const job = await mediator.enqueue(Work, { n });
      await job.result();
      ids.push(job.id);
    }
    await mediator.enqueue(Work, { n: 99 }).then((j) => j.result());
    await expect(mediator.job(ids[0]!).status()).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
    expect(await mediator.job(ids[29]!).status()).toBe('completed');
    expect(mediator.dispatched().length).toBeLessThanOrEqual(11);
    expect(mediator.dispatched().at(-1)?.input).toEqual({ n: 99 });
    await mediator.close();
  });

  it('memory stays flat across 100,000 jobs', async () => {
    // With the test harness's 10,000 records: what a long test run keeps.
    const mediator = createInMemoryMediator({ handlers, logger: silentLogger, maxRecords: 10_000 });
    const run = async (from: number, count: number) => {
      for (let i = from; i < from + count; i += 500) {
        await Promise.all(Array.from({ length: 500 }, (_, k) => mediator.enqueueAsync(Work, { n: i + k })));
      }
    };
    const started = Date.now();
    await run(0, 20_000);
    const at20k = heapMb();
    const rss20k = process.memoryUsage().rss / 2 ** 20;
    await run(20_000, 80_000);
    const at100k = heapMb();
    const rss100k = process.memoryUsage().rss / 2 ** 20;
    console.info(
      `[in-memory] 100,000 jobs in ${((Date.now() - started) / 1000).toFixed(1)} s: heap after GC ${at20k.toFixed(1)} MB at 20k, ${at100k.toFixed(1)} MB at 100k; RSS ${rss20k.toFixed(0)} MB at 20k, ${rss100k.toFixed(0)} MB at 100k; ${mediator.dispatched().length} records kept`,
    );
    // 80,000 more jobs held would be well over 100 MB (each keeps its envelope, result and console).
    expect(at100k - at20k).toBeLessThan(15);
    expect(mediator.dispatched().length).toBeLessThanOrEqual(11_000);
    await mediator.close();
  }, 120_000);
});
