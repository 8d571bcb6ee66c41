/**
 * Deploys never break jobs: callers and workers of different releases on one queue. Each test plays
 * a rolling deploy — an old and a new side on the same task queue — and checks the job's outcome.
 */
import type { WorkflowBundle } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ContractVersionError, createHandlers, defineCommand, defineNotification } from '../../src/index.js';
import type { Handlers, Mediator } from '../../src/index.js';
import type { MediatorWorker } from '../../src/worker/create-worker.js';
import { oldEnvelopeBundle } from './fixtures/old-envelope-bundle.js';
import { testMediator, testWorker, uniqueQueue } from './helpers.js';
import { V1, V2, split, greetReleases } from '../fixtures/versioned-greet.js';

const output = z.object({ greeting: z.string(), attempt: z.number() });

// One request, three releases of its contract.
const { v1: GreetV1, v2: GreetV2, v3: GreetV3 } = greetReleases('Greet', output);

let mediator: Mediator;
const seen: { version: number; input: unknown; attempt: number | undefined }[] = [];

function greeters(): { v2: Handlers; v3: Handlers } {
  return {
    v2: createHandlers().handle(GreetV2, (input, ctx) => {
      seen.push({ version: 2, input, attempt: ctx.attempt });
      return { greeting: `Hello, ${input.first} ${input.last}`, attempt: ctx.attempt ?? 0 };
    }),
    v3: createHandlers().handle(GreetV3, (input, ctx) => {
      seen.push({ version: 3, input, attempt: ctx.attempt });
      return { greeting: `Hello, ${input.title} ${input.first} ${input.last}`, attempt: ctx.attempt ?? 0 };
    }),
  };
}

async function events(jobId: string): Promise<{ type: string; failure?: string }[]> {
  const history = await mediator.client!.workflow.getHandle(jobId).fetchHistory();
  return (history.events ?? []).map((e) => ({
    // The attributes' field names the event: `workflowTaskFailedEventAttributes` → 'workflowTaskFailed'.
    type:
      Object.keys(e)
        .find((k) => k.endsWith('EventAttributes'))
        ?.replace(/EventAttributes$/, '') ?? '',
    failure:
      e.workflowTaskFailedEventAttributes?.failure?.message ??
      e.activityTaskFailedEventAttributes?.failure?.message ??
      e.workflowExecutionFailedEventAttributes?.failure?.cause?.cause?.message ??
      e.workflowExecutionFailedEventAttributes?.failure?.cause?.message ??
      undefined,
  }));
}

