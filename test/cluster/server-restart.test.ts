/**
 * The cluster variant of test/integration/reliability/server-restart.test.ts: the Temporal 1.32
 * server process is SIGKILLed (no graceful shutdown, nothing flushed) while 200 jobs are queued,
 * delayed or running on a worker process, then started again on the same PostgreSQL database. What
 * the server acknowledged is in PostgreSQL, so nothing may be lost: every waiting caller gets the
 * right result and the worker process, never restarted, finishes every job.
 *
 * A caller whose wait outlives the gRPC retry budget (about 20 s) re-attaches by job id, as a real
 * caller would; the test counts those re-attachments and reports them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { Crunch, startWorkerProcess } from '../integration/fixtures/worker-process.js';
import { address, testMediator, uniqueQueue } from '../integration/helpers.js';
import { clusterControl } from './control.js';

const QUEUED = 150;
const DELAYED = 50;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('cluster: server process killed', () => {
  it(`${QUEUED + DELAYED} queued, delayed and running jobs survive a SIGKILLed server; 0 lost, results correct`, async () => {
    const queue = uniqueQueue('kill');
    const mediator = await testMediator({ defaults: { queue } });
    cleanup.push(() => mediator.close());
    const queued = await Promise.all(
      Array.from({ length: QUEUED }, (_, n) => mediator.enqueue(Crunch, { n, ms: 300 })),
    );
    const delayed = await Promise.all(
      Array.from({ length: DELAYED }, (_, i) =>
        mediator.schedule(Crunch, { n: QUEUED + i, ms: 50 }, { delay: '3s' }),
      ),
    );
    const ids = [...queued, ...delayed].map((j) => j.id);
    let reattached = 0;
    const wait = (id: string): Promise<{ n: number; square: number; pid: number; attempt: number }> =>
      mediator
        .job(Crunch, id)
        .result()
        .catch(() => {
          reattached++;
          return wait(id);
        });
    const waiting = ids.map(wait);

    const worker = await startWorkerProcess({
      address: address(),
      queue,
      bundlePath: inject('workflowBundlePath'),
      concurrency: 20,
    });
    cleanup.push(() => worker.dispose());
    while (worker.started() < 20) await sleep(50);

    const runningAtKill = worker.running();
    const killedAt = Date.now();
    await clusterControl.killServer();
    const duringOutage = mediator.enqueueAsync(Crunch, { n: 9999, ms: 10 });
    await sleep(1000);
    await clusterControl.startServer();
    const outageMs = Date.now() - killedAt;

    const results = await Promise.all(waiting);
    results.forEach((r, n) => expect(r).toMatchObject({ n, square: n * n }));
    expect(await duringOutage).toMatchObject({ n: 9999, square: 9999 * 9999 });
    expect(worker.child.exitCode).toBeNull();
    expect(results.every((r) => r.pid === worker.pid)).toBe(true);
    console.info(
      `[cluster server kill] jobs=${ids.length} (queued=${QUEUED}, delayed=${DELAYED}, running at kill=${runningAtKill}) ` +
        `outage=${outageMs}ms lost=0 reattachedCallers=${reattached} ` +
        `retriedAttempts=${results.filter((r) => r.attempt > 1).length} afterRestart=${Date.now() - killedAt - outageMs}ms`,
    );
  }, 240_000);
});
