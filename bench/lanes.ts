/**
 * `npm run bench:lanes -- --cluster`: the lanes side by side with hand-written Temporal, in one run on
 * one server, one in-process worker. Latency in rounds that rotate the scenario order (each batch after
 * the machine settles for at most 2 s); throughput and start rate in paired batches (each
 * comparison's two sides back to back, alternating which goes first, after at most 1 s of settling;
 * a start-rate batch in 6 slices run alternately), so both sides of a ratio see the same load on a
 * shared machine. Ratios are medians of per-round ratios, reported with their range; the comparisons
 * the targets are on (TARGET_PAIRS) run more rounds than the rest:
 *
 * - round trip (start, run, result), sequential p50, and throughput with 50 in flight: raw workflow +
 *   activity and raw `client.activity.execute`, each also with the `MediatorRequest` search attribute
 *   the mediator sets, against the mediator on the workflow, fast and standalone lanes (with and
 *   without its attribute);
 * - start rate (fire-and-forget, 50 in flight, a queue without workers): raw `client.workflow.start`
 *   and `client.activity.start` (plain, with the attribute, and sending exactly the mediator's
 *   request) against the mediator's `enqueue` on the workflow and standalone lanes, plus the raw start
 *   with each other thing the mediator's start adds (summary, envelope, id policies).
 *
 * Without `--cluster` it runs on a dev server (no standalone activities: those scenarios are left out).
 * Writes bench/results/lanes-<target>.json and the Lanes section of BENCHMARKS.md. `--quick` runs
 * smaller counts; `--smoke` tiny ones without waiting for an idle machine (checks the script,
 * measures nothing); `--standalone` the standalone comparisons only, with more samples;
 * `--sa-refresh` (dev server) forces the search-attribute cache refresh the test servers used to do.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { attachOrStartCluster } from '../scripts/cluster-attach.js';
import { startDevServer } from '../scripts/dev-server.js';
import { standaloneStartOptions } from '../src/client/lanes/standalone.js';
import { buildEnvelope } from '../src/dispatch/plan.js';
import { MEDIATOR_REQUEST, createMediator } from '../src/index.js';
import { uuidv7 } from '../src/core/ids.js';
import { consoleLogger } from '../src/core/logger.js';
import { defaultMediatorOptions } from '../src/dispatch/options.js';
import { writeLanesSection } from './lanes-report.js';
import { BenchEcho, WORKER_SETTINGS, benchWorkflowsPath, handlers, rawActivities } from './setup.js';
import { ROUND_TRIP_PAIRS, START_PAIRS, TARGET_VARIANTS, keep, pair, paired } from './lanes-rounds.js';
import { latencyStats, median, settle } from './stats.js';

const smoke = process.argv.includes('--smoke');
// --standalone: only the standalone comparisons and the default lane's start rate, with more samples.
const focus = process.argv.includes('--standalone');
// --sa-refresh (dev server): the server re-reads its search attributes on every read, as the Temporal
// CLI does unless told otherwise and as the cluster's dynamic config did before: what each start
// carrying MediatorRequest paid on these test servers (scripts/dev-server.ts now turns it off).
const saRefresh = process.argv.includes('--sa-refresh');
const quick = smoke || process.argv.includes('--quick');
const onCluster = process.argv.includes('--cluster');
// `target…` rounds: the comparisons the targets are on (TARGET_PAIRS) run more of them.
const N = smoke
  ? { seq: 5, warm: 2, rounds: 1, targetRounds: 1, tput: 20, tputRounds: 1, targetTputRounds: 1 }
  : quick
    ? { seq: 30, warm: 10, rounds: 2, targetRounds: 2, tput: 100, tputRounds: 2, targetTputRounds: 2 }
    : focus
      ? { seq: 100, warm: 10, rounds: 8, targetRounds: 12, tput: 200, tputRounds: 6, targetTputRounds: 14 }
      : { seq: 60, warm: 10, rounds: 5, targetRounds: 10, tput: 150, tputRounds: 5, targetTputRounds: 12 };
const S = smoke
  ? { starts: 20, startRounds: 1, targetStartRounds: 1, slices: 2 }
  : quick
    ? { starts: 150, startRounds: 2, targetStartRounds: 2, slices: 3 }
    : focus
      ? { starts: 300, startRounds: 6, targetStartRounds: 24, slices: 6 }
      : { starts: 300, startRounds: 4, targetStartRounds: 16, slices: 6 };
// The machine is shared (other engineers' servers and tests): waiting for it to go idle would take
// most of the run, so each batch waits at most 2 s, and rotation spreads what is left over.
const settleBriefly = () => settle(0.6, 2_000);
// Before each batch of a pair: the backlog a batch leaves on the server drains within a second.
const settleOrNot = () => (smoke ? Promise.resolve() : settle(0.6, 1_000));
const log = (m: string) => console.error(`[bench:lanes] ${m}`);
const r3 = (x: number) => Math.round(x * 1000) / 1000;

Runtime.install({ logger: new DefaultLogger('WARN') });

async function main() {
  const server = onCluster
    ? await attachOrStartCluster({ uiPort: false })
    : await startDevServer(saRefresh ? { searchAttributesCacheRefreshOnRead: true } : {});
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
  const plain = await createMediator({ client, logger: quiet, searchAttributes: false, defaults: { queue } });
  const text = 'hello';
  const rawRetry = { maximumAttempts: 3, initialInterval: '1s', backoffCoefficient: 2 };
  // The attribute the mediator sets, for the raw baselines that carry it too.
  const sa = { typedSearchAttributes: [{ key: MEDIATOR_REQUEST, value: 'BenchEcho' }] };
  const rawExecute = (extra: object = {}) =>
    client.workflow.execute('rawWorkflow', {
      taskQueue: queue,
      workflowId: `raw-${uuidv7()}`,
      args: [{ text }],
      ...extra,
    });
  const rawActivity = (extra: object = {}) =>
    client.activity.execute('rawEcho', {
      id: `raw-sa-${uuidv7()}`,
      taskQueue: queue,
      args: [{ text }],
      startToCloseTimeout: '1 minute',
      retry: rawRetry,
      ...extra,
    });

  const mediatorActivityOptions = standaloneStartOptions(
    { mode: 'enqueueAsync', definition: BenchEcho, input: { text }, metadata: {}, options: {} },
    defaultMediatorOptions({ defaults: { queue } }),
  ).options;
  const roundTrip: Record<string, () => Promise<unknown>> = {
    rawWorkflow: () => rawExecute(),
    rawWorkflowWithSearchAttribute: () => rawExecute(sa),
    ...(onCluster
      ? {
          rawStandalone: () => rawActivity(),
          rawStandaloneWithSearchAttribute: () => rawActivity(sa),
          // The mediator's activity options (a 10 s heartbeat timeout among them) and its worker
          // activity, started by the raw client; and the raw activity with only the heartbeat timeout.
          rawStandaloneSameRequestAsMediator: () =>
            client.activity.execute('BenchEcho', {
              ...(mediatorActivityOptions as unknown as Parameters<Client['activity']['execute']>[1]),
              id: `BenchEcho-${uuidv7()}`,
            }),
          rawStandaloneWithHeartbeatTimeout: () => rawActivity({ heartbeatTimeout: '10 seconds' }),
        }
      : {}),
    mediatorWorkflow: () => mediator.enqueueAsync(BenchEcho, { text }),
    mediatorWorkflowNoSearchAttribute: () => plain.enqueueAsync(BenchEcho, { text }),
    mediatorFast: () => fast.enqueueAsync(BenchEcho, { text }),
    ...(onCluster
      ? {
          mediatorStandalone: () => mediator.enqueueAsync(BenchEcho, { text }, { lane: 'standalone' }),
          mediatorStandaloneNoSearchAttribute: () =>
            plain.enqueueAsync(BenchEcho, { text }, { lane: 'standalone' }),
        }
      : {}),
  };
  if (focus) keep(roundTrip, (k) => k === 'rawWorkflow' || k.includes('Standalone'));

  const results: Record<string, unknown> = {
    target: onCluster ? 'cluster' : 'dev',
    quick,
    cpus: cpus().length,
    at: new Date().toISOString(),
    loadAverageAtStart: r3(loadavg()[0] ?? 0),
    searchAttributesCacheRefreshOnRead: saRefresh,
  };
  const lat = await latency(roundTrip);
  results.latencyMs = lat.stats;
  log(
    `throughput, 50 in flight: ${N.tputRounds} rounds (targets ${N.targetTputRounds}) of paired batches of ${N.tput}`,
  );
  const tput = await paired(roundTrip, ROUND_TRIP_PAIRS, settleOrNot, {
    rounds: N.tputRounds,
    targetRounds: N.targetTputRounds,
    batch: N.tput,
    inFlight: 50,
    warmup: N.warm * 2,
  });
  results.throughputPerSec = tput.median;

  // The exact requests the mediator sends, sent by the raw client (the client's own cost is the
  // difference to the mediator's rate), and each thing the mediator's start adds, one at a time.
  const plan = {
    mode: 'enqueue' as const,
    definition: BenchEcho,
    input: { text },
    metadata: {},
    options: {},
  };
  const resolved = defaultMediatorOptions({ defaults: { queue: nowhere } });
  const { envelope, description } = buildEnvelope(plan, resolved);
  const activityOptions = standaloneStartOptions(plan, resolved).options;
  const rawStart = (extra: object, args: unknown[] = [{ text }], type = 'rawWorkflow') =>
    client.workflow.start(type, { taskQueue: nowhere, workflowId: `s-${uuidv7()}`, args, ...extra });
  const idPolicies = { workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'REJECT_DUPLICATE' };
  const rawActivityStart = (extra: object = {}) =>
    client.activity.start('rawEcho', {
      id: `s-sa-${uuidv7()}`,
      taskQueue: nowhere,
      args: [{ text }],
      startToCloseTimeout: '1 minute',
      retry: rawRetry,
      ...extra,
    });
  const starts: Record<string, () => Promise<unknown>> = {
    rawWorkflowStart: () => rawStart({}),
    rawWorkflowStartAgain: () => rawStart({}),
    rawWorkflowStartWithSearchAttribute: () => rawStart(sa),
    rawPlusSummary: () => rawStart({ staticSummary: description }),
    rawPlusEnvelope: () => rawStart({}, [envelope]),
    rawPlusIdPolicies: () => rawStart(idPolicies),
    rawSameRequestAsMediator: () =>
      rawStart({ ...sa, ...idPolicies, staticSummary: description }, [envelope], 'executeRequest'),
    mediatorEnqueue: () => mediator.enqueue(BenchEcho, { text }, { queue: nowhere }),
    mediatorEnqueueNoSearchAttribute: () => plain.enqueue(BenchEcho, { text }, { queue: nowhere }),
    ...(onCluster
      ? {
          rawActivityStart: () => rawActivityStart(),
          rawActivityStartWithSearchAttribute: () => rawActivityStart(sa),
          rawActivitySameRequestAsMediator: () =>
            client.activity.start('BenchEcho', {
              ...(activityOptions as unknown as Parameters<Client['activity']['start']>[1]),
              id: `BenchEcho-${uuidv7()}`,
            }),
          mediatorEnqueueStandalone: () =>
            mediator.enqueue(BenchEcho, { text }, { queue: nowhere, lane: 'standalone' }),
          mediatorEnqueueStandaloneNoSearchAttribute: () =>
            plain.enqueue(BenchEcho, { text }, { queue: nowhere, lane: 'standalone' }),
        }
      : {}),
  };
  // The targets: the standalone lane, and the default lane's start rate.
  const defaultLaneStarts = [
    'rawWorkflowStart',
    'rawWorkflowStartAgain',
    'rawWorkflowStartWithSearchAttribute',
    'rawSameRequestAsMediator',
  ];
  if (focus)
    keep(
      starts,
      (k) => /Standalone|Activity/.test(k) || k === 'mediatorEnqueue' || defaultLaneStarts.includes(k),
    );
  log(
    `start rate, 50 in flight: ${S.startRounds} rounds (targets ${S.targetStartRounds}) of paired batches of ${S.starts} in ${S.slices} alternating slices`,
  );
  const st = await paired(starts, START_PAIRS, settleOrNot, {
    rounds: S.startRounds,
    targetRounds: S.targetStartRounds,
    batch: S.starts,
    slices: S.slices,
    inFlight: 50,
    warmup: N.warm * 2,
  });
  results.startsPerSec = st.median;
  results.startPairs = st.ratios;
  // Round trips: p50 ratios of the rounds (rotated order), throughput ratios of the paired batches.
  results.roundTripPairs = Object.fromEntries(
    ROUND_TRIP_PAIRS.filter(([a, b]) => roundTrip[a] && roundTrip[b]).map(([a, b]) => [
      `${a}/${b}`,
      { p50: pair(lat.roundP50[a], lat.roundP50[b]), throughput: tput.ratios[`${a}/${b}`] },
    ]),
  );
  results.loadAverageAtEnd = r3(loadavg()[0] ?? 0);

  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/lanes-${onCluster ? 'cluster' : 'dev'}${focus ? '-standalone' : ''}${saRefresh ? '-sa-refresh' : ''}${quick ? '-quick' : ''}.json`;
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(JSON.stringify(results, null, 2));
  log(`wrote ${file}`);
  if (!quick) writeLanesSection();

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
    const rounds = Math.max(N.rounds, N.targetRounds);
    for (let round = 0; round < rounds; round++) {
      // Past N.rounds, only the variants the targets compare.
      const these = round < N.rounds ? keys : keys.filter((k) => TARGET_VARIANTS.has(k));
      const order = [...these.slice(round % these.length), ...these.slice(0, round % these.length)];
      log(`latency round ${round + 1}/${rounds}`);
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
    const stats = Object.fromEntries(
      keys.map((k) => [
        k,
        {
          ...latencyStats(samples[k]!),
          p50RatioToRawWorkflow: r3(median(roundP50[k]!.map((v, i) => v / (base[i] as number)))),
        },
      ]),
    );
    return { stats, roundP50 };
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
