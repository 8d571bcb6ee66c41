/**
 * A worker process dies (SIGKILL) with every one of its 200 jobs mid-handler. The handler wrapper
 * heartbeats, so the server notices the dead worker after the heartbeat timeout (10 s), not the
 * 2-minute attempt timeout, and retries each job on the replacement worker process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { WorkerProcess } from '../fixtures/worker-process.js';
import { Crunch, readLedger, startWorkerProcess } from '../fixtures/worker-process.js';
import { address, testMediator, uniqueQueue } from '../helpers.js';

const JOBS = 200;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function ledgerDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mediator-ledger-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function workerProcess(options: Parameters<typeof startWorkerProcess>[0]): Promise<WorkerProcess> {
  const w = await startWorkerProcess(options);
  cleanup.push(() => w.dispose());
  return w;
}

describe('worker crash', () => {
  it(`SIGKILL with ${JOBS} jobs mid-handler: a new worker process finishes every one, nothing lost`, async () => {
    const queue = uniqueQueue('crash');
    const ledger = ledgerDir();
    const common = { address: address(), queue, bundlePath: inject('workflowBundlePath'), ledger };
    // The barrier holds each handler until all 200 run at once: the kill finds exactly 200 in flight.
    const first = await workerProcess({ ...common, concurrency: 250, barrier: JOBS });
    const mediator = await testMediator({ defaults: { queue } });
    cleanup.push(() => mediator.close());

    const started = Date.now();
    const calls = Array.from({ length: JOBS }, (_, n) => mediator.enqueueAsync(Crunch, { n, ms: 1000 }));
    const settled = Promise.allSettled(calls);
    await first.next('barrier');
    const inFlight = first.running();
    first.child.kill('SIGKILL');
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
    const killedAt = Date.now();
    const second = await workerProcess({ ...common, concurrency: 250 });

    const results = await settled;
    const recoveredMs = Date.now() - killedAt;
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).toEqual([]);
    const values = results.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
    values.forEach((v, n) => expect(v).toMatchObject({ n, square: n * n }));
    const retried = values.filter((v) => (v?.attempt ?? 0) > 1).length;
    // Every job was in flight on the killed worker, so every one finished on its replacement.
    expect(values.every((v) => v?.pid === second.pid)).toBe(true);
    expect(retried).toBe(JOBS);

    // Side effects: one per job, though each handler ran twice (the retry found the key and skipped it).
    const { effects, runs } = readLedger(ledger);
    expect(new Set(effects).size).toBe(JOBS);
    expect(effects).toHaveLength(JOBS);
    expect(runs).toHaveLength(2 * JOBS);
    expect(values.filter((v) => v?.deduplicated).length).toBe(JOBS);
    // Recovery is bounded by the heartbeat timeout (10 s) plus the retry backoff, not the attempt timeout.
    expect(recoveredMs).toBeLessThan(60_000);
    console.info(
      `[worker crash] jobs=${JOBS} inFlightAtKill=${inFlight} crashes=1 lost=0 retriedAttempts=${retried} ` +
        `handlerRuns=${runs.length} sideEffects=${effects.length} recoveryAfterKill=${recoveredMs}ms total=${Date.now() - started}ms`,
    );
  }, 120_000);
});
