/**
 * SIGTERM to a worker process (what Kubernetes, systemd and docker stop send): the SDK's runtime
 * turns it into a graceful shutdown. The worker stops polling, the handlers it runs finish within
 * `shutdownGraceTime` and report their results, and the process exits 0. No job fails or is retried.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { Crunch, startWorkerProcess } from '../fixtures/worker-process.js';
import { address, testMediator, uniqueQueue } from '../helpers.js';

const RUNNING = 20;
const LATE = 10;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('graceful shutdown', () => {
  it(`SIGTERM lets ${RUNNING} running handlers finish, takes no new job, fails none`, async () => {
    const queue = uniqueQueue('sigterm');
    const common = { address: address(), queue, bundlePath: inject('workflowBundlePath') };
    const first = await startWorkerProcess({ ...common, concurrency: 50, barrier: RUNNING, graceMs: 20_000 });
    cleanup.push(() => first.dispose());
    const mediator = await testMediator({ defaults: { queue } });
    cleanup.push(() => mediator.close());

    // 20 handlers of 3 s each, all running when the signal arrives.
    const jobs = await Promise.all(
      Array.from({ length: RUNNING }, (_, n) => mediator.enqueue(Crunch, { n, ms: 3000 })),
    );
    await first.next('barrier');
    const stopped = first.next('stopped');
    const termAt = Date.now();
    first.child.kill('SIGTERM');
    // Jobs enqueued once the worker is stopping wait for the next worker.
    await sleep(500);
    const late = await Promise.all(
      Array.from({ length: LATE }, (_, i) => mediator.enqueue(Crunch, { n: 100 + i, ms: 10 })),
    );
    await stopped;
    const exit = await first.exited;
    const drainedMs = Date.now() - termAt;
    expect(exit).toEqual({ code: 0, signal: null });
    // It waited for the running handlers (3 s each) rather than dropping them, within the grace time.
    expect(drainedMs).toBeGreaterThanOrEqual(2500);
    expect(drainedMs).toBeLessThan(20_000);
    expect(first.started()).toBe(RUNNING);

    // The workflows still need a worker to record their results; the next one picks up the late jobs too.
    const second = await startWorkerProcess({ ...common, concurrency: 50 });
    cleanup.push(() => second.dispose());
    const results = await Promise.all(jobs.map((j) => j.result()));
    results.forEach((r, n) => expect(r).toMatchObject({ n, square: n * n, attempt: 1, pid: first.pid }));
    const lateResults = await Promise.all(late.map((j) => j.result()));
    lateResults.forEach((r, i) => expect(r).toMatchObject({ n: 100 + i, attempt: 1, pid: second.pid }));
    console.info(
      `[graceful shutdown] runningAtSigterm=${RUNNING} drained=${drainedMs}ms exit=0 failed=0 retried=0 ` +
        `lateJobs=${LATE} (all on the next worker, attempt 1)`,
    );
  }, 90_000);
});
