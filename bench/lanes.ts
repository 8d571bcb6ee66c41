/**
 * `npm run bench:lanes -- --cluster`: the lanes side by side with hand-written Temporal, in one run on
 * one server, one in-process worker, interleaved rounds (each round runs every scenario in a rotated
 * order, each batch after the machine settles for at most 2 s; ratios are medians of per-round ratios):
 *
 * - round trip (start, run, result), sequential p50, and throughput with 50 in flight: raw workflow +
 *   activity, raw `client.activity.execute`, the mediator on the workflow, fast and standalone lanes;
 * - start rate (fire-and-forget, 50 in flight, a queue without workers): raw `client.workflow.start`
 *   and `client.activity.start` against the mediator's `enqueue` on the workflow and standalone lanes,
 *   plus the raw start with each thing the mediator's start adds (summary, search attribute, the
 *   envelope), to show where the default lane's gap goes.
 *
 * Without `--cluster` it runs on a dev server (no standalone activities: those scenarios are left out).
 * Writes bench/results/lanes-<target>.json. `--quick` runs smaller counts; `--smoke` tiny ones
 * without waiting for an idle machine (checks the script, measures nothing).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { attachOrStartCluster } from '../scripts/cluster-attach.js';
import { startDevServer } from '../scripts/dev-server.js';
import { buildEnvelope } from '../src/dispatch/plan.js';
import { MEDIATOR_REQUEST, createMediator } from '../src/index.js';
import { uuidv7 } from '../src/core/ids.js';
import { consoleLogger } from '../src/core/logger.js';
import { defaultMediatorOptions } from '../src/dispatch/options.js';
import { writeLanesSection } from './lanes-report.js';
import { BenchEcho, WORKER_SETTINGS, benchWorkflowsPath, handlers, rawActivities } from './setup.js';
import { latencyStats, median, settle, throughput } from './stats.js';

const smoke = process.argv.includes('--smoke');
// --standalone: only the standalone comparisons (and the raw workflow baseline), with more samples.
const focus = process.argv.includes('--standalone');
// --sa-cache (dev server): the CLI turns the server's search-attribute cache off unless this flag is
// given, so every start carrying a search attribute reads them from the database; a production
// server keeps them cached. Shows what the MediatorRequest attribute costs with the cache on.
const saCache = process.argv.includes('--sa-cache');
const quick = smoke || process.argv.includes('--quick');
const onCluster = process.argv.includes('--cluster');
const N = smoke
  ? { seq: 5, warm: 2, rounds: 1, tput: 20, tputRounds: 1, starts: 20, startRounds: 1 }
  : quick
    ? { seq: 30, warm: 10, rounds: 2, tput: 100, tputRounds: 2, starts: 150, startRounds: 2 }
    : focus
      ? { seq: 100, warm: 10, rounds: 6, tput: 300, tputRounds: 8, starts: 500, startRounds: 8 }
      : { seq: 60, warm: 10, rounds: 5, tput: 200, tputRounds: 6, starts: 200, startRounds: 6 };
// The machine is shared (other engineers' servers and tests): waiting for it to go idle would take
// most of the run, so each batch waits at most 2 s, and rotation spreads what is left over.
const settleBriefly = () => settle(0.6, 2_000);
const log = (m: string) => console.error(`[bench:lanes] ${m}`);
const r3 = (x: number) => Math.round(x * 1000) / 1000;

Runtime.install({ logger: new DefaultLogger('WARN') });

async function main() {
  const server = onCluster
    ? await attachOrStartCluster({ uiPort: false })
    : await startDevServer(
        saCache
          ? { extraArgs: ['--dynamic-config-value', 'system.forceSearchAttributesCacheRefreshOnRead=false'] }
          : {},
      );
  const address = server.address;
  log(`${onCluster ? 'cluster' : 'dev server'} at ${address}`);
  const queue = 'bench-lanes';
  const nowhere = 'bench-lanes-no-worker';
  const quiet = consoleLogger('warn');
  const bundle = await bundleWorkflowCode({
    workflowsPath: benchWorkflowsPath,
    logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} },
  });
  const native = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: native,
    taskQueue: queue,
    workflowBundle: bundle,
    activities: { ...rawActivities, ...createActivities(handlers, { logger: quiet }) },
    ...WORKER_SETTINGS,
  });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const mediator = await createMediator({ client, logger: quiet, defaults: { queue } });
  const fast = await createMediator({
    client: new Client({ connection: native }),
    logger: quiet,
    defaults: { queue, lane: 'fast' },
  });
  const plain = await createMediator({ client, logger: quiet, searchAttributes: false });
  const text = 'hello';
  const rawRetry = { maximumAttempts: 3, initialInterval: '1s', backoffCoefficient: 2 };

  const roundTrip: Record<string, () => Promise<unknown>> = {
    rawWorkflow: () =>
      client.workflow.execute('rawWorkflow', {
        taskQueue: queue,
        workflowId: `raw-${uuidv7()}`,
        args: [{ text }],
      }),
    ...(onCluster
      ? {
          rawStandalone: () =>
            client.activity.execute('rawEcho', {
              id: `raw-sa-${uuidv7()}`,
              taskQueue: queue,
              args: [{ text }],
              startToCloseTimeout: '1 minute',
              retry: rawRetry,
            }),
        }
      : {}),
    mediatorWorkflow: () => mediator.enqueueAsync(BenchEcho, { text }),
    mediatorFast: () => fast.enqueueAsync(BenchEcho, { text }),
    ...(onCluster
      ? {
          mediatorStandalone: () => mediator.enqueueAsync(BenchEcho, { text }, { lane: 'standalone' }),
          // What the search attribute costs a standalone round trip, on either side.
          rawStandaloneWithSearchAttribute: () =>
            client.activity.execute('rawEcho', {
              id: `raw-sa-${uuidv7()}`,
              taskQueue: queue,
              args: [{ text }],
              startToCloseTimeout: '1 minute',
              retry: rawRetry,
              typedSearchAttributes: [{ key: MEDIATOR_REQUEST, value: 'BenchEcho' }],
            }),
          mediatorStandaloneNoSearchAttribute: () =>
            plain.enqueueAsync(BenchEcho, { text }, { queue, lane: 'standalone' }),
        }
      : {}),
  };
  if (focus) keep(roundTrip, (k) => k === 'rawWorkflow' || k.includes('Standalone'));

  const results: Record<string, unknown> = {
    target: onCluster ? 'cluster' : 'dev',
    quick,
    cpus: cpus().length,
    at: new Date().toISOString(),
    ...(saCache ? { dynamicConfig: ['system.forceSearchAttributesCacheRefreshOnRead=false'] } : {}),
  };
  results.latencyMs = await latency(roundTrip);
  log(`throughput, 50 in flight: ${N.tputRounds} interleaved rounds of ${N.tput}`);
  const tput = await interleaved(roundTrip, 'rawWorkflow', {
    rounds: N.tputRounds,
    batch: N.tput,
    inFlight: 50,
    warmup: N.warm * 2,
  });
  results.throughputPerSec = tput.median;
  results.throughputRatioToRawWorkflow = tput.ratio;

  // What the mediator's start adds to a raw start, one thing at a time (profiling the default lane).
  const envelope = buildEnvelope(
    { mode: 'enqueue', definition: BenchEcho, input: { text }, metadata: {}, options: {} },
    defaultMediatorOptions({ defaults: { queue: nowhere } }),
  ).envelope;
  const rawStart = (extra: object, args: unknown[] = [{ text }]) =>
    client.workflow.start('rawWorkflow', { taskQueue: nowhere, workflowId: `s-${uuidv7()}`, args, ...extra });
  const starts: Record<string, () => Promise<unknown>> = {
    rawWorkflowStart: () => rawStart({}),
    rawPlusSummary: () => rawStart({ staticSummary: 'BenchEcho' }),
    rawPlusSearchAttribute: () =>
      rawStart({ typedSearchAttributes: [{ key: MEDIATOR_REQUEST, value: 'BenchEcho' }] }),
    rawPlusEnvelope: () => rawStart({}, [envelope]),
    rawPlusIdPolicies: () =>
      rawStart({ workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'REJECT_DUPLICATE' }),
    mediatorEnqueue: () => mediator.enqueue(BenchEcho, { text }, { queue: nowhere }),
    mediatorEnqueueNoSearchAttribute: () => plain.enqueue(BenchEcho, { text }, { queue: nowhere }),
    ...(onCluster
      ? {
          rawActivityStart: () =>
            client.activity.start('rawEcho', {
              id: `s-sa-${uuidv7()}`,
              taskQueue: nowhere,
              args: [{ text }],
              startToCloseTimeout: '1 minute',
              retry: rawRetry,
            }),
          mediatorEnqueueStandalone: () =>
            mediator.enqueue(BenchEcho, { text }, { queue: nowhere, lane: 'standalone' }),
          mediatorEnqueueStandaloneNoSearchAttribute: () =>
            plain.enqueue(BenchEcho, { text }, { queue: nowhere, lane: 'standalone' }),
        }
      : {}),
  };
  if (focus) keep(starts, (k) => k === 'rawWorkflowStart' || /Standalone|ActivityStart/.test(k));
  log(`start rate, 50 in flight: ${N.startRounds} interleaved rounds of ${N.starts}`);
  const st = await interleaved(starts, 'rawWorkflowStart', {
    rounds: N.startRounds,
    batch: N.starts,
    inFlight: 50,
    warmup: N.warm * 2,
  });
  results.startsPerSec = st.median;
  results.startsRatioToRawWorkflowStart = st.ratio;
  if (onCluster) {
    const ratio = (a: number[], b: number[]) => r3(median(a.map((v, i) => v / (b[i] as number))));
    results.standaloneStartsRatioToRawActivityStart = ratio(
      st.rates.mediatorEnqueueStandalone!,
      st.rates.rawActivityStart!,
    );
    results.standaloneThroughputRatioToRawStandalone = ratio(
      tput.rates.mediatorStandalone!,
      tput.rates.rawStandalone!,
    );
  }

  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/lanes-${onCluster ? 'cluster' : 'dev'}${focus ? '-standalone' : ''}${saCache ? '-sa-cache' : ''}${quick ? '-quick' : ''}.json`;
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(JSON.stringify(results, null, 2));
  log(`wrote ${file}`);
  if (!quick && !focus && !saCache) writeLanesSection();

  await mediator.close();
  await fast.close();
  await plain.close();
  worker.shutdown();
  await running;
  await connection.close();
  await native.close();
  await server.teardown();

  /** Sequential round trips in interleaved rounds: p50 of every sample, ratio = median per-round ratio. */
  async function latency(scenarios: Record<string, () => Promise<unknown>>) {
    const keys = Object.keys(scenarios);
    const samples = Object.fromEntries(keys.map((k) => [k, [] as number[]]));
    const roundP50 = Object.fromEntries(keys.map((k) => [k, [] as number[]]));
    for (const k of keys) for (let i = 0; i < N.warm; i++) await scenarios[k]!();
    for (let round = 0; round < N.rounds; round++) {
      const order = [...keys.slice(round % keys.length), ...keys.slice(0, round % keys.length)];
      log(`latency round ${round + 1}/${N.rounds}`);
      for (const k of order) {
        if (!smoke) await settleBriefly();
        const mine: number[] = [];
        for (let i = 0; i < N.seq; i++) {
          const t = performance.now();
          await scenarios[k]!();
          mine.push(performance.now() - t);
        }
        samples[k]!.push(...mine);
        roundP50[k]!.push(latencyStats(mine).p50);
      }
    }
    const base = roundP50.rawWorkflow!;
    return Object.fromEntries(
      keys.map((k) => [
        k,
        {
          ...latencyStats(samples[k]!),
          p50RatioToRawWorkflow: r3(median(roundP50[k]!.map((v, i) => v / (base[i] as number)))),
          ...(onCluster && k === 'mediatorStandalone'
            ? {
                p50RatioToRawStandalone: r3(
                  median(roundP50[k]!.map((v, i) => v / (roundP50.rawStandalone![i] as number))),
                ),
              }
            : {}),
        },
      ]),
    );
  }
}

