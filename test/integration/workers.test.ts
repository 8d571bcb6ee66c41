import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createActivities } from '../../activities/index.js';
import { createHandlers, createMediator, defineCommand } from '../../src/index.js';
import { Echo, OrderPlaced } from './fixtures/contracts.js';
import { address, quietLogger, testMediator, testWorker, uniqueQueue } from './helpers.js';

const Work = defineCommand({
  name: 'Work',
  input: z.object({ n: z.number() }),
  output: z.object({ worker: z.string() }),
});

/** Handlers that record the peak number of concurrent runs. */
function concurrencyProbe(name: string) {
  const stats = { current: 0, peak: 0, runs: 0 };
  const handlers = createHandlers().handle(Work, async () => {
    stats.current++;
    stats.runs++;
    stats.peak = Math.max(stats.peak, stats.current);
    await new Promise((r) => setTimeout(r, 250));
    stats.current--;
    return { worker: name };
  });
  return { stats, handlers };
}

describe('workers, queues and hosting', () => {
  it('routes jobs to workers by queue, each holding its own concurrency limit', async () => {
    const qa = uniqueQueue('critical');
    const qb = uniqueQueue('reports');
    const a = concurrencyProbe('A');
    const b = concurrencyProbe('B');
    const wa = await testWorker(a.handlers, { queues: [qa], concurrency: 2 });
    const wb = await testWorker(b.handlers, { queues: [{ name: qb, concurrency: 5 }] });
    const mediator = await testMediator();
    try {
      const results = await wa.runUntil(
        wb.runUntil(
          Promise.all([
            ...Array.from({ length: 8 }, (_, n) => mediator.enqueueAsync(Work, { n }, { queue: qa })),
            ...Array.from({ length: 15 }, (_, n) => mediator.enqueueAsync(Work, { n }, { queue: qb })),
          ]),
        ),
      );
      expect(results.slice(0, 8).every((r) => r.worker === 'A')).toBe(true);
      expect(results.slice(8).every((r) => r.worker === 'B')).toBe(true);
      expect(a.stats).toMatchObject({ runs: 8, peak: 2 });
      expect(b.stats.runs).toBe(15);
      expect(b.stats.peak).toBeLessThanOrEqual(5);
      expect(b.stats.peak).toBeGreaterThan(2);
    } finally {
      await mediator.close();
    }
  });

  it('enqueuePublish fans out one activity per handler; a failing handler is retried on its own', async () => {
    const queue = uniqueQueue('publish');
    const calls = { email: 0, audit: 0 };
    const handlers = createHandlers()
      .on(OrderPlaced, 'email', () => {
        calls.email++;
        if (calls.email < 3) throw new Error('mail server down');
      })
      .on(OrderPlaced, 'audit', () => {
        calls.audit++;
      });
    const worker = await testWorker(handlers, { queues: [queue] });
    const mediator = await testMediator({ defaults: { queue } });
    try {
      const { result, history } = await worker.runUntil(async () => {
        const job = await mediator.enqueuePublish(OrderPlaced, { orderId: 'o-1' });
        return {
          result: await job.result(),
          history: await mediator.client!.workflow.getHandle(job.id).fetchHistory(),
        };
      });
      expect(result.outcomes).toEqual([
        { handler: 'email', status: 'fulfilled' },
        { handler: 'audit', status: 'fulfilled' },
      ]);
      expect(calls).toEqual({ email: 3, audit: 1 });
      const types = history.events?.flatMap(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
      );
      expect(types).toEqual(['OrderPlaced:email', 'OrderPlaced:audit']);
    } finally {
      await mediator.close();
    }
  });

  it('a handler that keeps failing makes the publish job fail with each handler outcome', async () => {
    const queue = uniqueQueue('publish-fail');
    let audits = 0;
    const handlers = createHandlers()
      .on(OrderPlaced, 'email', () => {
        throw new Error('mailbox full');
      })
      .on(OrderPlaced, 'audit', () => {
        audits++;
      });
    const worker = await testWorker(handlers, { queues: [queue] });
    const mediator = await testMediator({ defaults: { queue } });
    try {
      const err = await worker.runUntil(async () =>
        (await mediator.enqueuePublish(OrderPlaced, { orderId: 'o-3' })).result().catch((e: unknown) => e),
      );
      expect(err).toMatchObject({ name: 'AggregateHandlerError', request: 'OrderPlaced' });
      expect((err as { outcomes: unknown[] }).outcomes).toEqual([
        { handler: 'email', status: 'rejected', error: { message: 'mailbox full', type: 'Error' } },
        { handler: 'audit', status: 'fulfilled' },
      ]);
      expect(audits).toBe(1);
    } finally {
      await mediator.close();
    }
  });

  it('cancelling a publish job cancels its handlers and ends the job cancelled, not failed', async () => {
    const queue = uniqueQueue('publish-cancel');
    let started: () => void = () => undefined;
    const waiting = new Promise<void>((r) => (started = r));
    let aborted = false;
    const handlers = createHandlers().on(OrderPlaced, 'slow', (_event, ctx) => {
      started();
      return new Promise<void>((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => {
          aborted = true;
          reject(ctx.signal.reason as Error);
        });
      });
    });
    const worker = await testWorker(handlers, { queues: [queue] });
    const mediator = await testMediator({ defaults: { queue } });
    try {
      const err = await worker.runUntil(async () => {
        const job = await mediator.enqueuePublish(OrderPlaced, { orderId: 'o-cancel' });
        await waiting;
        await job.cancel();
        return job.result().catch((e: unknown) => e);
      });
      expect(err).toMatchObject({ name: 'JobCancelledError', request: 'OrderPlaced' });
      expect(aborted).toBe(true);
    } finally {
      await mediator.close();
    }
  });

  it("accepts the service's existing Client and NativeConnection", async () => {
    const queue = uniqueQueue('existing');
    const connection = await Connection.connect({ address: address() });
    const nativeConnection = await NativeConnection.connect({ address: address() });
    const client = new Client({ connection });
    const handlers = createHandlers().handle(Echo, (input) => ({ text: input.text, attempt: 1 }));
    const worker = await testWorker(handlers, { queues: [queue], nativeConnection, connection: undefined });
    const mediator = await createMediator({ client, logger: quietLogger });
    try {
      const out = await worker.runUntil(mediator.enqueueAsync(Echo, { text: 'existing' }, { queue }));
      expect(out.text).toBe('existing');
      await mediator.close(); // must not close a connection it does not own
      expect(await client.workflow.count()).toBeDefined();
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  });

  it("runs inside a user's own worker beside the user's own workflow and activity", async () => {
    const queue = uniqueQueue('hosted');
    const handlers = createHandlers().handle(Echo, (input, ctx) => ({
      text: `hosted ${input.text}`,
      attempt: ctx.attempt ?? 0,
    }));
    const connection = await NativeConnection.connect({ address: address() });
    const worker = await Worker.create({
      connection,
      taskQueue: queue,
      // The user's workflows module re-exports executeRequest from 'temporal-mediator/workflows'.
      workflowsPath: fileURLToPath(new URL('./fixtures/user-workflows.ts', import.meta.url)),
      activities: {
        greet: (name: string) => Promise.resolve(`hello ${name}`),
        ...createActivities(handlers, { logger: quietLogger }),
      },
    });
    const mediator = await testMediator({ defaults: { queue } });
    try {
      const [mine, theirs, typo] = await worker.runUntil(
        Promise.all([
          mediator.client!.workflow.execute('userGreeting', {
            taskQueue: queue,
            workflowId: `greet-${queue}`,
            args: ['Ada'],
          }) as Promise<string>,
          mediator.enqueueAsync(Echo, { text: 'job' }),
          mediator
            .client!.workflow.execute('userTypo', {
              taskQueue: queue,
              workflowId: `typo-${queue}`,
              args: ['x'],
            })
            .then(
              () => undefined,
              (err: unknown) => err as { cause?: { cause?: Error } },
            ),
        ]),
      );
      expect(mine).toBe('hello Ada');
      expect(theirs).toEqual({ text: 'hosted job', attempt: 1 });
      // The typo'd activity is the SDK's "not registered", not the mediator claiming it via `default`.
      const activityError = typo?.cause?.cause;
      expect(activityError?.message).toMatch(/greeet.*not registered/i);
      expect(activityError?.message).not.toMatch(/no handler for request/i);
      expect((activityError as { type?: string } | undefined)?.type).not.toBe('HandlerNotFoundError');
    } finally {
      await mediator.close();
      await connection.close();
    }
  });

  it('queues() reports the workers polling each queue and the backlog of waiting jobs', async () => {
    const served = uniqueQueue('stats');
    const idle = uniqueQueue('backlog');
    const { handlers } = concurrencyProbe('S');
    const worker = await testWorker(handlers, { queues: [served], identity: 'worker-stats-1' });
    const mediator = await testMediator();
    try {
      await Promise.all([1, 2, 3].map((n) => mediator.enqueue(Work, { n }, { queue: idle })));
      const stats = await worker.runUntil(async () => {
        await mediator.enqueueAsync(Work, { n: 0 }, { queue: served });
        for (let i = 0; ; i++) {
          const [s, b] = await mediator.queues([served, idle]);
          if ((s!.workers.includes('worker-stats-1') && b!.workflowBacklog >= 3) || i > 40)
            return [s!, b!] as const;
          await new Promise((r) => setTimeout(r, 250));
        }
      });
      expect(stats[0].workers).toContain('worker-stats-1');
      expect(stats[0].pollers.map((p) => p.kind)).toEqual(expect.arrayContaining(['workflow', 'activity']));
      expect(stats[1].workers).toEqual([]);
      expect(stats[1].workflowBacklog).toBeGreaterThanOrEqual(3);
    } finally {
      await mediator.close();
    }
  });
});
