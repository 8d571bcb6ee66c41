/**
 * Operating jobs from code on a real server: list and count by request and status, retry a failed
 * job from a second process, bulk retry (dry run first, idempotent), bulk cancel as a batch
 * operation, and the typed refusals.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHandlers, defineCommand, JobNotRetryableError, NonRetryableError } from '../../src/index.js';
import type { JobSummary, Mediator } from '../../src/index.js';
import type { MediatorWorker } from '../../src/worker/create-worker.js';
import { address, testMediator, testWorker, uniqueQueue } from './helpers.js';

const run = promisify(execFile);
const queue = uniqueQueue('ops');

const OpsWork = defineCommand({
  name: 'OpsWork',
  input: z.object({ key: z.string(), sleepMs: z.number().int().optional() }),
  output: z.object({ key: z.string(), runs: z.number() }),
  retry: { maximumAttempts: 1 },
});
const OpsHang = defineCommand({
  name: 'OpsHang',
  input: z.object({ key: z.string() }),
  output: z.object({}),
});

/** Keys whose handler fails (non-retryable) until removed. */
const failing = new Set<string>();
const runs: Record<string, number> = {};
const handlers = createHandlers()
  .handle(OpsWork, async (input, ctx) => {
    const n = (runs[input.key] ?? 0) + 1;
    runs[input.key] = n;
    if (input.sleepMs && n === 1) await new Promise((r) => setTimeout(r, input.sleepMs));
    if (failing.has(input.key)) throw new NonRetryableError(`${input.key} is failing`);
    if (ctx.signal.aborted) throw ctx.signal.reason;
    return { key: input.key, runs: n };
  })
  .handle(
    OpsHang,
    (_input, ctx) =>
      new Promise((_resolve, reject) =>
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error)),
      ),
  );

let worker: MediatorWorker;
let running: Promise<void>;
let mediator: Mediator;

beforeAll(async () => {
  worker = await testWorker(handlers, { queues: [queue] });
  running = worker.run();
  mediator = await testMediator({ defaults: { queue } });
});

afterAll(async () => {
  await mediator?.close();
  worker?.shutdown();
  await running;
});