/**
 * Rates of several variants in interleaved rounds (rotated order, a brief settle before each batch);
 * ratios to `baseline` are medians of per-round ratios. stats.ts's `interleavedThroughput` waits up
 * to 20 s for an idle machine, which a shared machine never is.
 */
async function interleaved(
  variants: Record<string, () => Promise<unknown>>,
  baseline: string,
  options: { rounds: number; batch: number; inFlight: number; warmup: number },
) {
  const keys = Object.keys(variants);
  const rates = Object.fromEntries(keys.map((k) => [k, [] as number[]]));
  for (const k of keys) await throughput(options.warmup, options.inFlight, variants[k]!);
  for (let round = 0; round < options.rounds; round++) {
    const shift = round % keys.length;
    for (const k of [...keys.slice(shift), ...keys.slice(0, shift)]) {
      if (!smoke) await settleBriefly();
      rates[k]!.push(await throughput(options.batch, options.inFlight, variants[k]!));
    }
  }
  const medianOf = Object.fromEntries(keys.map((k) => [k, Math.round(median(rates[k]!) * 10) / 10]));
  const ratio = Object.fromEntries(
    keys.map((k) => [k, r3(median(rates[k]!.map((v, i) => v / (rates[baseline]![i] as number))))]),
  );
  return { rates, median: medianOf, ratio };
}

function keep(scenarios: Record<string, unknown>, wanted: (key: string) => boolean): void {
  for (const k of Object.keys(scenarios)) if (!wanted(k)) delete scenarios[k];
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
