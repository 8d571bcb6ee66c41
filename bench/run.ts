/**
 * `npm run bench`: the mediator side by side with hand-written Temporal, in one run, on one dev server,
 * with the same worker settings. Prints a table, writes bench/results/latest.json and BENCHMARKS.md.
 * `--quick` runs smaller counts (a smoke run, not figures to quote).
 * `--cluster` runs the same on Temporal 1.32 on PostgreSQL with 4 history shards (the cluster
 * `npm run cluster` serves, else one started for the run) and writes bench/results/cluster.json;
 * BENCHMARKS.md shows both targets.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime, bundleWorkflowCode } from '@temporalio/worker';
import { attachOrStartCluster } from '../scripts/cluster-attach.js';
import { startDevServer } from '../scripts/dev-server.js';
import { BenchEcho, benchWorkflowsPath } from './setup.js';
import type { Scenario, Scenarios } from './scenarios.js';
import { SCENARIOS, openScenarios, rotated } from './scenarios.js';
import type { LatencyStats } from './stats.js';
import {
  currentRssMiB,
  interleavedThroughput,
  median,
  peakRssMiB,
  sequential,
  settle,
  throughput,
} from './stats.js';
import { createMediator } from '../src/index.js';
import { consoleLogger } from '../src/core/logger.js';
import { writeReport } from './report.js';

const quick = process.argv.includes('--quick');
const onCluster = process.argv.includes('--cluster');
const N = quick
  ? {
      seq: 30,
      warm: 10,
      tput: 100,
      tputRounds: 2,
      starts: 150,
      startRounds: 2,
      payload: 8,
      procs: 200,
      rss: [200, 1000],
      schedules: 50,
      rounds: 1,
    }
  : {
      seq: 150,
      warm: 30,
      tput: 300,
      tputRounds: 12,
      starts: 300,
      startRounds: 10,
      payload: 30,
      procs: 1000,
      rss: [1000, 10000],
      schedules: 1000,
      rounds: 3,
    };
const log = (m: string) => console.error(`[bench] ${m}`);

Runtime.install({ logger: new DefaultLogger('WARN') });

async function main() {
  const startLoad = round3(loadavg()[0] ?? 0);
  const server = onCluster ? await benchCluster() : await startDevServer();
  const queue = 'bench';
  const address = server.address;
  log(onCluster ? `cluster at ${address}` : `dev server at ${address}`);
  const bundle = await bundleWorkflowCode({
    workflowsPath: benchWorkflowsPath,
    logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} },
  });
  const bundleDir = mkdtempSync(join(tmpdir(), 'tm-bench-'));
  const bundlePath = join(bundleDir, 'bundle.js');
  writeFileSync(bundlePath, bundle.code);

  const sc = await openScenarios(address, bundle, queue);
  const { client, mediator } = sc;
  let seq = 0;
  const text = 'hello';

  const results: Record<string, unknown> = {};
  const measured = await measureLatency(sc);
  results.latencyMs = measured.latency;
  log(`throughput, 50 in flight: ${N.tputRounds} interleaved rounds of ${N.tput}`);
  const tput = await interleavedThroughput(
    { ...sc.run, mediatorNoSearchAttribute: sc.mediatorNoSearchAttribute },
    'raw',
    { rounds: N.tputRounds, batch: N.tput, inFlight: 50, warmup: N.warm * 2 },
  );
  results.throughputPerSec = tput.median;
  results.throughputRatioToRaw = tput.ratio;
  results.throughputRoundsPerSec = tput.rates;

  log('enqueue (fire-and-forget) start rate, 50 in flight, queue without workers');
  const nowhere = 'bench-no-worker';
  const plainMediator = await createMediator({
    client,
    logger: consoleLogger('warn'),
    defaults: { queue: nowhere },
    searchAttributes: false,
  });
  const starts = await interleavedThroughput(
    {
      raw: () =>
        client.workflow.start('rawWorkflow', {
          taskQueue: nowhere,
          workflowId: `raw-start-${seq++}`,
          args: [{ text }],
        }),
      mediator: () => mediator.enqueue(BenchEcho, { text }, { queue: nowhere }),
      mediatorNoSearchAttribute: () => plainMediator.enqueue(BenchEcho, { text }),
    },
    'raw',
    { rounds: N.startRounds, batch: N.starts, inFlight: 50, warmup: N.warm * 2 },
  );
  results.startsPerSec = starts.median;
  results.startsRatioToRaw = starts.ratio;
  results.startsRoundsPerSec = starts.rates;

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

  log(`worker peak RSS after ${N.rss[0]} jobs of each scenario (one worker process each)`);
  const rssRuns: Record<string, (q: string) => () => Promise<unknown>> = {
    raw: (q) => () =>
      client.workflow.execute('rawWorkflow', {
        taskQueue: q,
        workflowId: `raw-rss-${seq++}`,
        args: [{ text }],
      }),
    mediator: (q) => () => mediator.enqueueAsync(BenchEcho, { text }, { queue: q }),
    // Local activities in a separate worker (no eager start across processes).
    fastLane: (q) => () => mediator.enqueueAsync(BenchEcho, { text }, { queue: q, fastLane: true }),
  };
  const peakRss: Record<string, number> = {};
  const growth: Record<string, number> = {};
  for (const [k, make] of Object.entries(rssRuns)) {
    const q = `bench-rss-${k}`;
    const child = await startWorkerProcess(address, q, bundlePath);
    await throughput(N.rss[0]!, 100, make(q));
    peakRss[k] = await peakRssMiB(child.pid!);
    if (k === 'mediator') {
      // Growth per job: resident size after 10x the jobs, in the same process.
      const first = await currentRssMiB(child.pid!);
      log(`mediator worker: ${N.rss[1]! - N.rss[0]!} more jobs`);
      await throughput(N.rss[1]! - N.rss[0]!, 100, make(q));
      const all = await currentRssMiB(child.pid!);
      growth[`after${N.rss[0]}`] = first;
      growth[`after${N.rss[1]}`] = all;
      growth.peak = await peakRssMiB(child.pid!);
      growth.ratio = round3(all / first);
    }
    await stopProcess(child);
  }
  results.workerPeakRssMiB = peakRss;
  results.workerRssMiB = growth;

  log(`create and list ${N.schedules} recurring schedules`);
  let t = performance.now();
  await throughput(N.schedules, 20, (i) =>
    mediator.addOrUpdate(`bench-sched-${i}`, BenchEcho, { text }, { every: '1h' }),
  );
  const createMs = performance.now() - t;
  // Listing reads the visibility store, which trails creation: list until all are there, and
  // report the last (complete) listing's time and how long visibility took to catch up.
  let listMs = 0;
  let listed = 0;
  const since = performance.now();
  for (let attempt = 0; attempt < 60 && listed < N.schedules; attempt++) {
    if (attempt) await new Promise((r) => setTimeout(r, 500));
    t = performance.now();
    listed = 0;
    for await (const s of mediator.listRecurring()) if (s.id.startsWith('bench-sched-')) listed++;
    listMs = performance.now() - t;
  }
  results.schedules = {
    count: N.schedules,
    createMs: Math.round(createMs),
    listMs: Math.round(listMs),
    listed,
    visibilityLagMs: Math.round(performance.now() - since - listMs),
  };

  const lat = measured.latency;
  results.ratios = {
    throughputMediatorVsRaw: tput.ratio.mediator,
    p50MediatorVsRaw: round3(lat.mediator.p50 / lat.raw.p50),
    startsMediatorVsRaw: starts.ratio.mediator,
    p50FastLaneVsRaw: round3(lat.fastLane.p50 / lat.raw.p50),
    workerRssGrowth: growth.ratio,
  };
  results.machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    quick,
    target: onCluster ? 'cluster' : 'dev',
    // 1-minute load averages at the start and the end: the machine may be shared.
    loadAvg: [startLoad, round3(loadavg()[0] ?? 0)],
  };
  results.at = new Date().toISOString();

  await sc.close();
  await server.teardown();
  if (onCluster) return writeResults(results);

  // The dev server has one history shard whose transfer queue is read at most 20 times a second
  // (history.transferProcessorMaxPollRPS), so every task hand-off waits for a 50 ms tick. A cluster
  // spreads jobs over many shards; this second server lifts the limit to show latency without it.
  log(`latency on a dev server with ${TUNED.join(' ')}`);
  const tuned = await startDevServer({ extraArgs: TUNED.flatMap((v) => ['--dynamic-config-value', v]) });
  const tsc = await openScenarios(tuned.address, bundle, queue);
  const tunedLatency = (await measureLatency(tsc)).latency;
  await tsc.close();
  await tuned.teardown();
  results.tunedServer = {
    dynamicConfig: TUNED,
    latencyMs: tunedLatency,
    p50MediatorVsRaw: round3(tunedLatency.mediator.p50 / tunedLatency.raw.p50),
    p50FastLaneVsRaw: round3(tunedLatency.fastLane.p50 / tunedLatency.raw.p50),
  };

  writeResults(results);
}

function writeResults(results: Record<string, unknown>): void {
  const outDir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(outDir, { recursive: true });
  const name = `${onCluster ? 'cluster' : 'latest'}${quick ? '-quick' : ''}.json`.replace(
    'latest-quick',
    'quick',
  );
  writeFileSync(join(outDir, name), JSON.stringify(results, null, 2) + '\n');
  writeReport(results, { quick });
}

/** The cluster target, without its Web UI when started here (it is not measured). */
async function benchCluster() {
  const cluster = await attachOrStartCluster({ uiPort: false });
  log(`Temporal 1.32 cluster (${cluster.origin})`);
  return cluster;
}

const TUNED = ['history.transferProcessorMaxPollRPS=1000'];

/** Sequential latency of each scenario, in rounds that rotate the order. */
async function measureLatency(sc: Scenarios) {
  const latency: Record<Scenario, LatencyStats[]> = { raw: [], mediator: [], fastLane: [] };
  for (let round = 0; round < N.rounds; round++) {
    const order = rotated(SCENARIOS, round);
    log(`latency round ${round + 1}/${N.rounds}: ${order.join(', ')}`);
    for (const k of order) {
      await settle();
      latency[k].push(await sequential(N.seq, N.warm, sc.run[k]));
    }
  }
  const pick = (k: Scenario) => ({
    p50: median(latency[k].map((r) => r.p50)),
    p95: median(latency[k].map((r) => r.p95)),
    p99: median(latency[k].map((r) => r.p99)),
    n: latency[k].reduce((a, r) => a + r.n, 0),
  });
  return { latency: { raw: pick('raw'), mediator: pick('mediator'), fastLane: pick('fastLane') } };
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