/** Visibility is eventually consistent: polls until `check` holds. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`eventually: last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function failedJobs(keys: string[]): Promise<string[]> {
  for (const key of keys) failing.add(key);
  const ids: string[] = [];
  for (const key of keys) {
    const job = await mediator.enqueue(OpsWork, { key });
    ids.push(job.id);
    await job.result().catch(() => undefined);
  }
  return ids;
}

describe('jobs() and countJobs()', () => {
  it('lists by request and status, typed; counts, grouped by status; pages', async () => {
    const tag = uniqueQueue('list');
    const failed = await failedJobs([`${tag}-f1`, `${tag}-f2`]);
    for (let i = 0; i < 3; i++) await mediator.enqueueAsync(OpsWork, { key: `${tag}-ok${i}` });
    const filter = {
      request: OpsWork,
      status: 'failed' as const,
      queue,
      startedAfter: new Date(Date.now() - 60_000),
    };
    const listed = await eventually(
      () => collect(mediator.jobs(filter)),
      (l) => failed.every((id) => l.some((j) => j.id === id)),
    );
    const mine = listed.filter((j) => failed.includes(j.id));
    expect(mine.map((j) => j.id).sort()).toEqual([...failed].sort());
    for (const j of mine) {
      expect(j).toMatchObject({ request: 'OpsWork', status: 'failed', queue, retryOf: undefined });
      expect(j.closeTime).toBeInstanceOf(Date);
    }
    expect(listed.every((j) => j.status === 'failed' && j.request === 'OpsWork')).toBe(true);
    // Typed by the definition: the summary's handle reads the output type.
    const first: JobSummary<{ key: string; runs: number }> = mine[0]!;
    await expect(first.job.result()).rejects.toMatchObject({ name: 'HandlerFailedError', jobId: first.id });

    const all = { request: 'OpsWork', queue };
    const counts = await eventually(
      () => mediator.countJobs(all, { byStatus: true }),
      (c) => (c.byStatus.completed ?? 0) >= 3 && (c.byStatus.failed ?? 0) >= 2,
    );
    expect(counts.total).toBe(Object.values(counts.byStatus).reduce((a, b) => a + b, 0));
    expect(await mediator.countJobs({ ...all, status: 'failed' })).toBe(counts.byStatus.failed);
    expect(await mediator.countJobs({ ...all, status: ['failed', 'completed'] })).toBe(
      (counts.byStatus.failed ?? 0) + (counts.byStatus.completed ?? 0),
    );
    expect(await mediator.countJobs({ request: 'NoSuchRequest' })).toBe(0);
    // Paged: page size 1 still yields every job, and `limit` stops early.
    const paged = await collect(mediator.jobs({ ...all, status: 'completed' }, { pageSize: 1 }));
    expect(paged.length).toBe(counts.byStatus.completed);
    expect(await collect(mediator.jobs(all, { limit: 2 }))).toHaveLength(2);
    const described = await collect(mediator.jobs({ ...filter }, { describe: true, limit: 1 }));
    expect(described[0]?.description).toBe('OpsWork');
  });

  it('a scheduled job is listed as scheduled, not running; a raw query narrows', async () => {
    const job = await mediator.schedule(OpsWork, { key: uniqueQueue('later') }, { delay: '1h' });
    const scheduled = await eventually(
      () => collect(mediator.jobs({ request: OpsWork, status: 'scheduled', queue })),
      (l) => l.some((j) => j.id === job.id),
    );
    expect(scheduled.find((j) => j.id === job.id)?.status).toBe('scheduled');
    expect(
      (await collect(mediator.jobs({ request: OpsWork, status: 'running', queue }))).map((j) => j.id),
    ).not.toContain(job.id);
    const raw = await collect(mediator.jobs({ query: `WorkflowId = '${job.id}'` }));
    expect(raw.map((j) => j.id)).toEqual([job.id]);
    await job.cancel();
  });
});

describe('job.retry()', () => {
  it('retries a failed job to success from a second process; the original stays failed; idempotent', async () => {
    const key = uniqueQueue('retry');
    const [id] = await failedJobs([key]);
    failing.delete(key);
    const script = fileURLToPath(new URL('./fixtures/retry-job.ts', import.meta.url));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script, address(), id!], {
      timeout: 60_000,
    });
    const line = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
      ok: boolean;
      retryId: string;
      pid: number;
    };
    expect(line).toMatchObject({ ok: true, retryId: `${id}~retry-1` });
    expect(line.pid).not.toBe(process.pid);
    expect(await mediator.job(OpsWork, line.retryId).result()).toEqual({ key, runs: 2 });
    expect(await mediator.job(id!).status()).toBe('failed');
    // Retrying again returns the same retry: nothing runs a third time.
    const again = await mediator.job(OpsWork, id!).retry();
    expect(again.id).toBe(line.retryId);
    expect(runs[key]).toBe(2);
    const listed = await eventually(
      () => collect(mediator.jobs({ request: OpsWork, status: 'completed', queue })),
      (l) => l.some((j) => j.id === line.retryId),
    );
    expect(listed.find((j) => j.id === line.retryId)).toMatchObject({ retryOf: id, description: undefined });
    expect((await mediator.job(line.retryId).describe()).description).toBe('OpsWork');
  });

  it('a retry that fails again is retried as ~retry-2', async () => {
    const key = uniqueQueue('chain');
    const [id] = await failedJobs([key]);
    const first = await mediator.job(OpsWork, id!).retry();
    await expect(first.result()).rejects.toMatchObject({ name: 'HandlerFailedError' });
    failing.delete(key);
    const second = await mediator.job(OpsWork, id!).retry();
    expect(second.id).toBe(`${id}~retry-2`);
    expect(await second.result()).toEqual({ key, runs: 3 });
  });

  it('a job that hit its job timeout gets a fresh deadline when retried', async () => {
    const key = uniqueQueue('timeout');
    const job = await mediator.enqueue(OpsWork, { key, sleepMs: 3000 }, { jobTimeout: '1s' });
    await expect(job.result()).rejects.toMatchObject({ name: 'JobTimeoutError', timeout: 'job' });
    expect(await job.status()).toBe('timed_out');
    const retry = await job.retry();
    expect(await retry.result()).toEqual({ key, runs: 2 });
  });

  it('retry of a running or completed job is a typed error; nothing is started', async () => {
    const hang = await mediator.enqueue(OpsHang, { key: 'x' });
    const err = await hang.retry().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobNotRetryableError);
    expect(err).toMatchObject({
      code: 'JOB_NOT_RETRYABLE',
      status: 'running',
      request: 'OpsHang',
      jobId: hang.id,
    });
    await hang.cancel();
    const done = await mediator.enqueue(OpsWork, { key: uniqueQueue('done') });
    await done.result();
    await expect(mediator.job(done.id).retry()).rejects.toMatchObject({
      code: 'JOB_NOT_RETRYABLE',
      status: 'completed',
      request: 'OpsWork',
      jobId: done.id,
    });
    const retries = await mediator.countJobs({
      query: `WorkflowId STARTS_WITH '${hang.id}~' OR WorkflowId STARTS_WITH '${done.id}~'`,
    });
    expect(retries).toBe(0);
  });

  it('a failed run of a recurring job is retried, from its schedule-made start request', async () => {
    const key = uniqueQueue('recurring');
    failing.add(key);
    const id = uniqueQueue('ops-cron');
    const recurring = await mediator.addOrUpdate(id, OpsWork, { key }, { cron: '0 0 1 1 *', queue });
    try {
      await recurring.trigger();
      const run = await eventually(
        async () => (await recurring.describe()).recentRuns[0]?.jobId,
        (jobId) => jobId !== undefined,
      );
      await expect(mediator.job(run!).result()).rejects.toMatchObject({ name: 'HandlerFailedError' });
      failing.delete(key);
      const retry = await mediator.job(OpsWork, run!).retry();
      expect(retry.id).toBe(`${run}~retry-1`);
      expect(await retry.result()).toEqual({ key, runs: 2 });
      expect((await retry.describe()).request).toBe('OpsWork');
    } finally {
      await recurring.remove();
    }
  });

  it('retry of a job id nobody used is JobNotFoundError', async () => {
    await expect(mediator.job('no-such-job').retry()).rejects.toMatchObject({
      code: 'JOB_NOT_FOUND',
      jobId: 'no-such-job',
    });
  });
});

describe('retryJobs() and cancelJobs()', () => {
  it('bulk retry: a dry run counts, the run retries each failed job once, a second run starts nothing', async () => {
    const bulkQueue = uniqueQueue('bulk');
    const w = await testWorker(handlers, { queues: [bulkQueue] });
    await w.runUntil(async () => {
      const keys = [1, 2, 3].map((i) => `${bulkQueue}-${i}`);
      for (const key of keys) failing.add(key);
      const jobs = await Promise.all(
        keys.map((key) => mediator.enqueue(OpsWork, { key }, { queue: bulkQueue })),
      );
      await Promise.all(jobs.map((j) => j.result().catch(() => undefined)));
      const filter = { request: OpsWork, status: 'failed' as const, queue: bulkQueue };
      const dry = await eventually(
        () => mediator.retryJobs(filter, { dryRun: true }),
        (r) => r.matched === 3,
      );
      expect(dry).toMatchObject({ matched: 3, retried: [], dryRun: true });
      expect(await mediator.countJobs({ queue: bulkQueue, status: 'running' })).toBe(0);
      for (const key of keys) failing.delete(key);
      const result = await mediator.retryJobs(filter);
      expect(result.errors).toEqual([]);
      expect(result.retried.map((r) => r.id).sort()).toEqual(jobs.map((j) => j.id).sort());
      for (const r of result.retried) {
        expect(r.retryId).toBe(`${r.id}~retry-1`);
        expect(await mediator.job(OpsWork, r.retryId).result()).toMatchObject({ runs: 2 });
      }
      // The originals still list as failed (history), but each has its retry: nothing starts again.
      const second = await mediator.retryJobs(filter);
      expect(second).toMatchObject({ matched: 3, retried: [], errors: [] });
      expect(second.alreadyRetried).toHaveLength(3);
      expect(keys.map((k) => runs[k])).toEqual([2, 2, 2]);
    });
  });

  it('bulk cancel: dry run counts open jobs; the batch operation cancels running and scheduled ones', async () => {
    const cancelQueue = uniqueQueue('cancel');
    const w = await testWorker(handlers, { queues: [cancelQueue] });
    await w.runUntil(async () => {
      const hanging = await Promise.all(
        [1, 2, 3].map((i) => mediator.enqueue(OpsHang, { key: `${i}` }, { queue: cancelQueue })),
      );
      const later = await mediator.schedule(OpsHang, { key: 'later' }, { delay: '1h', queue: cancelQueue });
      const filter = { request: OpsHang, queue: cancelQueue };
      const dry = await eventually(
        () => mediator.cancelJobs(filter, { dryRun: true }),
        (r) => r.matched === 4,
      );
      expect(dry).toEqual({ matched: 4, operationId: undefined, dryRun: true });
      expect(await hanging[0]!.status()).toBe('running');
      const result = await mediator.cancelJobs(filter, { reason: 'test' });
      expect(result.matched).toBe(4);
      for (const job of [...hanging, later]) {
        await expect(job.result()).rejects.toMatchObject({ name: 'JobCancelledError', jobId: job.id });
      }
      if (result.operationId) {
        const op = await eventually(
          () => mediator.batchOperation(result.operationId!),
          (o) => o.state === 'completed',
          30_000,
        );
        expect(op).toMatchObject({ total: 4, completed: 4, failed: 0 });
      }
      expect(
        await eventually(
          () => mediator.countJobs(filter, { byStatus: true }),
          (c) => c.byStatus.cancelled === 4,
        ),
      ).toEqual({ total: 4, byStatus: { cancelled: 4 } });
      await expect(mediator.cancelJobs({ ...filter, status: 'failed' })).rejects.toMatchObject({
        code: 'INVALID_OPTION',
      });
    });
  });
});
