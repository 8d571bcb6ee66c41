import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../../src/index.js';
import type { ContractEnv } from './backend.js';
import { CEcho, CWait } from './contracts.js';
import type { ContractState } from './handlers.js';
import { rejection } from './suite.js';

/** Polls a read until it holds (Temporal's visibility is eventually consistent; in memory it holds at once). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`eventually: last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Listing, counting and retrying jobs: part of {@link contractSuite}. */
export function operationSemantics(get: () => { env: ContractEnv; s: ContractState }): void {
  describe('operating jobs: jobs(), countJobs(), retry(), retryJobs(), cancelJobs()', () => {
    /** A CWait job cancelled while running; its next run returns at once. */
    async function cancelledWait(key: string) {
      const { env, s } = get();
      const w = s.waiter(key);
      const job = await env.mediator.enqueue(CWait, { key });
      await w.started.promise;
      await job.cancel();
      await rejection(env.settle(job.result()));
      w.release.resolve();
      return job;
    }

    it('retry() re-runs a cancelled job as <id>~retry-1 with the same input; the original stays; idempotent', async () => {
      const { env, s } = get();
      const job = await cancelledWait('op-retry');
      const retry = await env.mediator.job(CWait, job.id).retry();
      expect(retry.id).toBe(`${job.id}~retry-1`);
      expect(await env.settle(retry.result())).toEqual({ done: true });
      expect(s.called('CWait:op-retry')).toBe(2);
      expect(await job.status()).toBe('cancelled');
      expect((await env.mediator.job(job.id).retry()).id).toBe(retry.id);
      expect(s.called('CWait:op-retry')).toBe(2);
      const listed = await eventually(
        () =>
          collect(
            env.mediator.jobs({ request: CWait, queue: env.queue, status: ['cancelled', 'completed'] }),
          ),
        (l) => l.some((j) => j.id === retry.id) && l.some((j) => j.id === job.id),
      );
      const byId = new Map(listed.map((j) => [j.id, j]));
      expect(byId.get(job.id)).toMatchObject({ request: 'CWait', status: 'cancelled', queue: env.queue });
      expect(byId.get(retry.id)).toMatchObject({ status: 'completed', retryOf: job.id });
      const typed: JobSummary<{ done: boolean }> = byId.get(retry.id)!;
      expect(await env.settle(typed.job.result())).toEqual({ done: true });
    });

    it('retry() of a running or completed job is JobNotRetryableError; nothing starts', async () => {
      const { env, s } = get();
      const w = s.waiter('op-running');
      const running = await env.mediator.enqueue(CWait, { key: 'op-running' });
      await w.started.promise;
      expect(await rejection(running.retry())).toMatchObject({
        name: 'JobNotRetryableError',
        code: 'JOB_NOT_RETRYABLE',
        status: 'running',
        request: 'CWait',
        jobId: running.id,
      });
      await running.cancel();
      const done = await env.mediator.enqueue(CEcho, { text: 'op-done' });
      await env.settle(done.result());
      expect(await rejection(env.mediator.job(done.id).retry())).toMatchObject({
        code: 'JOB_NOT_RETRYABLE',
        status: 'completed',
        request: 'CEcho',
      });
      expect(s.called('CEcho:op-done')).toBe(1);
      await expect(env.mediator.job(`${done.id}~retry-1`).status()).rejects.toMatchObject({
        name: 'JobNotFoundError',
      });
    });

    it('countJobs counts by request and status; retryJobs dry-runs, retries each once, then starts nothing', async () => {
      const { env, s } = get();
      await env.elapse(5);
      const since = new Date(env.now());
      const jobs = [await cancelledWait('op-bulk-1'), await cancelledWait('op-bulk-2')];
      const filter = { request: CWait, status: 'cancelled' as const, queue: env.queue, startedAfter: since };
      expect(
        await eventually(
          () => env.mediator.countJobs(filter),
          (n) => n === 2,
        ),
      ).toBe(2);
      const counts = await env.mediator.countJobs(
        { request: CWait, queue: env.queue, startedAfter: since },
        { byStatus: true },
      );
      expect(counts).toEqual({ total: 2, byStatus: { cancelled: 2 } });
      const dry = await env.mediator.retryJobs(filter, { dryRun: true });
      expect(dry).toMatchObject({ matched: 2, retried: [], dryRun: true });
      expect(s.called('CWait:op-bulk-1') + s.called('CWait:op-bulk-2')).toBe(2);
      const result = await env.mediator.retryJobs(filter);
      expect(result).toMatchObject({ matched: 2, alreadyRetried: [], errors: [] });
      expect(result.retried.map((r) => r.id).sort()).toEqual(jobs.map((j) => j.id).sort());
      for (const r of result.retried) {
        expect(await env.settle(env.mediator.job(CWait, r.retryId).result())).toEqual({ done: true });
      }
      const again = await env.mediator.retryJobs(filter);
      expect(again).toMatchObject({ matched: 2, retried: [] });
      expect(again.alreadyRetried).toHaveLength(2);
      expect(s.called('CWait:op-bulk-1') + s.called('CWait:op-bulk-2')).toBe(4);
      await expect(env.mediator.retryJobs({ ...filter, status: 'running' })).rejects.toMatchObject({
        code: 'INVALID_OPTION',
      });
    });

    it('cancelJobs cancels the open jobs the filter matches (dry run first)', async () => {
      const { env, s } = get();
      await env.elapse(5);
      const since = new Date(env.now());
      const ws = [s.waiter('op-cancel-1'), s.waiter('op-cancel-2')];
      const jobs = [
        await env.mediator.enqueue(CWait, { key: 'op-cancel-1' }),
        await env.mediator.enqueue(CWait, { key: 'op-cancel-2' }),
      ];
      await Promise.all(ws.map((w) => w.started.promise));
      const filter = { request: CWait, queue: env.queue, startedAfter: since };
      const dry = await eventually(
        () => env.mediator.cancelJobs(filter, { dryRun: true }),
        (r) => r.matched === 2,
      );
      expect(dry).toMatchObject({ matched: 2, dryRun: true });
      expect(await jobs[0]!.status()).toBe('running');
      expect((await env.mediator.cancelJobs(filter)).matched).toBe(2);
      for (const job of jobs) {
        expect(await rejection(env.settle(job.result()))).toMatchObject({
          name: 'JobCancelledError',
          jobId: job.id,
        });
      }
      for (const w of ws) await w.aborted.promise;
    });
  });
}
