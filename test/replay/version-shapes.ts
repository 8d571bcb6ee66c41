/**
 * Job shapes of contract and envelope versions: upcast payloads, a payload newer than the worker's
 * contract waiting for a newer worker (both lanes), a newer envelope failing workflow tasks until a
 * newer worker runs it, and an upcaster that throws. Several need a second worker on its own queue.
 */
import type { WorkflowBundle } from '@temporalio/worker';
import { z } from 'zod';
import { createHandlers, defineCommand } from '../../src/index.js';
import type { Handlers, Mediator } from '../../src/index.js';
import type { MediatorWorker } from '../../src/worker/create-worker.js';
import { oldEnvelopeBundle } from '../integration/fixtures/old-envelope-bundle.js';
import { V1, V2, V3, split } from '../fixtures/versioned-greet.js';

/** What a shape may start besides the recorder's worker. */
export interface ShapeEnv {
  worker(handlers: Handlers, queue: string, bundle?: WorkflowBundle): Promise<MediatorWorker>;
}

const output = z.object({ greeting: z.string() });

const HelloV1 = defineCommand({ name: 'Hello', input: V1, output });
const HelloV2 = defineCommand({
  name: 'Hello',
  version: 2,
  input: V2,
  output,
  previousInputs: { 1: V1 },
  upcast: {
    1: (old) => {
      if (!old.name.includes(' ')) throw new Error(`cannot split '${old.name}'`);
      return split(old.name);
    },
  },
});
const HelloV3 = defineCommand({
  name: 'Hello',
  version: 3,
  input: V3,
  output,
  previousInputs: { 1: V1, 2: V2 },
  upcast: { 1: (old) => split(old.name), 2: (v2) => ({ ...v2, title: '' }) },
});

const v2Handlers = () =>
  createHandlers().handle(HelloV2, (input) => ({ greeting: `Hello, ${input.first} ${input.last}` }));
const v3Handlers = () =>
  createHandlers().handle(HelloV3, (input) => ({ greeting: `Hello, ${input.title} ${input.first}` }));

/** The recorder's own worker serves version 2 of `Hello`. */
export function registerVersionHandlers(handlers: Handlers): Handlers {
  return handlers.handle(HelloV2, (input) => ({ greeting: `Hello, ${input.first} ${input.last}` }));
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await check()) return;
    await pause(200);
  }
  throw new Error('timed out waiting for the job to wait');
}

async function hasEvent(m: Mediator, jobId: string, attribute: string): Promise<boolean> {
  const history = await m.client!.workflow.getHandle(jobId).fetchHistory();
  return (history.events ?? []).some((e) => attribute in e && e[attribute as keyof typeof e] != null);
}

/** Old worker up, job refused and waiting, new worker up, old worker stopped; the job completes. */
async function rollingDeploy(
  m: Mediator,
  plan: { old: MediatorWorker; next: () => Promise<MediatorWorker>; waitsOn: string },
  enqueue: () => Promise<{ id: string; result(): Promise<unknown> }>,
): Promise<string> {
  const oldRun = plan.old.run();
  const job = await enqueue();
  await until(() => hasEvent(m, job.id, plan.waitsOn));
  const next = await plan.next();
  const nextRun = next.run();
  plan.old.shutdown();
  await oldRun;
  await job.result().catch(() => undefined);
  next.shutdown();
  await nextRun;
  return job.id;
}

export function versionShapes(queue: string) {
  const settle = async (job: { id: string; result(): Promise<unknown> }) => {
    await job.result().catch(() => undefined);
    return job.id;
  };
  return [
    {
      name: 'contract-upcast',
      run: async (m: Mediator) => settle(await m.enqueue(HelloV1, { name: 'Ada Lovelace' }, { queue })),
    },
    {
      name: 'contract-v2-envelope',
      run: async (m: Mediator) => settle(await m.enqueue(HelloV2, { first: 'Ada', last: 'L' }, { queue })),
    },
    {
      name: 'upcaster-failed',
      run: async (m: Mediator) => settle(await m.enqueue(HelloV1, { name: 'Plato' }, { queue })),
    },
    {
      name: 'contract-ahead-waited',
      run: async (m: Mediator, env: ShapeEnv) => {
        const q = `${queue}-ahead`;
        return rollingDeploy(
          m,
          {
            old: await env.worker(v2Handlers(), q),
            next: () => env.worker(v3Handlers(), q),
            waitsOn: 'timerStartedEventAttributes',
          },
          () =>
            m.enqueue(
              HelloV3,
              { first: 'A', last: 'T', title: 'Dr' },
              { queue: q, retry: { maximumAttempts: 1 } },
            ),
        );
      },
    },
    {
      name: 'fast-lane-contract-ahead',
      run: async (m: Mediator, env: ShapeEnv) => {
        const q = `${queue}-ahead-fast`;
        return rollingDeploy(
          m,
          {
            old: await env.worker(v2Handlers(), q),
            next: () => env.worker(v3Handlers(), q),
            waitsOn: 'workflowTaskFailedEventAttributes',
          },
          () =>
            m.enqueue(
              HelloV3,
              { first: 'A', last: 'B', title: 'Lady' },
              { queue: q, fastLane: true, timeout: '5s' },
            ),
        );
      },
    },
    {
      name: 'contract-ahead-cancelled',
      run: async (m: Mediator, env: ShapeEnv) => {
        const q = `${queue}-ahead-cancel`;
        const worker = await env.worker(v2Handlers(), q);
        const running = worker.run();
        const job = await m.enqueue(HelloV3, { first: 'A', last: 'C', title: '' }, { queue: q });
        await until(() => hasEvent(m, job.id, 'timerStartedEventAttributes'));
        await job.cancel();
        await job.result().catch(() => undefined);
        worker.shutdown();
        await running;
        return job.id;
      },
    },
    {
      name: 'envelope-newer-waited',
      run: async (m: Mediator, env: ShapeEnv) => {
        const q = `${queue}-envelope`;
        return rollingDeploy(
          m,
          {
            old: await env.worker(v2Handlers(), q, await oldEnvelopeBundle()),
            next: () => env.worker(v2Handlers(), q),
            waitsOn: 'workflowTaskFailedEventAttributes',
          },
          () => m.enqueue(HelloV2, { first: 'E', last: 'D' }, { queue: q }),
        );
      },
    },
  ];
}
