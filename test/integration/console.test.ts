import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHandlers, createMediator, defineCommand } from '../../src/index.js';
import type { Mediator } from '../../src/index.js';
import type { MediatorWorker } from '../../src/worker/create-worker.js';
import { quietLogger, testMediator, testWorker, uniqueQueue } from './helpers.js';

const Report = defineCommand({
  name: 'Report',
  input: z.object({ pages: z.number().int() }),
  output: z.object({ pages: z.number() }),
});
const Quiet = defineCommand({ name: 'Quiet', input: z.object({}), output: z.object({}), console: false });
const Fast = defineCommand({
  name: 'Fast',
  input: z.object({ n: z.number() }),
  output: z.object({ n: z.number() }),
  fastLane: true,
  timeout: '10s',
});

const queue = uniqueQueue('console');
const handlers = createHandlers()
  .handle(Report, async (input, ctx) => {
    ctx.log.info('rendering report', { pages: input.pages });
    for (let page = 1; page <= input.pages; page++) {
      ctx.log.info(`page ${page} rendered`);
      if (page === Math.floor(input.pages / 2))
        ctx.progress({ done: page, total: input.pages, message: 'half way' });
    }
    await new Promise((r) => setTimeout(r, 50));
    ctx.log.warn('report done');
    return { pages: input.pages };
  })
  .handle(Quiet, (_input, ctx) => {
    ctx.log.info('not shipped');
    return {};
  })
  .handle(Fast, (input) => ({ n: input.n * 2 }));

let worker: MediatorWorker;
let running: Promise<void>;
let mediator: Mediator;

beforeAll(async () => {
  worker = await testWorker(handlers, { queues: [queue], console: { flushInterval: '200ms' } });
  running = worker.run();
  mediator = await testMediator({ defaults: { queue } });
});

afterAll(async () => {
  await mediator.close();
  worker.shutdown();
  await running;
});

async function signalCount(jobId: string): Promise<number> {
  const history = await mediator.client!.workflow.getHandle(jobId).fetchHistory();
  return history.events?.filter((e) => e.workflowExecutionSignaledEventAttributes).length ?? 0;
}

describe('job console and progress', () => {
  it('ships ctx.log lines to the job in batches; job.logs() and job.progress() read them from any process', async () => {
    const job = await mediator.enqueue(Report, { pages: 250 });
    expect(await job.result()).toEqual({ pages: 250 });
    const lines = await job.logs();
    expect(lines).toHaveLength(252);
    expect(lines[0]).toMatchObject({
      level: 'info',
      message: 'rendering report',
      attributes: { pages: 250 },
      attempt: 1,
    });
    expect(lines.at(-1)).toMatchObject({ level: 'warn', message: 'report done' });
    expect(await job.progress()).toMatchObject({ fraction: 0.5, done: 125, total: 250, message: 'half way' });
    // 252 lines: at most 100 per timed batch, the rest in the final one; never one event per line.
    const signals = await signalCount(job.id);
    expect(signals).toBeGreaterThanOrEqual(1);
    expect(signals).toBeLessThanOrEqual(6);
  });

  it('shows the console in the Web UI as the workflow current details', async () => {
    const job = await mediator.enqueue(Report, { pages: 4 });
    await job.result();
    const meta = await mediator
      .client!.workflow.getHandle(job.id)
      .query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(meta.currentDetails).toContain('**Console** (6 line(s))');
    expect(meta.currentDetails).toContain('page 3 rendered');
    expect(meta.currentDetails).toContain('**Progress:** 50% (2/4) — half way');
  });

  it('console: false on the request ships nothing', async () => {
    const job = await mediator.enqueue(Quiet, {});
    await job.result();
    expect(await job.logs()).toEqual([]);
    expect(await signalCount(job.id)).toBe(0);
  });

  it('fast lane runs the handler as a local activity (no activity task) and eagerly when sharing the worker connection', async () => {
    const shared = await createMediator({
      client: new Client({ connection: worker.connection }),
      logger: quietLogger,
      defaults: { queue },
    });
    const job = await shared.enqueue(Fast, { n: 21 });
    expect(await job.result()).toEqual({ n: 42 });
    const history = await mediator.client!.workflow.getHandle(job.id).fetchHistory();
    expect(history.events?.some((e) => e.activityTaskScheduledEventAttributes)).toBe(false);
    expect(history.events?.some((e) => e.markerRecordedEventAttributes)).toBe(true);
    // Per call, the fast lane can be turned off again.
    const slow = await shared.enqueue(Fast, { n: 1 }, { fastLane: false });
    await slow.result();
    const h2 = await mediator.client!.workflow.getHandle(slow.id).fetchHistory();
    expect(h2.events?.some((e) => e.activityTaskScheduledEventAttributes)).toBe(true);
  });
});
