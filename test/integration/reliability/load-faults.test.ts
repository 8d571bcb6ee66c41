/**
 * Load with faults: 2,000 `enqueueAsync` calls, 100 in flight, served by two worker processes while
 * one is SIGKILLed and restarted. Handlers run at least once; the ledger keyed by
 * `ctx.idempotencyKey` shows each job's side effect recorded exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { WorkerProcess } from '../fixtures/worker-process.js';
import { Crunch, readLedger, startWorkerProcess } from '../fixtures/worker-process.js';
import { address, testMediator, uniqueQueue } from '../helpers.js';

const JOBS = Number(process.env.RELIABILITY_LOAD_JOBS ?? 2000);
const IN_FLIGHT = 100;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** Runs `count` tasks with at most `limit` at once, in order of index. */
async function pool<T>(count: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
  return out;
}

describe('load with faults', () => {
  it(`${JOBS} jobs, ${IN_FLIGHT} in flight, over two worker processes, one killed and restarted: 0 lost, side effects exactly once`, async () => {
    const queue = uniqueQueue('load');
    const ledger = mkdtempSync(join(tmpdir(), 'mediator-ledger-'));
    cleanup.push(() => rmSync(ledger, { recursive: true, force: true }));
    const common = { address: address(), queue, bundlePath: inject('workflowBundlePath'), ledger };
    const spawn = async () => {
      const w = await startWorkerProcess({ ...common, concurrency: IN_FLIGHT });
      cleanup.push(() => w.dispose());
      return w;
    };
    const [a, b] = await Promise.all([spawn(), spawn()]);
    const mediator = await testMediator({ defaults: { queue } });
    cleanup.push(() => mediator.close());

    let done = 0;
    let killedInFlight = 0;
    let restarted: WorkerProcess | undefined;
    const started = Date.now();
    // The fault: once a third of the jobs are done, SIGKILL worker A mid-load and start a new one.
    const fault = (async () => {
      while (done < JOBS / 3) await sleep(50);
      killedInFlight = a.running();
      a.child.kill('SIGKILL');
      await a.exited;
      await sleep(1000);
      restarted = await spawn();
    })();
    // Handlers record the side effect first and then work for 250 ms, so the kill finds recorded ones.
    const results = await pool(JOBS, IN_FLIGHT, async (n) => {
      const r = await mediator.enqueueAsync(Crunch, { n, ms: 250 });
      done++;
      return r;
    });
    await fault;
    const elapsed = Date.now() - started;

    results.forEach((r, n) => expect(r).toMatchObject({ n, square: n * n }));
    const { effects, runs } = readLedger(ledger);
    const retried = results.filter((r) => r.attempt > 1).length;
    const deduplicated = results.filter((r) => r.deduplicated).length;
    // Exactly one side effect per job, for exactly the jobs the callers got results for.
    expect(effects).toHaveLength(JOBS);
    expect(new Set(effects)).toEqual(new Set(results.map((r) => r.key)));
    // At least once: some jobs ran twice. A retry that found its job's effect recorded skipped it (the
    // run log is appended before the effect is written, so each skip has an earlier run on record).
    const runsByKey = new Map<string, number>();
    for (const r of runs) runsByKey.set(r.key, (runsByKey.get(r.key) ?? 0) + 1);
    const extraRuns = runs.length - JOBS;
    expect(runsByKey.size).toBe(JOBS);
    expect(killedInFlight).toBeGreaterThan(0);
    expect(retried).toBeGreaterThan(0);
    expect(deduplicated).toBeGreaterThan(0);
    expect(deduplicated).toBeLessThanOrEqual(extraRuns);
    for (const r of results.filter((x) => x.deduplicated))
      expect(runsByKey.get(r.key)).toBeGreaterThanOrEqual(2);
    const byWorker = new Map<number, number>();
    for (const r of results) byWorker.set(r.pid, (byWorker.get(r.pid) ?? 0) + 1);
    expect(byWorker.get(b.pid)).toBeGreaterThan(0);
    expect(byWorker.get(restarted?.pid ?? -1)).toBeGreaterThan(0);
    console.info(
      `[load with faults] jobs=${JOBS} inFlight=${IN_FLIGHT} workers=2 crashes=1 restarts=1 lost=0 ` +
        `inFlightOnKilledWorker=${killedInFlight} retriedJobs=${retried} handlerRuns=${runs.length} ` +
        `sideEffects=${effects.length} dedupSkips=${deduplicated} byWorker=${JSON.stringify(Object.fromEntries(byWorker))} ` +
        `duration=${elapsed}ms (${Math.round((JOBS * 1000) / elapsed)} jobs/s)`,
    );
  }, 240_000);
});
