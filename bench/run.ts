/**
 * `npm run bench`: the mediator side by side with hand-written Temporal, in one run, on one dev server,
 * with the same worker settings. Prints a table, writes bench/results/latest.json and BENCHMARKS.md.
 * `--quick` runs smaller counts (a smoke run, not figures to quote).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { startDevServer } from '../scripts/dev-server.js';
import { createMediator } from '../src/index.js';
import { consoleLogger } from '../src/logger.js';
import { BenchEcho, WORKER_SETTINGS, benchWorkflowsPath, handlers, rawActivities } from './setup.js';
import type { LatencyStats } from './stats.js';
import { currentRssMiB, sequential, throughput } from './stats.js';
import { writeReport } from './report.js';

const quick = process.argv.includes('--quick');
const N = quick
  ? {
      seq: 30,
      warm: 10,
      tput: 150,
      starts: 200,
      payload: 8,
      procs: 200,
      rss: [200, 1000],
      schedules: 50,
      rounds: 1,
    }
  : {
      seq: 150,
      warm: 30,
      tput: 600,
      starts: 1000,
      payload: 30,
      procs: 1000,
      rss: [1000, 10000],
      schedules: 1000,
      rounds: 2,
    };
const quiet = consoleLogger('warn');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const log = (m: string) => console.error(`[bench] ${m}`);

Runtime.install({ logger: new DefaultLogger('WARN') });

async function main() {
  const server = await startDevServer();
  const address = server.address;
  log(`dev server at ${address} (temporal CLI via ${server.cli.route})`);
  const bundle = await bundleWorkflowCode({
    workflowsPath: benchWorkflowsPath,
    logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} },
  });
  const bundleDir = mkdtempSync(join(tmpdir(), 'tm-bench-'));
  const bundlePath = join(bundleDir, 'bundle.js');
  writeFileSync(bundlePath, bundle.code);

  // In-process worker serving both the baseline and the mediator on one queue, with the same settings.
  const native = await NativeConnection.connect({ address });
  const queue = 'bench';
  const worker = await Worker.create({
    connection: native,
    taskQueue: queue,
    workflowBundle: bundle,
    activities: { ...rawActivities, ...createActivities(handlers, { logger: quiet }) },
    ...WORKER_SETTINGS,
  });
  const workerRun = worker.run();

  // What a Temporal user's API process has: a gRPC client connection.
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const mediator = await createMediator({ client, logger: quiet, defaults: { queue } });
  // The fast lane shares the worker's connection so starts can be eager.
  const fast = await createMediator({
    client: new Client({ connection: native }),
    logger: quiet,
    defaults: { queue, fastLane: true },
  });

  let seq = 0;
  const text = 'hello';
  const raw = () =>
    client.workflow.execute('rawWorkflow', {
      taskQueue: queue,
      workflowId: `raw-${seq++}`,
      args: [{ text }],
    });
  const med = () => mediator.enqueueAsync(BenchEcho, { text });
  const lane = () => fast.enqueueAsync(BenchEcho, { text });

  const results: Record<string, unknown> = {};
  const latency: Record<string, LatencyStats[]> = { raw: [], mediator: [], fastLane: [] };
  const tput: Record<string, number[]> = { raw: [], mediator: [], fastLane: [] };
  for (let round = 0; round < N.rounds; round++) {
    log(`latency round ${round + 1}/${N.rounds}`);
    latency.raw!.push(await sequential(N.seq, N.warm, raw));
    latency.mediator!.push(await sequential(N.seq, N.warm, med));
    latency.fastLane!.push(await sequential(N.seq, N.warm, lane));
    log(`throughput round ${round + 1}/${N.rounds} (50 in flight)`);
    tput.raw!.push(await throughput(N.tput, 50, raw));
    tput.mediator!.push(await throughput(N.tput, 50, med));
    tput.fastLane!.push(await throughput(N.tput, 50, lane));
  }
  const pick = (k: string) => {
    const rounds = latency[k]!;
    return {
      p50: median(rounds.map((r) => r.p50)),
      p95: median(rounds.map((r) => r.p95)),
      p99: median(rounds.map((r) => r.p99)),
      n: rounds.reduce((a, r) => a + r.n, 0),
    };
  };
  results.latencyMs = { raw: pick('raw'), mediator: pick('mediator'), fastLane: pick('fastLane') };
  results.throughputPerSec = {
    raw: median(tput.raw!),
    mediator: median(tput.mediator!),
    fastLane: median(tput.fastLane!),
  };

  log('enqueue (fire-and-forget) start rate, 50 in flight, queue without workers');
  const nowhere = 'bench-no-worker';
  const starts = { raw: [] as number[], mediator: [] as number[] };
  for (let round = 0; round < N.rounds; round++) {
    starts.raw.push(
      await throughput(N.starts, 50, () =>
        client.workflow.start('rawWorkflow', {
          taskQueue: nowhere,
          workflowId: `raw-start-${seq++}`,
          args: [{ text }],
        }),
      ),
    );
    starts.mediator.push(
      await throughput(N.starts, 50, () => mediator.enqueue(BenchEcho, { text }, { queue: nowhere })),
    );
  }
  results.startsPerSec = { raw: median(starts.raw), mediator: median(starts.mediator) };

  log('latency by input size');
  const sizes: Record<string, unknown> = {};
  for (const [label, bytes] of [
    ['1KB', 1024],
    ['64KB', 64 * 1024],
    ['1MB', 1024 * 1024 - 200],
  ] as const) {
    const big = 'x'.repeat(bytes);
    const r = await sequential(N.payload, 3, () =>
      client.workflow.execute('rawWorkflow', {
        taskQueue: queue,
        workflowId: `raw-size-${seq++}`,
        args: [{ text: big }],
      }),
    );
    const m = await sequential(N.payload, 3, () => mediator.enqueueAsync(BenchEcho, { text: big }));
    sizes[label] = { raw: r.p50, mediator: m.p50 };
  }
  results.latencyBySizeP50Ms = sizes;

  log('throughput with one vs two worker processes');
  const procs: Record<string, number> = {};
  for (const count of [1, 2]) {
    const q = `bench-procs-${count}`;
    const children = await Promise.all(
      Array.from({ length: count }, () => startWorkerProcess(address, q, bundlePath)),
    );
    procs[`${count}`] = await throughput(N.procs, 50, () =>
      mediator.enqueueAsync(BenchEcho, { text }, { queue: q }),
    );
    await Promise.all(children.map(stopProcess));
  }
  results.workerProcessesThroughputPerSec = procs;

  log(`worker RSS after ${N.rss[0]} and ${N.rss[1]} jobs (separate worker process)`);
  const rssQueue = 'bench-rss';
  const rssWorker = await startWorkerProcess(address, rssQueue, bundlePath);
  await throughput(N.rss[0]!, 100, () => mediator.enqueueAsync(BenchEcho, { text }, { queue: rssQueue }));
  const rssAfterFirst = await currentRssMiB(rssWorker.pid!);
  await throughput(N.rss[1]! - N.rss[0]!, 100, () =>
    mediator.enqueueAsync(BenchEcho, { text }, { queue: rssQueue }),
  );
  const rssAfterAll = await currentRssMiB(rssWorker.pid!);
  const { peakRssMiB } = await import('./stats.js');
  const peak = await peakRssMiB(rssWorker.pid!);
  await stopProcess(rssWorker);
  results.workerRssMiB = {
    [`after${N.rss[0]}`]: rssAfterFirst,
    [`after${N.rss[1]}`]: rssAfterAll,
    peak,
    ratio: Math.round((rssAfterAll / rssAfterFirst) * 1000) / 1000,
  };

  const recurring = mediator as unknown as {
    addOrUpdate?: (
      id: string,
      def: typeof BenchEcho,
      input: { text: string },
      o: { every: string },
    ) => Promise<unknown>;
    listRecurring?: () => AsyncIterable<unknown>;
  };
  if (typeof recurring.addOrUpdate === 'function' && typeof recurring.listRecurring === 'function') {
    log(`create and list ${N.schedules} recurring schedules`);
    let t = performance.now();
    await throughput(N.schedules, 20, (i) =>
      recurring.addOrUpdate!(`bench-sched-${i}`, BenchEcho, { text }, { every: '1h' }),
    );
    const createMs = performance.now() - t;
    t = performance.now();
    let listed = 0;
    for await (const _ of recurring.listRecurring()) listed++;
    results.schedules = {
      count: N.schedules,
      createMs: Math.round(createMs),
      listMs: Math.round(performance.now() - t),
      listed,
    };
  }

  results.ratios = {
    throughputMediatorVsRaw: round3(
      (results.throughputPerSec as Record<string, number>).mediator! /
        (results.throughputPerSec as Record<string, number>).raw!,
    ),
    p50MediatorVsRaw: round3(
      (results.latencyMs as Record<string, { p50: number }>).mediator!.p50 /
        (results.latencyMs as Record<string, { p50: number }>).raw!.p50,
    ),
    startsMediatorVsRaw: round3(
      (results.startsPerSec as Record<string, number>).mediator! /
        (results.startsPerSec as Record<string, number>).raw!,
    ),
    p50FastLaneVsRaw: round3(
      (results.latencyMs as Record<string, { p50: number }>).fastLane!.p50 /
        (results.latencyMs as Record<string, { p50: number }>).raw!.p50,
    ),
    workerRssGrowth: (results.workerRssMiB as { ratio: number }).ratio,
  };
  results.machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    quick,
  };
  results.at = new Date().toISOString();

  await mediator.close();
  await fast.close();
  worker.shutdown();
  await workerRun;
  await connection.close();
  await native.close();
  await server.teardown();

  const outDir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, quick ? 'quick.json' : 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  writeReport(results, { quick });
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

function startWorkerProcess(address: string, queue: string, bundlePath: string): Promise<ChildProcess> {
  const script = fileURLToPath(new URL('./worker-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, address, queue, bundlePath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker process exited with ${code}`)));
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
