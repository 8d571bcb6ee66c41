/**
 * PostgreSQL restarted (fast shutdown: sessions aborted, then started again on the same data) while
 * 200 jobs run on a worker process and callers wait on their results. The Temporal server keeps
 * running and retries its persistence calls; the mediator adds nothing. Nothing may be lost: every
 * job completes once with the right result, and a job enqueued while the database is down is
 * accepted once it is back.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { Crunch, startWorkerProcess } from '../integration/fixtures/worker-process.js';
import { address, testMediator, uniqueQueue } from '../integration/helpers.js';
import { clusterControl } from './control.js';

const JOBS = 200;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('cluster: PostgreSQL restarted mid-load', () => {
  it(`${JOBS} jobs in flight while PostgreSQL restarts: 0 lost, results correct`, async () => {
    const queue = uniqueQueue('pg');
    const mediator = await testMediator({ defaults: { queue } });
    cleanup.push(() => mediator.close());
    const worker = await startWorkerProcess({
      address: address(),
      queue,
      bundlePath: inject('workflowBundlePath'),
      concurrency: 20,
    });
    cleanup.push(() => worker.dispose());

    const jobs = await Promise.all(
      Array.from({ length: JOBS }, (_, n) => mediator.enqueue(Crunch, { n, ms: 200 })),
    );
    let reattached = 0;
    const wait = (id: string): Promise<{ n: number; square: number; attempt: number }> =>
      mediator
        .job(Crunch, id)
        .result()
        .catch(async (err: unknown) => {
          if (++reattached > 2 * JOBS) throw err;
          await sleep(500);
          return wait(id);
        });
    const waiting = jobs.map((j) => wait(j.id));
    while (worker.started() < 40) await sleep(50);

    const startedAtRestart = worker.started();
    const restartedAt = Date.now();
    const restart = clusterControl.restartPostgres();
    await sleep(100);
    // Enqueued while the database is down: the server may refuse it (1.32 answers NamespaceNotFound
    // while it cannot read its namespace table). Refused is not lost: the caller retries with the
    // same job id, and the job runs once.
    const jobId = `pg-outage-${randomUUID()}`;
    const outage = { n: 7777, ms: 10 };
    const duringRestart = mediator.enqueueAsync(Crunch, outage, { jobId }).then(
      (value) => ({ value, refused: undefined }),
      (err: unknown) => ({ value: undefined, refused: (err as Error).name }),
    );
    await restart;
    const restartMs = Date.now() - restartedAt;

    const results = await Promise.all(waiting);
    results.forEach((r, n) => expect(r).toMatchObject({ n, square: n * n }));
    const first = await duringRestart;
    const late = first.value ?? (await mediator.enqueueAsync(Crunch, outage, { jobId }));
    expect(late).toMatchObject({ n: 7777, square: 7777 * 7777, attempt: 1 });
    expect(worker.child.exitCode).toBeNull();
    console.info(
      `[cluster postgres restart] jobs=${JOBS} startedBeforeRestart=${startedAtRestart} restart=${restartMs}ms ` +
        `lost=0 reattachedCallers=${reattached} enqueueDuringOutage=${first.refused ? `refused (${first.refused}), retried` : 'accepted'} retriedAttempts=${results.filter((r) => r.attempt > 1).length} ` +
        `total=${Date.now() - restartedAt}ms`,
    );
  }, 240_000);
});
