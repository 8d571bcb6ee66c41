import { describe, expect, it } from 'vitest';
import type { ContractEnv } from './backend.js';
import { CEcho, CHang, CRefuse, CWait } from './contracts.js';
import type { ContractState } from './handlers.js';
import { rejection, waitFor } from './suite.js';

/** Timeouts, cancellation, delays and job ids: part of {@link contractSuite}. */
export function jobSemantics(get: () => { env: ContractEnv; s: ContractState }): void {
  describe('timeouts, cancellation, delays and job ids', () => {
    it('attempt timeout: retried per policy, then JobTimeoutError naming the attempt timeout', async () => {
      const { env, s } = get();
      const err = await rejection(env.settle(env.mediator.enqueueAsync(CHang, {})));
      expect(err).toMatchObject({
        name: 'JobTimeoutError',
        code: 'JOB_TIMEOUT',
        timeout: 'attempt',
        request: 'CHang',
      });
      expect(err.message).toContain('start-to-close');
      expect(s.hang.map((h) => h.attempt)).toEqual([1, 2]);
      // Each timed-out handler sees its abort signal (on Temporal, at its next heartbeat).
      await waitFor(() => s.hang.every((h) => h.aborted));
    });

    it('job timeout: JobTimeoutError naming the job timeout, status timed_out, the handler aborted', async () => {
      const { env, s } = get();
      const w = s.waiter('job-timeout');
      const job = await env.mediator.enqueue(CWait, { key: 'job-timeout' }, { jobTimeout: '1s' });
      const err = await rejection(env.settle(job.result()));
      expect(err).toMatchObject({ name: 'JobTimeoutError', timeout: 'job', request: 'CWait', jobId: job.id });
      expect(await job.status()).toBe('timed_out');
      expect(await w.aborted.promise).toMatchObject({ name: 'CancelledFailure' });
    });

    it('the job timeout counts from the enqueue, start delay included', async () => {
      const { env, s } = get();
      const job = await env.mediator.schedule(CEcho, { text: 'too-late' }, { delay: '2s', jobTimeout: '1s' });
      const err = await rejection(env.settle(job.result()));
      expect(err).toMatchObject({ name: 'JobTimeoutError', timeout: 'job' });
      expect(s.called('CEcho:too-late')).toBe(0);
    });

    it('cancellation reaches the handler abort signal; result() throws JobCancelledError', async () => {
      const { env, s } = get();
      const w = s.waiter('cancel');
      const job = await env.mediator.enqueue(CWait, { key: 'cancel' });
      await w.started.promise;
      await job.cancel();
      const err = await rejection(env.settle(job.result()));
      expect(err).toMatchObject({
        name: 'JobCancelledError',
        code: 'JOB_CANCELLED',
        jobId: job.id,
        request: 'CWait',
      });
      expect(await w.aborted.promise).toMatchObject({ name: 'CancelledFailure', message: 'CANCELLED' });
      expect(await job.status()).toBe('cancelled');
    });

    it('a handler that ignores the abort signal and returns completes the job despite the cancel', async () => {
      const { env, s } = get();
      const w = s.waiter('ignore');
      w.ignoreAbort = true;
      const job = await env.mediator.enqueue(CWait, { key: 'ignore' });
      await w.started.promise;
      await job.cancel();
      await w.aborted.promise;
      w.release.resolve();
      expect(await env.settle(job.result())).toEqual({ done: true });
      expect(await job.status()).toBe('completed');
    });

    it('cancelling a finished job changes nothing', async () => {
      const { env } = get();
      const job = await env.mediator.enqueue(CEcho, { text: 'finished' });
      await env.settle(job.result());
      await job.cancel();
      expect(await job.status()).toBe('completed');
    });

    it('a delayed job is scheduled, then runs after the delay', async () => {
      const { env } = get();
      const started = env.now();
      const job = await env.mediator.schedule(CEcho, { text: 'later' }, { delay: '1500ms' });
      expect(await job.status()).toBe('scheduled');
      const d = await job.describe();
      expect(d.executionTime!.getTime() - d.startTime.getTime()).toBeGreaterThanOrEqual(1400);
      expect(await env.settle(job.result())).toEqual({ text: 'later', attempt: 1 });
      expect(env.now() - started).toBeGreaterThanOrEqual(1400);
      const past = await env.mediator.schedule(CEcho, { text: 'past' }, { at: new Date(env.now() - 60_000) });
      expect(await past.status()).not.toBe('scheduled');
      expect(await env.settle(past.result())).toEqual({ text: 'past', attempt: 1 });
    });

    it('a delayed job cancelled before it fires never runs', async () => {
      const { env, s } = get();
      const job = await env.mediator.schedule(CEcho, { text: 'never' }, { delay: '3s' });
      expect(await job.status()).toBe('scheduled');
      await job.cancel();
      await expect(env.settle(job.result())).rejects.toMatchObject({
        name: 'JobCancelledError',
        jobId: job.id,
      });
      await env.elapse(3500);
      expect(s.called('CEcho:never')).toBe(0);
      expect(await job.status()).toBe('cancelled');
    });

    it('the same jobId runs once; every caller gets the same job and result', async () => {
      const { env, s } = get();
      const jobId = `CEcho-idem-${env.queue}`;
      const [a, b] = await env.settle(
        Promise.all([
          env.mediator.enqueueAsync(CEcho, { text: 'once' }, { jobId }),
          env.mediator.enqueueAsync(CEcho, { text: 'once' }, { jobId }),
        ]),
      );
      expect(a).toEqual(b);
      const c = await env.settle(env.mediator.enqueueAsync(CEcho, { text: 'different' }, { jobId }));
      expect(c).toEqual(a);
      expect(s.called('CEcho:once')).toBe(1);
      expect(s.called('CEcho:different')).toBe(0);
      const later = `CEcho-idem-later-${env.queue}`;
      await env.mediator.schedule(CEcho, { text: 'first' }, { jobId: later, delay: '1s' });
      const again = await env.mediator.enqueue(CEcho, { text: 'second' }, { jobId: later });
      expect(await again.status()).toBe('scheduled');
      expect(await env.settle(again.result())).toEqual({ text: 'first', attempt: 1 });
    });

    it("jobIdReuse: a failed job's id runs again with 'rerun-if-failed', a completed one only with 'rerun-always'", async () => {
      const { env, s } = get();
      const failed = `CRefuse-reuse-${env.queue}`;
      const input = { reason: 'closed' } as const;
      // Other tests of the suite refuse accounts too: count from here.
      const before = s.called('CRefuse:closed');
      const first = await env.mediator.enqueue(CRefuse, input, { jobId: failed });
      await rejection(env.settle(first.result()));
      // Default: the failed job and its failure come back; nothing runs again.
      await rejection(env.settle(env.mediator.enqueueAsync(CRefuse, input, { jobId: failed })));
      expect(s.called('CRefuse:closed')).toBe(before + 1);
      const rerun = env.mediator.enqueueAsync(CRefuse, input, {
        jobId: failed,
        jobIdReuse: 'rerun-if-failed',
      });
      await rejection(env.settle(rerun));
      expect(s.called('CRefuse:closed')).toBe(before + 2);

      const done = `CEcho-reuse-${env.queue}`;
      await env.settle(env.mediator.enqueueAsync(CEcho, { text: 'reuse' }, { jobId: done }));
      const same = { jobId: done, jobIdReuse: 'rerun-if-failed' } as const;
      expect(await env.settle(env.mediator.enqueueAsync(CEcho, { text: 'reuse' }, same))).toEqual({
        text: 'reuse',
        attempt: 1,
      });
      expect(s.called('CEcho:reuse')).toBe(1);
      const always = { jobId: done, jobIdReuse: 'rerun-always' } as const;
      await env.settle(env.mediator.enqueueAsync(CEcho, { text: 'reuse' }, always));
      expect(s.called('CEcho:reuse')).toBe(2);
      // A running job is never started twice, whatever the option.
      const w = s.waiter('reuse-running');
      const running = `CWait-reuse-${env.queue}`;
      const a = await env.mediator.enqueue(CWait, { key: 'reuse-running' }, { jobId: running });
      await w.started.promise;
      await env.mediator.enqueue(
        CWait,
        { key: 'reuse-running' },
        { jobId: running, jobIdReuse: 'rerun-always' },
      );
      expect(s.called('CWait:reuse-running')).toBe(1);
      w.release.resolve();
      await env.settle(a.result());
    });

    it('the handle a start returns stays on the job it started; job(id) answers for the latest under the id', async () => {
      const { env } = get();
      const jobId = `CEcho-pinned-${env.queue}`;
      const first = await env.mediator.enqueue(CEcho, { text: 'one' }, { jobId, description: 'first' });
      expect(await env.settle(first.result())).toEqual({ text: 'one', attempt: 1 });
      const again = { jobId, jobIdReuse: 'rerun-always', description: 'second' } as const;
      const second = await env.mediator.enqueue(CEcho, { text: 'two' }, again);
      expect(await env.settle(second.result())).toEqual({ text: 'two', attempt: 1 });
      // Not the rerun now holding the id: the job this handle's start began, in every answer.
      expect(await first.result()).toEqual({ text: 'one', attempt: 1 });
      const [a, b] = [await first.describe(), await second.describe()];
      expect([a.description, b.description]).toEqual(['first', 'second']);
      expect(a.runId).not.toBe(b.runId);
      const latest = env.mediator.job(CEcho, jobId);
      expect(await latest.result()).toEqual({ text: 'two', attempt: 1 });
      expect((await latest.describe()).description).toBe('second');
    });

    it('an id held by a job of another request is a JobIdConflictError naming both requests', async () => {
      const { env } = get();
      const jobId = `shared-${env.queue}`;
      await env.settle(env.mediator.enqueueAsync(CEcho, { text: 'owner' }, { jobId }));
      const err = await rejection(env.mediator.enqueue(CWait, { key: 'intruder' }, { jobId }));
      expect(err).toMatchObject({
        name: 'JobIdConflictError',
        code: 'JOB_ID_CONFLICT',
        request: 'CWait',
        jobId,
        existingRequest: "request 'CEcho'",
      });
      expect(err.message).toMatch(/CWait.*CEcho/);
      const bad = { jobId, jobIdReuse: 'sometimes' as 'rerun-always' };
      expect(await rejection(env.mediator.enqueue(CEcho, { text: 'x' }, bad))).toMatchObject({
        code: 'INVALID_OPTION',
        option: 'jobIdReuse',
      });
    });
  });
}
