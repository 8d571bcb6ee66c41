/**
 * The job operations over the standalone lane on Temporal 1.32 (`activity.enableStandalone`), beyond
 * what the contract suite checks through the API: `retry()` copies the standalone start (options,
 * encrypted input), `jobs()` merges both lanes in visibility order, `countJobs` sums them, and ids
 * meet across lanes in both directions.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHandlers, defineCommand } from '../../src/index.js';
import type { JobSummary, Mediator } from '../../src/index.js';
import { testMediator, testWorker, uniqueQueue } from '../integration/helpers.js';
import { rejection } from '../contract/suite.js';

const Flaky = defineCommand({
  name: 'SjFlaky',
  input: z.object({ key: z.string() }),
  output: z.object({ key: z.string(), run: z.number() }),
  retry: { maximumAttempts: 1 },
  timeout: '9s',
  heartbeatTimeout: '6s',
  jobTimeout: '40s',
});
const Other = defineCommand({ name: 'SjOther', input: z.object({}), output: z.object({}) });

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

type Encryption = { keys: Record<string, string>; activeKeyId: string };

async function setup(extra: { encryption?: Encryption } = {}) {
  const queue = uniqueQueue('sj');
  const runs = new Map<string, number>();
  /** Keys whose next run fails. */
  const failing = new Set<string>();
  const handlers = createHandlers()
    .handle(Flaky, (input) => {
      const run = (runs.get(input.key) ?? 0) + 1;
      runs.set(input.key, run);
      if (failing.has(input.key)) throw new Error(`${input.key} failed on run ${run}`);
      return { key: input.key, run };
    })
    .handle(Other, () => ({}));
  const worker = await testWorker(handlers, { queues: [queue], ...extra });
  const running = worker.run();
  const mediator = await testMediator({ defaults: { queue, lane: 'standalone' }, ...extra });
  cleanup.push(async () => {
    await mediator.close();
    worker.shutdown();
    await running;
  });
  return { queue, runs, failing, mediator };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`eventually: last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function activity(mediator: Mediator, id: string) {
  return mediator.client!.activity.getHandle(id);
}

describe('cluster: standalone lane job operations', () => {
  it('retry() of a failed standalone job starts a standalone <id>~retry-1 with the same start options; ~retry-2 after it fails too', async () => {
    const { queue, mediator, runs, failing } = await setup();
    failing.add('r1');
    const job = await mediator.enqueue(Flaky, { key: 'r1' }, { description: 'flaky r1', priority: 2 });
    expect(await rejection(job.result())).toMatchObject({ name: 'HandlerFailedError' });
    const retry = await job.retry();
    expect(retry.id).toBe(`${job.id}~retry-1`);
    expect(await rejection(retry.result())).toMatchObject({ name: 'HandlerFailedError' });
    const original = await activity(mediator, job.id).describe();
    const copied = await activity(mediator, retry.id).describe();
    for (const d of [original, copied]) {
      expect(d).toMatchObject({
        activityType: 'SjFlaky',
        startToCloseTimeoutMs: 9_000,
        heartbeatTimeoutMs: 6_000,
        scheduleToCloseTimeoutMs: 40_000,
        priority: { priorityKey: 2 },
      });
      expect(d.retryPolicy).toMatchObject({ maximumAttempts: 1 });
      expect(d.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value])).toContainEqual([
        'MediatorRequest',
        'SjFlaky',
      ]);
    }
    expect(await retry.describe()).toMatchObject({ lane: 'standalone', description: 'flaky r1' });
    // The retry failed too: the next retry of either is ~retry-2; once that completed, retrying
    // again returns it and starts nothing.
    failing.delete('r1');
    const second = await mediator.job(Flaky, job.id).retry();
    expect(second.id).toBe(`${job.id}~retry-2`);
    expect(await second.result()).toEqual({ key: 'r1', run: 3 });
    expect((await mediator.job(retry.id).retry()).id).toBe(second.id);
    expect(runs.get('r1')).toBe(3);
    const listed = await eventually(
      () => collect(mediator.jobs({ request: Flaky, queue })),
      (l) => l.length === 3,
    );
    const byId = new Map(listed.map((j) => [j.id, j]));
    expect(byId.get(job.id)).toMatchObject({ status: 'failed', retryOf: undefined, lane: 'standalone' });
    expect(byId.get(retry.id)).toMatchObject({ status: 'failed', retryOf: job.id });
    expect(byId.get(second.id)).toMatchObject({ status: 'completed', retryOf: job.id });
  });

  it('retry() copies the encrypted input as stored: a process without the key retries, the worker decrypts', async () => {
    const encryption = { keys: { k1: randomBytes(32).toString('base64') }, activeKeyId: 'k1' };
    const { mediator, failing } = await setup({ encryption });
    failing.add('secret-key');
    const job = await mediator.enqueue(Flaky, { key: 'secret-key' });
    await rejection(job.result());
    failing.delete('secret-key');
    const keyless = await testMediator();
    cleanup.push(() => keyless.close());
    const retry = await keyless.job(job.id).retry();
    expect(retry.id).toBe(`${job.id}~retry-1`);
    expect(await mediator.job(Flaky, retry.id).result()).toEqual({ key: 'secret-key', run: 2 });
    const raw = await mediator.client!.workflowService.describeActivityExecution({
      namespace: 'default',
      activityId: retry.id,
      includeInput: true,
    });
    const input = raw.input!.payloads![0]!;
    expect(Buffer.from(input.metadata!.encoding!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(input.data!).toString('latin1')).not.toContain('secret-key');
  });

  it('jobs() lists both lanes merged in visibility order (open first, then latest closed); countJobs sums both lanes', async () => {
    const { queue, mediator } = await setup();
    const wf = await mediator.enqueue(Flaky, { key: 'l-wf' }, { lane: 'workflow' });
    await wf.result();
    const sa = await mediator.enqueue(Flaky, { key: 'l-sa' });
    await sa.result();
    const later = await mediator.schedule(Flaky, { key: 'l-later' }, { delay: '1h' });
    const laterWf = await mediator.schedule(Flaky, { key: 'l-later-wf' }, { delay: '1h', lane: 'workflow' });
    cleanup.push(async () => {
      await later.cancel();
      await laterWf.cancel();
    });
    const listed: JobSummary[] = await eventually(
      () => collect(mediator.jobs({ queue })),
      (l) => l.length === 4 && l.filter((j) => j.closeTime).length === 2,
    );
    expect(listed.slice(2).map((j) => j.id)).toEqual([sa.id, wf.id]);
    expect(
      listed
        .slice(0, 2)
        .map((j) => j.id)
        .sort(),
    ).toEqual([later.id, laterWf.id].sort());
    expect(listed.map((j) => j.lane ?? 'workflow').sort()).toEqual([
      'standalone',
      'standalone',
      'workflow',
      'workflow',
    ]);
    expect(listed.find((j) => j.id === later.id)).toMatchObject({ status: 'scheduled', request: 'SjFlaky' });
    expect(await collect(mediator.jobs({ queue }, { limit: 3 }))).toHaveLength(3);
    expect(await mediator.countJobs({ queue })).toBe(4);
    expect(await mediator.countJobs({ queue }, { byStatus: true })).toEqual({
      total: 4,
      byStatus: { completed: 2, scheduled: 2 },
    });
    // A WorkflowId clause matches workflow-lane jobs only (standalone jobs are activities).
    const byWorkflowId = await collect(mediator.jobs({ queue, query: `WorkflowId = '${wf.id}'` }));
    expect(byWorkflowId.map((j) => j.id)).toEqual([wf.id]);
    const dry = await mediator.cancelJobs({ queue }, { dryRun: true });
    expect(dry).toMatchObject({ matched: 2, dryRun: true });
  });

  it('a chosen id held by a standalone job returns that job on the workflow lane; another request is a JobIdConflictError', async () => {
    const { mediator, runs } = await setup();
    const jobId = `SjFlaky-shared-${randomBytes(4).toString('hex')}`;
    const first = await mediator.enqueue(Flaky, { key: 'x-sa' }, { jobId });
    await first.result();
    const second = await mediator.enqueue(Flaky, { key: 'x-wf' }, { jobId, lane: 'workflow' });
    expect(await second.result()).toEqual({ key: 'x-sa', run: 1 });
    expect(await second.describe()).toMatchObject({ lane: 'standalone' });
    expect(runs.get('x-wf')).toBeUndefined();
    const fast = await mediator.enqueue(Flaky, { key: 'x-fast' }, { jobId, lane: 'fast' });
    expect((await fast.describe()).lane).toBe('standalone');
    const conflict = await rejection(mediator.enqueue(Other, {}, { jobId, lane: 'workflow' }));
    expect(conflict).toMatchObject({
      name: 'JobIdConflictError',
      jobId,
      existingRequest: "request 'SjFlaky'",
    });
    await expect(mediator.client!.workflow.getHandle(jobId).describe()).rejects.toMatchObject({
      name: 'WorkflowNotFoundError',
    });
  });
});
