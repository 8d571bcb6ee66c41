import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduleOptions } from '../../src/dispatch/plan.js';
import { createHandlers } from '../../src/index.js';
import type { Mediator } from '../../src/index.js';
import type { MediatorWorker } from '../../src/worker/create-worker.js';
import { Echo } from './fixtures/contracts.js';
import { testMediator, testWorker, uniqueQueue } from './helpers.js';

const queue = uniqueQueue('delayed');
const ran: string[] = [];
const handlers = createHandlers().handle(Echo, (input, ctx) => {
  ran.push(input.text);
  return { text: input.text, attempt: ctx.attempt ?? 0 };
});

let worker: MediatorWorker;
let running: Promise<void>;
let mediator: Mediator;

beforeAll(async () => {
  worker = await testWorker(handlers, { queues: [queue] });
  running = worker.run();
  mediator = await testMediator({ defaults: { queue } });
});

afterAll(async () => {
  await mediator.close();
  worker.shutdown();
  await running;
});

describe('delayed jobs (workflow start delay)', () => {
  it('a delayed job is scheduled, then runs after the delay', async () => {
    const started = Date.now();
    const job = await mediator.schedule(Echo, { text: 'later' }, { delay: '1500ms' });
    expect(await job.status()).toBe('scheduled');
    expect(await job.result()).toEqual({ text: 'later', attempt: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
  });

  it('schedule at a Date in the future waits until then; a time in the past runs at once', async () => {
    const at = new Date(Date.now() + 1200);
    const job = await mediator.schedule(Echo, { text: 'at' }, { at });
    expect((await job.describe()).executionTime!.getTime()).toBeGreaterThanOrEqual(at.getTime() - 50);
    await job.result();
    expect(Date.now()).toBeGreaterThanOrEqual(at.getTime() - 50);
    const past = await mediator.schedule(Echo, { text: 'past' }, { at: new Date(Date.now() - 60_000) });
    expect(await past.status()).not.toBe('scheduled');
    expect(await past.result()).toEqual({ text: 'past', attempt: 1 });
  });

  it('a delayed job cancelled before it fires never runs its handler', async () => {
    const job = await mediator.schedule(Echo, { text: 'never' }, { delay: '3s' });
    expect(await job.status()).toBe('scheduled');
    await job.cancel();
    await expect(job.result()).rejects.toMatchObject({ name: 'JobCancelledError', jobId: job.id });
    await new Promise((r) => setTimeout(r, 3500));
    expect(ran).not.toContain('never');
    expect(await job.status()).toBe('cancelled');
  });

  it('an invalid delay is a clear error, and nothing starts', async () => {
    const jobId = `Echo-bad-delay-${Date.now()}`;
    await expect(
      mediator.schedule(Echo, { text: 'x' }, { delay: 'soon' as never, jobId }),
    ).rejects.toMatchObject({
      name: 'InvalidOptionError',
      option: 'delay',
      request: 'Echo',
    });
    await expect(
      mediator.schedule(Echo, { text: 'x' }, { at: new Date('nope'), jobId }),
    ).rejects.toMatchObject({ option: 'at' });
    // The type refuses `{}`; the runtime check is for untyped callers.
    await expect(mediator.schedule(Echo, { text: 'x' }, {} as ScheduleOptions)).rejects.toThrow(
      /needs \{ delay \} or \{ at \}/,
    );
    await expect(mediator.job(jobId).describe()).rejects.toMatchObject({ name: 'JobNotFoundError' });
  });
});