/** Polls until the job's history has an event matching `match`. */
async function untilEvent(jobId: string, match: (e: { type: string; failure?: string }) => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = (await events(jobId)).find(match);
    if (found) return found;
    if (Date.now() > deadline) {
      throw new Error(`no matching event in job ${jobId}: ${JSON.stringify(await events(jobId))}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A rolling deploy: the new worker joins the queue, then the old one drains and stops. */
async function deploy(old: { worker: MediatorWorker; running: Promise<void> }, next: MediatorWorker) {
  const running = next.run();
  await new Promise((r) => setTimeout(r, 500));
  old.worker.shutdown();
  await old.running;
  return { worker: next, running };
}

function start(worker: MediatorWorker) {
  return { worker, running: worker.run() };
}

beforeAll(async () => {
  mediator = await testMediator();
});

afterAll(async () => {
  await mediator.close();
});

describe('contract versions across a deploy', () => {
  it('a job a v1 caller scheduled with a delay runs on a v2 worker with the upcast input', async () => {
    const queue = uniqueQueue('ver-delay');
    const worker = await testWorker(greeters().v2, { queues: [queue] });
    await worker.runUntil(async () => {
      const job = await mediator.schedule(GreetV1, { name: 'Ada Lovelace' }, { delay: '1s', queue });
      await expect(job.result()).resolves.toEqual({ greeting: 'Hello, Ada Lovelace', attempt: 1 });
      const run = seen.find((s) => s.input && (s.input as { last?: string }).last === 'Lovelace');
      expect(run).toEqual({ version: 2, input: { first: 'Ada', last: 'Lovelace' }, attempt: 1 });
    });
  });

  it('a schedule created by a v1 caller fires on a v2 worker with the upcast input', async () => {
    const queue = uniqueQueue('ver-sched');
    const id = `ver-${Date.now()}`;
    const worker = await testWorker(greeters().v2, { queues: [queue] });
    const handle = await mediator.addOrUpdate(
      id,
      GreetV1,
      { name: 'Grace Hopper' },
      { cron: '0 0 1 1 *', queue },
    );
    try {
      await worker.runUntil(async () => {
        await handle.trigger();
        let jobId: string | undefined;
        while (!jobId) {
          jobId = (await handle.describe()).recentRuns[0]?.jobId;
          if (!jobId) await new Promise((r) => setTimeout(r, 200));
        }
        await expect(mediator.job(GreetV2, jobId).result()).resolves.toEqual({
          greeting: 'Hello, Grace Hopper',
          attempt: 1,
        });
      });
    } finally {
      await handle.remove();
    }
  });

  it('a v3 payload on a v2 worker waits (no handler run, no retry spent) and completes once a v3 worker starts', async () => {
    const queue = uniqueQueue('ver-ahead');
    const { v2, v3 } = greeters();
    const old = start(await testWorker(v2, { queues: [queue] }));
    const before = seen.length;
    // One attempt only: had the v2 worker spent it, the job would fail.
    const job = await mediator.enqueue(
      GreetV3,
      { first: 'Alan', last: 'Turing', title: 'Prof' },
      { queue, retry: { maximumAttempts: 1 } },
    );
    const refused = await untilEvent(job.id, (e) => e.type === 'activityTaskFailed');
    expect(refused.failure).toMatch(/contract version 3, this worker knows up to 2/);
    await untilEvent(job.id, (e) => e.type === 'timerStarted');
    expect(await job.status()).toBe('running');
    const next = await deploy(old, await testWorker(v3, { queues: [queue] }));
    try {
      await expect(job.result()).resolves.toEqual({ greeting: 'Hello, Prof Alan Turing', attempt: 1 });
      expect(seen.slice(before)).toEqual([
        { version: 3, input: { first: 'Alan', last: 'Turing', title: 'Prof' }, attempt: 1 },
      ]);
    } finally {
      next.worker.shutdown();
      await next.running;
    }
  });

  it('fast lane: a v3 payload fails only the workflow task on a v2 worker, and completes on a v3 worker', async () => {
    const queue = uniqueQueue('ver-fast');
    const { v2, v3 } = greeters();
    const old = start(await testWorker(v2, { queues: [queue] }));
    const job = await mediator.enqueue(
      GreetV3,
      { first: 'Ada', last: 'Byron', title: 'Lady' },
      { queue, fastLane: true, timeout: '5s' },
    );
    const failed = await untilEvent(job.id, (e) => e.type === 'workflowTaskFailed');
    expect(failed.failure).toMatch(/contract version 3/);
    expect(await job.status()).toBe('running');
    const next = await deploy(old, await testWorker(v3, { queues: [queue] }));
    try {
      await expect(job.result()).resolves.toEqual({ greeting: 'Hello, Lady Ada Byron', attempt: 1 });
    } finally {
      next.worker.shutdown();
      await next.running;
    }
  });

  it('a job waiting for a newer contract can be cancelled, in both lanes', async () => {
    const queue = uniqueQueue('ver-cancel');
    const worker = await testWorker(greeters().v2, { queues: [queue] });
    await worker.runUntil(async () => {
      for (const fastLane of [false, true]) {
        const job = await mediator.enqueue(
          GreetV3,
          { first: 'A', last: 'B', title: 'C' },
          { queue, fastLane, timeout: '5s' },
        );
        await untilEvent(job.id, (e) => e.type === (fastLane ? 'workflowTaskFailed' : 'timerStarted'));
        await job.cancel();
        await expect(job.result()).rejects.toMatchObject({ name: 'JobCancelledError' });
        expect(await job.status()).toBe('cancelled');
      }
    });
  });

  it('an upcaster that throws fails the job at once with ContractVersionError naming request, versions and cause', async () => {
    const queue = uniqueQueue('ver-throw');
    let upcasts = 0;
    const Strict = defineCommand({
      name: 'Greet',
      version: 2,
      input: V2,
      output,
      previousInputs: { 1: V1 },
      upcast: {
        1: (old) => {
          upcasts++;
          if (!old.name.includes(' ')) throw new Error(`cannot split '${old.name}'`);
          return split(old.name);
        },
      },
    });
    const handlers = createHandlers().handle(Strict, () => ({ greeting: 'never', attempt: 0 }));
    const worker = await testWorker(handlers, { queues: [queue] });
    await worker.runUntil(async () => {
      const job = await mediator.enqueue(GreetV1, { name: 'Plato' }, { queue });
      const err = await job.result().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ContractVersionError);
      expect(err).toMatchObject({
        code: 'CONTRACT_VERSION',
        request: 'Greet',
        fromVersion: 1,
        toVersion: 2,
        jobId: job.id,
        attempt: 1,
      });
      expect((err as Error).message).toMatch(/version 1 to 2.*cannot split 'Plato'/);
      expect(String((err as ContractVersionError).cause)).toMatch(/cannot split 'Plato'/);
      expect(upcasts).toBe(1);
    });
  });

  it('notifications: a v1 event published durably reaches v2 handlers upcast', async () => {
    const queue = uniqueQueue('ver-note');
    const EventV1 = defineNotification({ name: 'Greeted', input: V1 });
    const EventV2 = defineNotification({
      name: 'Greeted',
      version: 2,
      input: V2,
      previousInputs: { 1: V1 },
      upcast: { 1: (old) => split(old.name) },
    });
    const got: unknown[] = [];
    const handlers = createHandlers()
      .on(EventV2, 'audit', (event) => void got.push(event))
      .on(EventV2, 'mail', (event) => void got.push(event));
    const worker = await testWorker(handlers, { queues: [queue] });
    await worker.runUntil(async () => {
      const job = await mediator.enqueuePublish(EventV1, { name: 'Ada King' }, { queue });
      await expect(job.result()).resolves.toMatchObject({
        outcomes: [{ status: 'fulfilled' }, { status: 'fulfilled' }],
      });
    });
    expect(got).toEqual([
      { first: 'Ada', last: 'King' },
      { first: 'Ada', last: 'King' },
    ]);
  });
});

describe('envelope versions across a deploy', () => {
  let oldBundle: WorkflowBundle;

  beforeAll(async () => {
    oldBundle = await oldEnvelopeBundle();
  });

  it('a newer envelope fails only the workflow task on an old worker; once a new worker joins, the job completes', async () => {
    const queue = uniqueQueue('ver-env');
    const { v2 } = greeters();
    const old = start(await testWorker(v2, { queues: [queue], workflowBundle: oldBundle }));
    const before = seen.length;
    // A version 2 contract travels in envelope version 2, newer than the old worker knows.
    const job = await mediator.enqueue(GreetV2, { first: 'Edsger', last: 'Dijkstra' }, { queue });
    const failed = await untilEvent(job.id, (e) => e.type === 'workflowTaskFailed');
    expect(failed.failure).toMatch(/Envelope version 2 .* is newer than this worker's \(1\)/);
    expect(await job.status()).toBe('running');
    expect((await events(job.id)).some((e) => e.type === 'activityTaskScheduled')).toBe(false);
    expect(seen.length).toBe(before);
    const next = await deploy(old, await testWorker(v2, { queues: [queue] }));
    try {
      await expect(job.result()).resolves.toEqual({ greeting: 'Hello, Edsger Dijkstra', attempt: 1 });
    } finally {
      next.worker.shutdown();
      await next.running;
    }
  });

  it('the old worker still runs version 1 envelopes (unchanged contracts keep working mid-deploy)', async () => {
    const queue = uniqueQueue('ver-env1');
    const handlers = createHandlers().handle(GreetV1, (input) => ({
      greeting: `Hi ${input.name}`,
      attempt: 1,
    }));
    const worker = await testWorker(handlers, { queues: [queue], workflowBundle: oldBundle });
    await worker.runUntil(async () => {
      await expect(mediator.enqueueAsync(GreetV1, { name: 'Ken' }, { queue })).resolves.toEqual({
        greeting: 'Hi Ken',
        attempt: 1,
      });
    });
  });
});
